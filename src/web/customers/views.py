"""Customers: list with active search, create, edit with optimistic locking, detail with follow-ups."""

import secrets
from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.customers import services
from domain.customers.duplicates import find_duplicates
from domain.customers.errors import CustomerArchived
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from web.customer_lists.context import list_context
from web.customers.forms import conflicting, form_values, masks_of, values_of, version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.why import customer_why

bp = Blueprint("customers", __name__, url_prefix="/customers")
RESULTS = {"customer-results": "customers/_results.html"}
FORM = {"customer-form": "customers/_form.html"}
SENSITIVE = {f"sensitive-{field}": "customers/_sensitive.html" for field in ("phone", "email")}


@bp.get("")
def index() -> HttpResponse:
    return render("customers/index.html", RESULTS, **list_context(request.args, full=hx_target() != "customer-results"))


@bp.get("/duplicates")
def duplicates() -> HttpResponse:
    """Likely duplicates of what is being typed into the customer form (debounced htmx check)."""
    exclude = request.args.get("exclude", "")
    found = find_duplicates(request.args, int(exclude) if exclude.isdigit() and len(exclude) < 12 else None,
                            actor=current_actor(), uow=deps().reader())
    return render("customers/duplicates.html", {"duplicate-warning": "customers/_duplicates.html"},
                  duplicates=found)


@bp.get("/new")
def new() -> HttpResponse:
    require(current_actor(), Permission.CUSTOMER_CREATE)
    values = {"owner_id": str(current_actor().user_id), "stage": "lead"}
    return _form_page("customers/new.html", 200, values=values, form_token=secrets.token_urlsafe(24))


@bp.post("")
def create() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    try:
        customer = services.register_customer(request.form, token, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_page("customers/new.html", 422, values=request.form, errors=error.errors, form_token=token)
    except Conflict:  # a concurrent request won a uniqueness race: the same form, or the same credit code
        twin = services.customer_by_form_token(token, actor=actor, uow=d.reader())
        if twin is None:
            return _form_page("customers/new.html", 422, values=request.form,
                              errors={"credit_code": "credit_code.taken"}, form_token=token)
        customer = twin
    flash(_("Customer “%(name)s” created.", name=customer.name), "success")
    return see_other(url_for(".detail", customer_id=customer.id))


@bp.get("/<int:customer_id>")
def detail(customer_id: int) -> HttpResponse:
    return detail_page(customer_id)


def detail_page(customer_id: int, fragments: Mapping[str, str] | None = None, status: int = 200,
                **extra: object) -> HttpResponse:
    """The customer page (or one of its fragments) with every section's defaults, overridable by `extra`."""
    found = services.get_customer(customer_id, actor=current_actor(), uow=deps().reader())
    owners = _owner_choices() if current_actor().can(Permission.CUSTOMER_ASSIGN) else []
    context: dict[str, object] = {
        "detail": found, "customer": found.customer, "errors": {}, "values": {}, "revealed": {}, "owners": owners,
        "contact_errors": {}, "contact_values": {}, "contact_revealed": {}, "editing": None,
        "owner_errors": {}}
    return render("customers/detail.html", fragments, status, **(context | extra))


@bp.get("/<int:customer_id>/access")
def access(customer_id: int) -> HttpResponse:
    """The "why can I see this?" reasons: loaded when the panel opens, or as a page without JavaScript."""
    found = services.get_customer(customer_id, actor=current_actor(), uow=deps().reader())
    return render("customers/access.html", {"why-reasons": "_why_reasons.html"}, customer=found.customer,
                  why=customer_why(found))


@bp.post("/<int:customer_id>/reveal/<field>")
def reveal(customer_id: int, field: str) -> HttpResponse:
    d, actor = deps(), current_actor()
    value = services.reveal_customer_field(customer_id, field, actor=actor, uow=d.uow(), clock=d.clock)
    return detail_page(customer_id, SENSITIVE, revealed={field: value}, field=field)


@bp.get("/<int:customer_id>/edit")
def edit(customer_id: int) -> HttpResponse:
    found = services.get_customer(customer_id, actor=current_actor(), uow=deps().reader())
    return _form_page("customers/edit.html", 200, values=values_of(found.customer), customer=found.customer,
                      version=found.customer.version, masks=masks_of(found.customer))


@bp.post("/<int:customer_id>")
def update(customer_id: int) -> HttpResponse:
    d, actor, version = deps(), current_actor(), version_of(request.form)
    try:
        customer = services.update_customer(customer_id, request.form, version, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        current = services.get_customer(customer_id, actor=actor, uow=d.reader()).customer
        return _form_page("customers/edit.html", 422, values=request.form, errors=error.errors, customer=current,
                          version=version, masks=masks_of(current))
    except (StaleVersion, CustomerArchived):
        return _conflict(customer_id)
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", customer_id=customer.id))


@bp.post("/<int:customer_id>/archive")
def archive(customer_id: int) -> HttpResponse:
    d = deps()
    try:
        services.archive_customer(customer_id, version_of(request.form), actor=current_actor(), uow=d.uow(),
                                  clock=d.clock)
    except (StaleVersion, CustomerArchived):
        flash(_("Not archived: someone changed this customer meanwhile. Check it and try again."), "error")
        return see_other(url_for(".detail", customer_id=customer_id))
    flash(_("Customer archived."), "success")
    return see_other(url_for(".index"))


@bp.post("/<int:customer_id>/owner")
def reassign(customer_id: int) -> HttpResponse:
    d = deps()
    try:
        services.reassign_customer(customer_id, request.form.get("owner_id", "").strip(), version_of(request.form),
                                   actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return detail_page(customer_id, None, 422, owner_errors=error_messages(error.errors))
    except (StaleVersion, CustomerArchived):
        flash(_("Not reassigned: someone changed this customer meanwhile. Check it and try again."), "error")
        return see_other(url_for(".detail", customer_id=customer_id))
    flash(_("Owner changed."), "success")
    return see_other(url_for(".detail", customer_id=customer_id))


@bp.post("/<int:customer_id>/follow-ups")
def add_follow_up(customer_id: int) -> HttpResponse:
    d, actor = deps(), current_actor()
    try:
        follow_up = services.add_follow_up(customer_id, request.form, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _follow_up_errors(customer_id, error.errors)
    if hx_target() == "followup-list":
        return render("customers/_followup_created.html", None, follow_up=follow_up, customer_id=customer_id,
                      errors={}, values={})
    flash(_("Follow-up added."), "success")
    return see_other(url_for(".detail", customer_id=customer_id))


def _follow_up_errors(customer_id: int, errors: dict[str, str]) -> HttpResponse:
    if hx_target() == "followup-list":
        response = render("customers/_followup_form.html", None, 422, customer_id=customer_id,
                          errors=error_messages(errors), values=request.form)
        response.headers.update({"HX-Retarget": "#followup-form", "HX-Reswap": "outerHTML"})
        return response
    return detail_page(customer_id, None, 422, errors=error_messages(errors), values=request.form)


def _conflict(customer_id: int) -> HttpResponse:
    current = services.get_customer(customer_id, actor=current_actor(), uow=deps().reader()).customer
    return _form_page("customers/edit.html", 409, values=request.form, customer=current, version=current.version,
                      conflict=conflicting(request.form, current), archived=current.archived_at is not None,
                      masks=masks_of(current))


def _form_page(template: str, status: int, *, values: Mapping[str, str], errors: dict[str, str] | None = None,
               **context: object) -> HttpResponse:
    return render(template, FORM, status, values=form_values(values), errors=error_messages(errors or {}),
                  owners=_owner_choices(), **context)


def _owner_choices() -> list[tuple[int, str]]:
    return services.assignable_owners(actor=current_actor(), uow=deps().reader())
