"""Amendments (补充协议): the amend form of an active contract, and each amendment's diff page."""

from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts import amending, services
from domain.contracts.errors import InvalidTransition
from domain.contracts.lifecycle import Action, ensure
from domain.contracts.parties import may_choose
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import StaleVersion, ValidationFailed
from web.contracts.forms import conflicting, form_values, values_of
from web.contracts.parties import PICKER, asked_party, choices, party_name
from web.contracts.views import form_party
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
    values, kind = values_of(found.contract), found.contract.kind
    new_party = asked_party(request.args, kind)  # chosen with "Change party…": of the contract's kind
    if new_party is not None:
        try:
            party_name(kind, new_party)  # 403/404 unless the actor may choose it
        except ValidationFailed as refused:  # a blacklisted supplier
            return _page(found, 422, values, refused.errors, version=found.contract.version)
        values[kind.party_field] = str(new_party)
    return _page(found, 200, values, {}, version=found.contract.version)


@bp.get("/<int:contract_id>/amend/party")
def party_picker(contract_id: int) -> HttpResponse:
    """Change of party: choose a new customer or supplier (the contract's kind), then back to the amendment form."""
    require(current_actor(), Permission.CONTRACT_UPDATE)
    found = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    kind = found.contract.kind
    picker = {"picker": kind.value, **choices(kind)} if may_choose(kind, current_actor()) else {}
    return render("contracts/party.html", PICKER, contract=found.contract, **picker,
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
    shown = form_values(values, found.contract.kind)
    return render("contracts/amend.html", FORM, status, detail=found, contract=found.contract, values=shown,
                  errors=error_messages(errors), party_name=form_party(shown, found) or found.party_name,
                  may_change_party=may_choose(found.contract.kind, current_actor()), **context)
