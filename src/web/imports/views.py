"""Staged customer import: upload, map columns, dry run, error file, commit, undo (background jobs)."""

from typing import Any

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as HttpResponse

import web.imports.jobs  # noqa: F401  (registers the job handlers wherever the app runs, worker included)
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.imports import services
from domain.imports.errors import BatchNotReady
from domain.imports.mapping import vocabulary_of
from domain.imports.models import FIELDS, ImportBatch
from domain.jobs.models import Job
from domain.shared.errors import NotFound, ValidationFailed
from web.deps import deps
from web.downloads import attachment, sandboxed
from web.errors import error_response
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import ERRORS, error_messages
from web.imports.files import CSV_TYPE, MAX_BYTES, XLSX_TYPE, open_sheet, recognise
from web.templating import FIELD_NAMES, label_tables

bp = Blueprint("imports", __name__, url_prefix="/customers/import")
POLL_SECONDS = 1
STATUSES = {"uploaded": _l("Uploaded"), "checking": _l("Checking"), "checked": _l("Checked"),
            "committing": _l("Importing"), "committed": _l("Imported"), "partial": _l("Partly imported"),
            "undoing": _l("Undoing"), "undone": _l("Undone")}


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    # Runs before the CSRF check reads the body, so the larger limit applies to the upload only.
    if endpoint == "imports.upload":
        request.max_content_length = MAX_BYTES


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> HttpResponse:
    return error_response(413, _("The file is larger than 20 MB. Split it into smaller files, or save it as "
                                 ".xlsx (which is smaller), and upload them one by one."))


@bp.get("")
def index() -> HttpResponse:
    return _index_page(200, {})


@bp.post("")
def upload() -> HttpResponse:
    d, actor = deps(), current_actor()
    require(actor, Permission.CUSTOMER_IMPORT)  # before reading a large file
    try:
        batch = services.upload_batch(_upload(), actor=actor, uow=d.uow(), files=d.files, clock=d.clock)
    except ValidationFailed as failed:
        return _index_page(422, failed.errors)
    return see_other(url_for(".batch", batch_id=batch.id))


@bp.get("/<int:batch_id>")
def batch(batch_id: int) -> HttpResponse:
    found, job = services.get_batch(batch_id, actor=current_actor(), uow=deps().reader())
    return _batch_page(found, job, 200)


@bp.post("/<int:batch_id>/check")
def check(batch_id: int) -> HttpResponse:
    d, mapping = deps(), request.form.getlist("column")
    try:
        services.start_check(batch_id, mapping, request.form.get("mode", ""), job_options(), actor=current_actor(),
                             uow=d.uow(), queue=d.jobs, clock=d.clock)
    except ValidationFailed as failed:
        found, job = services.get_batch(batch_id, actor=current_actor(), uow=d.reader())
        return _batch_page(found, job, 422, failed.errors, mapping=mapping)
    except BatchNotReady:
        return _not_ready(batch_id)
    return see_other(url_for(".batch", batch_id=batch_id))


@bp.post("/<int:batch_id>/commit")
def commit(batch_id: int) -> HttpResponse:
    d = deps()
    try:
        services.start_commit(batch_id, job_options(), actor=current_actor(), uow=d.uow(), queue=d.jobs,
                              clock=d.clock)
    except BatchNotReady:
        return _not_ready(batch_id)
    return see_other(url_for(".batch", batch_id=batch_id))


@bp.post("/<int:batch_id>/undo")
def undo(batch_id: int) -> HttpResponse:
    d = deps()
    try:
        services.start_undo(batch_id, actor=current_actor(), uow=d.uow(), queue=d.jobs, clock=d.clock)
    except BatchNotReady:
        return _not_ready(batch_id)
    return see_other(url_for(".batch", batch_id=batch_id))


@bp.get("/<int:batch_id>/errors")
@sandboxed
def error_file(batch_id: int) -> HttpResponse:
    """The uploaded file as it was, plus a column with each row's errors (the dry run writes it)."""
    d = deps()
    found, _job = services.get_batch(batch_id, actor=current_actor(), uow=d.reader())
    if not found.error_file_id:
        raise NotFound()
    stem = found.filename.rsplit(".", 1)[0] or "import"
    return attachment(d.files.get(found.error_file_id), f"{stem}-{_('errors')}.{found.format}",
                      XLSX_TYPE if found.format == "xlsx" else CSV_TYPE)


def job_options() -> dict[str, Any]:
    """The words a job needs in the user's language: choice labels (zh and en), error texts, field names."""
    tables = [label_tables(locale) for locale in ("zh_CN", "en")]
    vocabulary = vocabulary_of(*({f: t[f"{f}_names"] for f in ("industry", "region", "stage")} for t in tables))
    return {"vocabulary": vocabulary, "messages": {code: str(text) for code, text in ERRORS.items()},
            "fields": {field: str(label) for field, label in import_fields().items()}, "error_column": _("Errors")}


def import_fields() -> dict[str, Any]:
    return {field: FIELD_NAMES["owner_id" if field == "owner" else field] for field in FIELDS}


def _upload() -> services.Upload:
    file = request.files.get("file")
    data = file.read(MAX_BYTES + 1) if file else b""
    if len(data) > MAX_BYTES:
        raise RequestEntityTooLarge()
    filename = (file.filename if file else "") or ""
    file_format = recognise(data, filename)
    return services.Upload(data, filename, file_format, open_sheet(data, file_format).header)


def _index_page(status: int, errors: dict[str, str]) -> HttpResponse:
    batches = services.recent_batches(actor=current_actor(), uow=deps().reader())
    return render("imports/index.html", None, status, batches=batches, errors=error_messages(errors),
                  statuses=STATUSES)


def _batch_page(found: ImportBatch, job: Job | None, status: int, errors: dict[str, str] | None = None,
                mapping: list[str] | None = None) -> HttpResponse:
    fragments = {"import-batch": "imports/_batch.html"} | ({f"job-{job.id}": "imports/_batch.html"} if job else {})
    response = render("imports/batch.html", fragments, status, batch=found, job=job, poll=POLL_SECONDS,
                      status_url=url_for(".batch", batch_id=found.id), fields=import_fields(), statuses=STATUSES,
                      mapping=mapping or found.mapping, errors=error_messages(errors or {}), messages=ERRORS)
    if job and hx_target() == f"job-{job.id}":  # the job's progress poll refreshes the whole batch panel
        response.headers.update({"HX-Retarget": "#import-batch", "HX-Reswap": "outerHTML"})
    return response


def _not_ready(batch_id: int) -> HttpResponse:
    flash(_("This import is busy or past that step; its current state is shown below."), "error")
    return see_other(url_for(".batch", batch_id=batch_id))
