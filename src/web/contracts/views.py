"""Contracts: list with search and filters, draft (sales or purchase), edit a draft with optimistic locking, detail,
and the contracts section of a supplier's page."""

import secrets
from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.engine import approval_trail
from domain.contracts import parties, services
from domain.contracts.errors import InvalidTransition
from domain.contracts.models import Contract, ContractKind
from domain.contracts.parties import PARTY_READ, usable_kinds
from domain.identity.access import require, require_any
from domain.identity.permissions import Permission
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from web.contracts import forms
from web.contracts.attachments import section_context
from web.contracts.forms import conflicting, contract_query, form_values, values_of
from web.contracts.list_page import contract_context
from web.contracts.parties import PICKER, asked_kind, choices, named_party, party_name, picked
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import ERRORS, error_messages

bp = Blueprint("contracts", __name__)  # no prefix: the supplier section lives under /suppliers
RESULTS = {"contract-results": "contracts/_results.html", "customer-contracts": "contracts/_customer_contracts.html"}
SUPPLIER_SECTION = {"supplier-contracts": "contracts/_supplier_contracts.html"}
FORM = {"contract-form": "contracts/_form.html"}


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


@bp.get("/contracts")
def index() -> HttpResponse:
    return render("contracts/index.html", RESULTS, **contract_context(request.args, hx_target() is None))


@bp.get("/contracts/new")
def new() -> HttpResponse:
    """Choose the kind (when the actor may draft both), then the party, then fill in the terms."""
    actor = current_actor()
    require(actor, Permission.CONTRACT_CREATE)
    require_any(actor, *PARTY_READ.values())
    usable = usable_kinds(actor)
    chosen = picked(request.args)
    if chosen:
        return _new_form(*chosen)
    kind = asked_kind(request.args, usable, actor)
    if kind is None:
        return render("contracts/new.html", None, kinds=usable)
    return render("contracts/new.html", PICKER, kinds=usable, picker=kind.value, **choices(kind))


def _new_form(kind: ContractKind, party_id: int) -> HttpResponse:
    try:
        name = party_name(kind, party_id)
    except ValidationFailed as refused:  # a blacklisted supplier: back to the picker, saying why
        return render("contracts/new.html", PICKER, 422, kinds=usable_kinds(current_actor()), picker=kind.value,
                      refusal=error_messages(refused.errors).get(kind.party_field), **choices(kind))
    values = {"kind": kind.value, kind.party_field: str(party_id), "owner_id": str(current_actor().user_id),
              "currency": "CNY"}
    return _form_page("contracts/new.html", 200, values=values, party_name=name, form_token=secrets.token_urlsafe(24))


@bp.post("/contracts")
def create() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    try:
        contract = services.create_contract(request.form, actor=actor, uow=d.uow(), clock=d.clock,
                                            pattern=forms.number_pattern(), form_token=token)
    except ValidationFailed as error:
        return _form_page("contracts/new.html", 422, values=request.form, errors=error.errors,
                          party_name=named_party(request.form), form_token=token)
    except Conflict:  # the same form, submitted twice at once: the other request made the draft
        twin = services.contract_by_form_token(token, actor=actor, uow=d.reader())
        if twin is None:
            raise
        contract = twin
    flash(_("Contract %(number)s drafted.", number=contract.number), "success")
    return see_other(url_for(".detail", contract_id=contract.id))


@bp.get("/contracts/<int:contract_id>")
def detail(contract_id: int) -> HttpResponse:
    actor, d = current_actor(), deps()
    found = services.get_contract(contract_id, actor=actor, uow=d.reader())
    trail = approval_trail("contract", contract_id, actor=actor, uow=d.reader())  # after the scope check above
    return render("contracts/detail.html", None, detail=found, **section_context(contract_id),
                  approval_trail=trail)


@bp.get("/contracts/<int:contract_id>/edit")
def edit(contract_id: int) -> HttpResponse:
    require(current_actor(), Permission.CONTRACT_UPDATE)
    found = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    return _form_page("contracts/edit.html", 200, values=values_of(found.contract), contract=found.contract,
                      version=found.contract.version, party_name=found.party_name)


@bp.post("/contracts/<int:contract_id>")
def update(contract_id: int) -> HttpResponse:
    d, actor, version = deps(), current_actor(), version_of(request.form)
    try:
        services.update_contract(contract_id, request.form, version, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        found = services.get_contract(contract_id, actor=actor, uow=d.reader())
        return _form_page("contracts/edit.html", 422, values=request.form, errors=error.errors,
                          contract=found.contract, version=version, party_name=form_party(request.form, found))
    except (StaleVersion, InvalidTransition) as error:
        return _conflict(contract_id, error)
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", contract_id=contract_id))


@bp.get("/suppliers/<int:supplier_id>/contracts")
def supplier_contracts(supplier_id: int) -> HttpResponse:
    """The supplier's contracts in the actor's scope: the section its page loads, or a page of its own."""
    found = parties.supplier_contracts(supplier_id, contract_query({}), actor=current_actor(), uow=deps().reader())
    return render("contracts/supplier_contracts.html", SUPPLIER_SECTION, supplier=found.supplier, page=found.page,
                  base=url_for(".index"), may_draft=found.may_draft)


def form_party(raw: Mapping[str, str], found: services.ContractDetail) -> str:
    """The party a re-shown form names: the contract's own, or a new one the actor may choose."""
    unchanged = raw.get(found.contract.kind.party_field, "").strip() == str(found.contract.party_id)
    return found.party_name if unchanged else named_party(raw)


def _conflict(contract_id: int, error: Exception) -> HttpResponse:
    current = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    refusal = str(ERRORS[error.code]) if isinstance(error, InvalidTransition) else None
    return _form_page("contracts/edit.html", 409, values=request.form, contract=current.contract,
                      version=current.contract.version, conflict=conflicting(request.form, current.contract),
                      refusal=refusal, party_name=current.party_name)


def _form_page(template: str, status: int, *, values: Mapping[str, str], errors: dict[str, str] | None = None,
               **context: object) -> HttpResponse:
    owners = services.assignable_owners(actor=current_actor(), uow=deps().reader())
    contract = context.get("contract")
    kind = contract.kind if isinstance(contract, Contract) else None
    return render(template, FORM, status, values=form_values(values, kind), errors=error_messages(errors or {}),
                  owners=owners, **context)
