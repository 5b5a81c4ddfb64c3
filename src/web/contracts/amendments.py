"""Amendments (补充协议): the amend form of an active contract, and each amendment's diff page."""

from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts import amending, services
from domain.contracts.errors import InvalidTransition
from domain.contracts.lifecycle import Action, ensure
from domain.customers import services as customers
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import StaleVersion, ValidationFailed
from web.contracts.forms import conflicting, form_values, values_of
from web.contracts.views import PICKER, customer_choices, party
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import ERRORS, error_messages

bp = Blueprint("amendments", __name__, url_prefix="/contracts")
FORM = {"amend-form": "contracts/_amend_form.html"}


@bp.get("/<int:contract_id>/amend")
def amend_form(contract_id: int) -> HttpResponse:
    actor = current_actor()
    require(actor, Permission.CONTRACT_UPDATE)
    found = services.get_contract(contract_id, actor=actor, uow=deps().reader())
    try:
        ensure(found.contract.status, Action.AMEND)
    except InvalidTransition as refused:
        flash(str(ERRORS[refused.code]), "error")
        return see_other(url_for("contracts.detail", contract_id=contract_id))
    values = values_of(found.contract)
    new_party = request.args.get("customer_id", "")
    if new_party.isdigit() and len(new_party) < 12:  # chosen with "Change party…"; a customer the actor sees
        customer = customers.get_customer(int(new_party), actor=actor, uow=deps().reader()).customer
        values["customer_id"] = str(customer.id)
    return _page(found, 200, values, {}, version=found.contract.version)


@bp.get("/<int:contract_id>/amend/party")
def party_picker(contract_id: int) -> HttpResponse:
    """Change of party: choose the new customer, then back to the amendment form with it."""
    require(current_actor(), Permission.CONTRACT_UPDATE)
    found = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    return render("contracts/party.html", PICKER, contract=found.contract, **customer_choices(),
                  search_url=url_for(".party_picker", contract_id=contract_id),
                  pick_url=url_for(".amend_form", contract_id=contract_id))


@bp.post("/<int:contract_id>/amend")
def amend(contract_id: int) -> HttpResponse:
    d, actor = deps(), current_actor()
    try:
        amendment = amending.amend_contract(contract_id, request.form, version_of(request.form), actor=actor,
                                            uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        found = services.get_contract(contract_id, actor=actor, uow=d.reader())
        return _page(found, 422, request.form, error.errors, version=version_of(request.form))
    except (StaleVersion, InvalidTransition) as error:
        found = services.get_contract(contract_id, actor=actor, uow=d.reader())
        refusal = str(ERRORS[error.code]) if isinstance(error, InvalidTransition) else None
        return _page(found, 409, request.form, {}, version=found.contract.version,
                     conflict=conflicting(request.form, found.contract), refusal=refusal)
    flash(_("Amendment %(number)d recorded.", number=amendment.number), "success")
    return see_other(url_for(".detail", contract_id=contract_id, number=amendment.number))


@bp.get("/<int:contract_id>/amendments/<int:number>")
def detail(contract_id: int, number: int) -> HttpResponse:
    found = amending.get_amendment(contract_id, number, actor=current_actor(), uow=deps().reader())
    return render("contracts/amendment.html", None, contract=found.contract, amendment=found.amendment,
                  parties=found.party_names)


def _page(found: services.ContractDetail, status: int, values: Mapping[str, str], errors: dict[str, str],
          **context: object) -> HttpResponse:
    shown = form_values(values)
    return render("contracts/amend.html", FORM, status, detail=found, contract=found.contract, values=shown,
                  errors=error_messages(errors), customer_name=party(shown) or found.customer_name, **context)
