"""Customer list tools: tags on one customer, saved views, export to CSV or Excel."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.customers import saved_views, services, tagging
from domain.customers.errors import CustomerArchived
from domain.customers.export import ExportLabels, start_export
from domain.customers.list_models import LIST_PARAMS, canonical_query
from domain.jobs.services import job_for
from domain.shared.errors import Conflict, ValidationFailed
from web.customer_lists.context import list_context
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import REGIONS, STAGES, error_messages
from web.jobs.views import POLL_SECONDS
from web.listing import customer_query, values_of

bp = Blueprint("customer_tools", __name__, url_prefix="/customers")
TAGS = {"customer-tags": "customer_lists/_tags.html"}


@bp.post("/<int:customer_id>/tags")
def add_tag(customer_id: int) -> HttpResponse:
    d, actor, name = deps(), current_actor(), request.form.get("tag", "")[:200]
    try:
        try:
            tags = tagging.add_tag(customer_id, name, actor=actor, uow=d.uow(), clock=d.clock)
        except Conflict:  # someone created the same tag a moment ago: it exists now
            tags = tagging.add_tag(customer_id, name, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _tags(customer_id, None, 422, errors=error_messages(error.errors), tag_value=name)
    except CustomerArchived:
        return _tags(customer_id, None, 409, errors={"tag": _("Archived customers keep their tags.")})
    return _tags(customer_id, tags, 200)


@bp.post("/<int:customer_id>/tags/<int:tag_id>/remove")
def remove_tag(customer_id: int, tag_id: int) -> HttpResponse:
    d = deps()
    try:
        tags = tagging.remove_tag(customer_id, tag_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except CustomerArchived:
        return _tags(customer_id, None, 409, errors={"tag": _("Archived customers keep their tags.")})
    return _tags(customer_id, tags, 200)


@bp.post("/views")
def save_view() -> HttpResponse:
    d, form = deps(), request.form
    query = canonical_query([(k, v) for k in LIST_PARAMS for v in values_of(form, k)])
    try:
        view = saved_views.save_view(form.get("name", "")[:200], query, form.get("share") == "department",
                                     actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _views(422, errors=error_messages(error.errors), name_value=form.get("name", "")[:200])
    flash(_("View “%(name)s” saved.", name=view.name), "success")
    return see_other(url_for("customers.index") + ("?" + query if query else ""))


@bp.get("/views/<int:view_id>")
def open_view(view_id: int) -> HttpResponse:
    view = saved_views.get_view(view_id, actor=current_actor(), uow=deps().reader())
    return see_other(url_for("customers.index") + ("?" + view.query if view.query else ""))


@bp.post("/views/<int:view_id>/rename")
def rename_view(view_id: int) -> HttpResponse:
    d = deps()
    try:
        view = saved_views.rename_view(view_id, request.form.get("name", "")[:200], actor=current_actor(),
                                       uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _views(422, errors=error_messages(error.errors))
    flash(_("View renamed."), "success")
    return see_other(url_for("customers.index") + ("?" + view.query if view.query else ""))


@bp.post("/views/<int:view_id>/delete")
def delete_view(view_id: int) -> HttpResponse:
    d = deps()
    saved_views.delete_view(view_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    flash(_("View deleted."), "success")
    return see_other(url_for("customers.index"))


@bp.post("/export")
def export() -> HttpResponse:
    d, form = deps(), request.form
    labels = ExportLabels(_export_header(), {k: str(v) for k, v in STAGES.items()},
                          {k: str(v) for k, v in REGIONS.items()})
    job = start_export(customer_query(form), form.get("format", "csv"), labels, actor=current_actor(), uow=d.uow(),
                       queue=d.jobs, clock=d.clock)
    status_url = url_for("jobs.status", job_id=job.id)
    if hx_target() != "customer-export":
        return see_other(status_url)
    job = job_for(job.id or 0, actor=current_actor(), uow=d.reader())  # the queue may have run it already
    return render("jobs/status.html", {"customer-export": "customer_lists/_export.html"}, job=job,
                  poll=POLL_SECONDS, status_url=status_url)


def _export_header() -> list[str]:
    return [_("Name"), _("Unified social credit code"), _("Stage"), _("Region"), _("Owner"), _("Created"),
            _("Phone"), _("E-mail"), _("Tags")]


def _tags(customer_id: int, tags: object, status: int, **context: object) -> HttpResponse:
    if hx_target() != "customer-tags" and status == 200:
        return see_other(url_for("customers.detail", customer_id=customer_id))
    if tags is None:
        tags = services.get_customer(customer_id, actor=current_actor(), uow=deps().reader()).tags
    return render("customer_lists/tags_page.html", TAGS, status, customer_id=customer_id, tags=tags,
                  **({"errors": {}} | context))


def _views(status: int, **context: object) -> HttpResponse:
    return render("customers/index.html", None, status, **(list_context(request.form, full=True) | context))

