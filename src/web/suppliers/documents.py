"""Supplier documents: add (with an optional file), sandboxed download, removal, acknowledging reminders."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts.attachments import MAX_ATTACHMENT_BYTES
from domain.shared.errors import ValidationFailed
from domain.suppliers import document_services as documents
from web.deps import deps
from web.downloads import attachment, sandboxed
from web.guard import current_actor
from web.htmx import hx_target, see_other
from web.i18n import error_messages
from web.suppliers.views import detail_page
from web.uploads import accepts_upload, apply_upload_limit, too_large_response, upload_limit, uploaded_file

bp = Blueprint("supplier_documents", __name__, url_prefix="/suppliers/<int:supplier_id>/documents")
bp.url_value_preprocessor(apply_upload_limit)
SECTION = {"supplier-documents": "suppliers/_documents.html"}
LIMIT = ("ATTACHMENT_MAX_BYTES", MAX_ATTACHMENT_BYTES)
FIELDS = ("kind", "title", "number", "issued_on", "expires_on")


@bp.post("")
@accepts_upload(*LIMIT)
def add(supplier_id: int) -> HttpResponse:
    d, (filename, data) = deps(), uploaded_file()
    try:
        added = documents.add_supplier_document(supplier_id, request.form, filename, data, actor=current_actor(),
                                                uow=d.uow(), clock=d.clock, files=d.files,
                                                max_bytes=upload_limit(*LIMIT))
    except ValidationFailed as error:
        if error.errors.get("file") == "attachment.too_large":  # within the request's envelope, but still too large
            return too_large(RequestEntityTooLarge())
        values = {k: str(request.form.get(k, "")) for k in FIELDS}
        return detail_page(supplier_id, SECTION, 422, document_values=values,
                           document_errors=error_messages(error.errors))
    return _done(supplier_id, _("Document “%(title)s” added.", title=added.fields.title))


@bp.get("/<int:document_id>")
@sandboxed
def download(supplier_id: int, document_id: int) -> HttpResponse:
    d = deps()
    stored, data = documents.open_supplier_document(supplier_id, document_id, actor=current_actor(), uow=d.reader(),
                                                    files=d.files)
    return attachment(data, stored.filename, stored.content_type)


@bp.post("/<int:document_id>/remove")
def remove(supplier_id: int, document_id: int) -> HttpResponse:
    d = deps()
    documents.remove_supplier_document(supplier_id, document_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    return _done(supplier_id, _("Document removed. It stays in the audit trail."))


@bp.post("/<int:document_id>/acknowledge")
def acknowledge(supplier_id: int, document_id: int) -> HttpResponse:
    d = deps()
    documents.acknowledge_document_reminders(supplier_id, document_id, actor=current_actor(), uow=d.uow(),
                                             clock=d.clock)
    return _done(supplier_id, _("Reminder acknowledged."))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> HttpResponse:
    return too_large_response(*LIMIT)


def _done(supplier_id: int, notice: str) -> HttpResponse:
    if hx_target() in SECTION:
        return detail_page(supplier_id, SECTION, document_notice=notice)
    flash(notice, "success")
    return see_other(url_for("suppliers.detail", supplier_id=supplier_id) + "#supplier-documents")

