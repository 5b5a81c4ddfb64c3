"""Saved views and export of any registered list (the views of the blueprints web/lists/routes.py makes)."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.jobs.services import job_for
from domain.lists import saved_views
from domain.lists.export import ExportLabels, start_export
from domain.lists.models import canonical_query
from domain.shared.errors import ValidationFailed
from web.deps import deps
from web.errors import error_response
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.jobs.views import POLL_SECONDS
from web.listing import values_of
from web.lists.context import list_tools
from web.lists.registry import ListPage
from web.templating import fixed_url


def save_view(page: ListPage) -> HttpResponse:
    d, form, name = deps(), request.form, request.form.get("name", "")[:200]
    query = canonical_query(page.spec, [(k, v) for k in page.spec.params for v in values_of(form, k)])
    try:
        view = saved_views.save_view(page.spec, name, query, form.get("share") == "department",
                                     actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _page_again(page, 422, view_errors=error_messages(error.errors), view_name_value=name)
    flash(_("View “%(name)s” saved.", name=view.name), "success")
    return see_other(_list_url(page, query))


def manage_views(page: ListPage) -> HttpResponse:
    """The forms to save the list as filtered in the query string, or rename or delete the view it shows: loaded when
    the views' <details> opens, so list pages and their searches do not render them (a page of its own without JS)."""
    views = saved_views.list_views(page.spec, actor=current_actor(), uow=deps().reader())
    return render("lists/manage_views.html", {page.view_forms_id: "lists/_view_forms.html"},
                  tools=list_tools(page, request.args, views, full=False))


def open_view(page: ListPage, view_id: int) -> HttpResponse:
    view = saved_views.get_view(page.spec, view_id, actor=current_actor(), uow=deps().reader())
    return see_other(_list_url(page, view.query))


def rename_view(page: ListPage, view_id: int) -> HttpResponse:
    d = deps()
    try:
        view = saved_views.rename_view(page.spec, view_id, request.form.get("name", "")[:200],
                                       actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _page_again(page, 422, view_errors=error_messages(error.errors))
    flash(_("View renamed."), "success")
    return see_other(_list_url(page, view.query))


def delete_view(page: ListPage, view_id: int) -> HttpResponse:
    d = deps()
    saved_views.delete_view(page.spec, view_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    flash(_("View deleted."), "success")
    return see_other(fixed_url(page.endpoint))


def export(page: ListPage) -> HttpResponse:
    """Start the export of the list as filtered in the form; htmx gets the job's progress in place."""
    d, form, ui = deps(), request.form, page.export
    assert ui is not None  # the route exists only for lists with an export
    labels = ExportLabels([str(ui.header[column.key]) for column in ui.spec.columns], ui.values())
    try:
        job = start_export(ui.spec, page.query(form), form.get("format", "csv"), labels, actor=current_actor(),
                           uow=d.uow(), queue=d.jobs, clock=d.clock)
    except ValidationFailed as error:  # only a format no button offers: a malformed request, not a form error
        return error_response(400, " ".join(error_messages(error.errors).values()))
    status_url = url_for("jobs.status", job_id=job.id)
    if hx_target() != page.export_id:
        return see_other(status_url)
    job = job_for(job.id or 0, actor=current_actor(), uow=d.reader())  # the queue may have run it already
    return render("jobs/status.html", {page.export_id: "lists/_export.html"}, job=job, poll=POLL_SECONDS,
                  status_url=status_url, export_id=page.export_id)


def _page_again(page: ListPage, status: int, **context: object) -> HttpResponse:
    return render(page.template, None, status, **(page.context(request.form, True) | context))


def _list_url(page: ListPage, query: str) -> str:
    return fixed_url(page.endpoint) + ("?" + query if query else "")
