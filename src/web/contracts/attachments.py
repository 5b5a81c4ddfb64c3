"""Contract attachments: the section the contract page includes, upload, sandboxed download, removal."""

from flask import Blueprint, flash, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts import attachment_services as services
from domain.contracts.attachments import KINDS, MAX_ATTACHMENT_BYTES
from domain.shared.errors import ValidationFailed
from web.deps import deps
from web.downloads import attachment, sandboxed
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.uploads import (
    accepts_upload,
    apply_upload_limit,
    too_large_response,
    upload_limit,
    upload_megabytes,
    uploaded_file,
)

bp = Blueprint("contract_attachments", __name__, url_prefix="/contracts")
bp.url_value_preprocessor(apply_upload_limit)
SECTION = {"contract-attachments": "contracts/_attachments.html"}
LIMIT = ("ATTACHMENT_MAX_BYTES", MAX_ATTACHMENT_BYTES)
ACCEPT = ",".join("." + extension for extension in KINDS)


@bp.get("/<int:contract_id>/attachments")
def index(contract_id: int) -> HttpResponse:
    return _section(contract_id, 200)


@bp.post("/<int:contract_id>/attachments")
@accepts_upload(*LIMIT)
def upload(contract_id: int) -> HttpResponse:
    d, (filename, data) = deps(), uploaded_file()
    try:
        added = services.add_attachment(contract_id, filename, data, actor=current_actor(), uow=d.uow(),
                                        clock=d.clock, files=d.files, max_bytes=upload_limit(*LIMIT))
    except ValidationFailed as error:
        if error.errors.get("file") == "attachment.too_large":  # within the request's envelope, but still too large
            return too_large(RequestEntityTooLarge())
        return _section(contract_id, 422, errors=error.errors)
    return _done(contract_id, _("Attached “%(name)s”.", name=added.filename))


@bp.get("/<int:contract_id>/attachments/<int:attachment_id>")
@sandboxed
def download(contract_id: int, attachment_id: int) -> HttpResponse:
    d = deps()
    found, data = services.open_attachment(contract_id, attachment_id, actor=current_actor(), uow=d.reader(),
                                           files=d.files)
    return attachment(data, found.filename, found.content_type)


@bp.post("/<int:contract_id>/attachments/<int:attachment_id>/remove")
def remove(contract_id: int, attachment_id: int) -> HttpResponse:
    d = deps()
    services.remove_attachment(contract_id, attachment_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    return _done(contract_id, _("Attachment removed. It stays in the audit trail."))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> HttpResponse:
    return too_large_response(*LIMIT)


def _done(contract_id: int, notice: str) -> HttpResponse:
    if hx_target() in SECTION:
        return _section(contract_id, 200, notice=notice)
    flash(notice, "success")
    return see_other(url_for("contracts.detail", contract_id=contract_id))


def _section(contract_id: int, status: int, errors: dict[str, str] | None = None, notice: str = "") -> HttpResponse:
    return render("contracts/attachments.html", SECTION, status, **section_context(contract_id, errors, notice))


def section_context(contract_id: int, errors: dict[str, str] | None = None, notice: str = "") -> dict[str, object]:
    """What `contracts/_attachments.html` needs, for any page that includes it (NotFound outside the scope)."""
    found = services.list_attachments(contract_id, actor=current_actor(), uow=deps().reader())
    return {"contract": found.contract, "attachments": found, "errors": error_messages(errors or {}),
            "notice": notice, "limit_mb": upload_megabytes(*LIMIT), "accept": ACCEPT}

