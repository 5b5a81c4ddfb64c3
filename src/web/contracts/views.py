"""Contracts: list with search and filters, draft, edit a draft with optimistic locking, detail."""

import secrets
from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.engine import approval_trail
from domain.contracts import services
from domain.contracts.errors import InvalidTransition
from domain.customers import services as customers
from domain.customers.models import CustomerListQuery
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from web.contracts import forms
from web.contracts.attachments import section_context
from web.contracts.forms import conflicting, form_values, values_of
from web.contracts.list_page import contract_context
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import ERRORS, error_messages

bp = Blueprint("contracts", __name__, url_prefix="/contracts")
RESULTS = {"contract-results": "contracts/_results.html", "customer-contracts": "contracts/_customer_contracts.html"}
FORM = {"contract-form": "contracts/_form.html"}
PICKER = {"customer-picker": "contracts/_customer_picker.html"}


@bp.app_template_filter("money")
def _money(value: object) -> str:
    return forms.money(value)


@bp.app_template_filter("capitals")
def _capitals(value: object) -> str:
    return forms.capitals(value)


@bp.app_template_filter("contract_field")
def _field_label(name: str) -> str:
    return str(forms.FIELD_NAMES.get(name, name))


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return forms.labels()


@bp.get("")
def index() -> HttpResponse:
    return render("contracts/index.html", RESULTS, **contract_context(request.args, hx_target() is None))


@bp.get("/new")
def new() -> HttpResponse:
    actor = current_actor()
    require(actor, Permission.CONTRACT_CREATE)
    customer_id = forms.contract_query({"customer": request.args.get("customer_id", "")}).customer_id
    if customer_id is None:
        return _picker()
    customer = customers.get_customer(customer_id, actor=actor, uow=deps().reader()).customer
    values = {"customer_id": str(customer_id), "owner_id": str(actor.user_id), "currency": "CNY"}
    return _form_page("contracts/new.html", 200, values=values, customer_name=customer.name,
                      form_token=secrets.token_urlsafe(24))


@bp.post("")
def create() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    try:
        contract = services.create_contract(request.form, actor=actor, uow=d.uow(), clock=d.clock,
                                            pattern=forms.number_pattern(), form_token=token)
    except ValidationFailed as error:
        return _form_page("contracts/new.html", 422, values=request.form, errors=error.errors,
                          customer_name=party(request.form), form_token=token)
    except Conflict:  # the same form, submitted twice at once: the other request made the draft
        twin = services.contract_by_form_token(token, actor=actor, uow=d.reader())
        if twin is None:
            raise
        contract = twin
    flash(_("Contract %(number)s drafted.", number=contract.number), "success")
    return see_other(url_for(".detail", contract_id=contract.id))


@bp.get("/<int:contract_id>")
def detail(contract_id: int) -> HttpResponse:
    actor, d = current_actor(), deps()
    found = services.get_contract(contract_id, actor=actor, uow=d.reader())
    trail = approval_trail("contract", contract_id, actor=actor, uow=d.reader())  # after the scope check above
    return render("contracts/detail.html", None, detail=found, **section_context(contract_id),
                  approval_trail=trail)


@bp.get("/<int:contract_id>/edit")
def edit(contract_id: int) -> HttpResponse:
    require(current_actor(), Permission.CONTRACT_UPDATE)
    found = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    return _form_page("contracts/edit.html", 200, values=values_of(found.contract), contract=found.contract,
                      version=found.contract.version, customer_name=found.customer_name)


@bp.post("/<int:contract_id>")
def update(contract_id: int) -> HttpResponse:
    d, actor, version = deps(), current_actor(), version_of(request.form)
    try:
        services.update_contract(contract_id, request.form, version, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        found = services.get_contract(contract_id, actor=actor, uow=d.reader())
        return _form_page("contracts/edit.html", 422, values=request.form, errors=error.errors,
                          contract=found.contract, version=version, customer_name=party(request.form))
    except (StaleVersion, InvalidTransition) as error:
        return _conflict(contract_id, error)
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", contract_id=contract_id))


def _conflict(contract_id: int, error: Exception) -> HttpResponse:
    current = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    refusal = str(ERRORS[error.code]) if isinstance(error, InvalidTransition) else None
    return _form_page("contracts/edit.html", 409, values=request.form, contract=current.contract,
                      version=current.contract.version, conflict=conflicting(request.form, current.contract),
                      refusal=refusal, customer_name=current.customer_name)


def _picker() -> HttpResponse:
    """Choose the customer first."""
    return render("contracts/new.html", PICKER, **customer_choices())


def customer_choices() -> dict[str, object]:
    """Customers matching ?q= for the party picker; the search reuses the customer list (the actor's scope)."""
    text = request.args.get("q", "").strip()[:100]
    found = customers.list_customers(CustomerListQuery(text=text, per_page=20), actor=current_actor(),
                                     uow=deps().reader(), with_owner_filter=False)
    return {"choices": found.page.items, "q": text}


def party(raw: Mapping[str, str]) -> str:
    """The name of the customer a submitted form names, if the actor may see it."""
    customer_id = forms.contract_query({"customer": raw.get("customer_id", "")}).customer_id
    if customer_id is None:
        return ""
    try:
        return customers.get_customer(customer_id, actor=current_actor(), uow=deps().reader()).customer.name
    except NotFound:  # not a customer the actor may see: show nothing of it
        return ""


def _form_page(template: str, status: int, *, values: Mapping[str, str], errors: dict[str, str] | None = None,
               **context: object) -> HttpResponse:
    owners = services.assignable_owners(actor=current_actor(), uow=deps().reader())
    return render(template, FORM, status, values=form_values(values), errors=error_messages(errors or {}),
                  owners=owners, **context)
