"""Staged import of customers and suppliers: upload, map columns, dry run, error file, commit, undo (background
jobs). One set of views serves every target, each under its own blueprint (web/imports/targets.py)."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, request, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as HttpResponse

import web.imports.jobs  # noqa: F401  (registers the job handlers wherever the app runs, worker included)
from domain.identity.access import require
from domain.imports import services
from domain.imports.errors import BatchNotReady
from domain.imports.mapping import vocabulary_of
from domain.imports.models import ImportBatch
from domain.jobs.models import Job
from domain.shared.errors import ValidationFailed
from web.deps import deps
from web.downloads import attachment, sandboxed
from web.errors import error_response
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import ERRORS
from web.imports.files import CSV_TYPE, MAX_BYTES, XLSX_TYPE, open_sheet, recognise
from web.imports.targets import CUSTOMER_IMPORT, SUPPLIER_IMPORT, WEB_TARGETS, WebTarget

POLL_SECONDS = 1
STATUSES = {"uploaded": _l("Uploaded"), "checking": _l("Checking"), "checked": _l("Checked"),
            "committing": _l("Importing"), "committed": _l("Imported"), "partial": _l("Partly imported"),
            "undoing": _l("Undoing"), "undone": _l("Undone")}


def index() -> HttpResponse:
    return _index_page(200, {})


def upload() -> HttpResponse:
    d, actor, target = deps(), current_actor(), _target()
    require(actor, target.domain.permission)  # before reading a large file
    try:
        batch = services.upload_batch(_upload(), target=target.domain, actor=actor, uow=d.uow(), files=d.files,
                                      clock=d.clock)
    except ValidationFailed as failed:
        return _index_page(422, failed.errors)
    return see_other(url_for(".batch", batch_id=batch.id))


def batch(batch_id: int) -> HttpResponse:
    found, job = services.get_batch(batch_id, target=_target().domain, actor=current_actor(), uow=deps().reader())
    return _batch_page(found, job, 200)


def check(batch_id: int) -> HttpResponse:
    d, mapping, target = deps(), request.form.getlist("column"), _target()
    try:
        services.start_check(batch_id, mapping, request.form.get("mode", ""), job_options(target),
                             target=target.domain, actor=current_actor(), uow=d.uow(), queue=d.jobs, clock=d.clock)
    except ValidationFailed as failed:
        found, job = services.get_batch(batch_id, target=target.domain, actor=current_actor(), uow=d.reader())
        return _batch_page(found, job, 422, failed.errors, mapping=mapping)
    except BatchNotReady:
        return _not_ready(batch_id)
    return see_other(url_for(".batch", batch_id=batch_id))


def commit(batch_id: int) -> HttpResponse:
    d, target = deps(), _target()
    try:
        services.start_commit(batch_id, job_options(target), target=target.domain, actor=current_actor(),
                              uow=d.uow(), queue=d.jobs, clock=d.clock)
    except BatchNotReady:
        return _not_ready(batch_id)
    return see_other(url_for(".batch", batch_id=batch_id))


def undo(batch_id: int) -> HttpResponse:
    d = deps()
    try:
        services.start_undo(batch_id, target=_target().domain, actor=current_actor(), uow=d.uow(), queue=d.jobs,
                            clock=d.clock)
    except BatchNotReady:
        return _not_ready(batch_id)
    return see_other(url_for(".batch", batch_id=batch_id))


@sandboxed
def error_file(batch_id: int) -> HttpResponse:
    """The uploaded file as it was, plus a column with each row's errors (the dry run writes it)."""
    d = deps()
    found = services.error_file_of(batch_id, target=_target().domain, actor=current_actor(), uow=d.uow(),
                                   clock=d.clock)
    stem = found.filename.rsplit(".", 1)[0] or "import"
    return attachment(d.files.get(found.error_file_id or ""), f"{stem}-{_('errors')}.{found.format}",
                      XLSX_TYPE if found.format == "xlsx" else CSV_TYPE)


def job_options(target: WebTarget) -> dict[str, Any]:
    """The words a job needs in the user's language: choice labels (zh and en), error texts, field names."""
    languages = []
    for locale in ("zh_CN", "en"):
        with force_locale(locale):
            languages.append({f: {code: str(label) for code, label in table.items()}
                              for f, table in target.choice_labels.items()})
    return {"vocabulary": vocabulary_of(*languages),
            "messages": {code: str(text) for code, text in _messages(target).items()},
            "fields": {field: str(label) for field, label in target.field_names.items()}, "error_column": _("Errors")}


def _target() -> WebTarget:
    return WEB_TARGETS[request.blueprint or ""]


def _messages(target: WebTarget) -> dict[str, Any]:
    """The shared error messages, with the target's own wording where it differs."""
    return ERRORS | dict(target.messages)


def _upload() -> services.Upload:
    file = request.files.get("file")
    data = file.read(MAX_BYTES + 1) if file else b""
    if len(data) > MAX_BYTES:
        raise RequestEntityTooLarge()
    filename = (file.filename if file else "") or ""
    file_format = recognise(data, filename)
    return services.Upload(data, filename, file_format, open_sheet(data, file_format).header)


def _index_page(status: int, errors: dict[str, str]) -> HttpResponse:
    target = _target()
    batches = services.recent_batches(target=target.domain, actor=current_actor(), uow=deps().reader())
    return render("imports/index.html", None, status, batches=batches, errors=_error_messages(target, errors),
                  statuses=STATUSES, texts=target.texts, back=url_for(target.list_endpoint))


def _batch_page(found: ImportBatch, job: Job | None, status: int, errors: dict[str, str] | None = None,
                mapping: list[str] | None = None) -> HttpResponse:
    target = _target()
    fragments = {"import-batch": "imports/_batch.html"} | ({f"job-{job.id}": "imports/_batch.html"} if job else {})
    response = render("imports/batch.html", fragments, status, batch=found, job=job, poll=POLL_SECONDS,
                      status_url=url_for(".batch", batch_id=found.id), fields=target.field_names, statuses=STATUSES,
                      mapping=mapping or found.mapping, errors=_error_messages(target, errors or {}),
                      messages=_messages(target), texts=target.texts)
    if job and hx_target() == f"job-{job.id}":  # the job's progress poll refreshes the whole batch panel
        response.headers.update({"HX-Retarget": "#import-batch", "HX-Reswap": "outerHTML"})
    return response


def _error_messages(target: WebTarget, errors: dict[str, str]) -> dict[str, str]:
    messages = _messages(target)
    return {field: str(messages.get(code, code)) for field, code in errors.items()}


def _not_ready(batch_id: int) -> HttpResponse:
    flash(_("This import is busy or past that step; its current state is shown below."), "error")
    return see_other(url_for(".batch", batch_id=batch_id))


def _upload_limit(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    # Runs before the CSRF check reads the body, so the larger limit applies to the upload only.
    if endpoint and endpoint.endswith(".upload"):
        request.max_content_length = MAX_BYTES


def _too_large(_error: RequestEntityTooLarge) -> HttpResponse:
    return error_response(413, _("The file is larger than 20 MB. Split it into smaller files, or save it as "
                                 ".xlsx (which is smaller), and upload them one by one."))


ROUTES: list[tuple[str, Callable[..., HttpResponse], str]] = [
    ("", index, "GET"), ("", upload, "POST"), ("/<int:batch_id>", batch, "GET"),
    ("/<int:batch_id>/check", check, "POST"), ("/<int:batch_id>/commit", commit, "POST"),
    ("/<int:batch_id>/undo", undo, "POST"), ("/<int:batch_id>/errors", error_file, "GET")]


def blueprint(target: WebTarget) -> Blueprint:
    """The import pages of one target, under its URL."""
    pages = Blueprint(target.blueprint, __name__, url_prefix=target.prefix)
    pages.url_value_preprocessor(_upload_limit)
    pages.register_error_handler(RequestEntityTooLarge, _too_large)
    for rule, view, method in ROUTES:
        pages.add_url_rule(rule, view_func=view, methods=[method])
    return pages


bp = blueprint(CUSTOMER_IMPORT)
supplier_bp = blueprint(SUPPLIER_IMPORT)
