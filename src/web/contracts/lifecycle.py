"""Contract status actions: submit for approval, return to draft, terminate (with reason), renew (new period)."""

from collections.abc import Callable

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts import services, workflow
from domain.contracts.errors import InvalidTransition
from domain.contracts.lifecycle import Action, ensure
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import StaleVersion, ValidationFailed
from web.contracts.forms import form_values, number_pattern
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import ERRORS, error_messages

bp = Blueprint("contract_lifecycle", __name__, url_prefix="/contracts")
FORMS = {"terminate": "contracts/terminate.html", "renew": "contracts/renew.html"}


@bp.post("/<int:contract_id>/submit")
def submit(contract_id: int) -> HttpResponse:
    d = deps()
    return _moved(contract_id, lambda: workflow.submit_contract(
        contract_id, version_of(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock),
        _("Submitted for approval."))


@bp.post("/<int:contract_id>/reopen")
def reopen(contract_id: int) -> HttpResponse:
    d = deps()
    return _moved(contract_id, lambda: workflow.reopen_contract(
        contract_id, version_of(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock),
        _("Back to draft: edit it and submit it again."))


@bp.get("/<int:contract_id>/<any(terminate, renew):action>")
def confirm(contract_id: int, action: str) -> HttpResponse:
    require(current_actor(), Permission.CONTRACT_TERMINATE if action == "terminate" else Permission.CONTRACT_UPDATE)
    found = services.get_contract(contract_id, actor=current_actor(), uow=deps().reader())
    try:
        ensure(found.contract.status, Action(action))
    except InvalidTransition as refused:
        flash(str(ERRORS[refused.code]), "error")
        return see_other(url_for("contracts.detail", contract_id=contract_id))
    return _form(action, found, 200, {})


@bp.post("/<int:contract_id>/terminate")
def terminate(contract_id: int) -> HttpResponse:
    d = deps()
    try:
        workflow.terminate_contract(contract_id, request.form, version_of(request.form), actor=current_actor(),
                                    uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form("terminate", services.get_contract(contract_id, actor=current_actor(), uow=d.reader()), 422,
                     error.errors)
    except (InvalidTransition, StaleVersion) as error:
        return _refused(contract_id, error)
    flash(_("Contract terminated."), "success")
    return see_other(url_for("contracts.detail", contract_id=contract_id))


@bp.post("/<int:contract_id>/renew")
def renew(contract_id: int) -> HttpResponse:
    d = deps()
    try:
        successor = workflow.renew_contract(contract_id, request.form, version_of(request.form),
                                            actor=current_actor(), uow=d.uow(), clock=d.clock,
                                            pattern=number_pattern())
    except ValidationFailed as error:
        return _form("renew", services.get_contract(contract_id, actor=current_actor(), uow=d.reader()), 422,
                     error.errors)
    except (InvalidTransition, StaleVersion) as error:
        return _refused(contract_id, error)
    flash(_("Renewed: %(number)s is the draft of the next period. Check it and submit it.",
            number=successor.number), "success")
    return see_other(url_for("contracts.detail", contract_id=successor.id))


def _moved(contract_id: int, move: Callable[[], object], done: str) -> HttpResponse:
    try:
        move()
    except (InvalidTransition, StaleVersion) as error:
        return _refused(contract_id, error)
    flash(done, "success")
    return see_other(url_for("contracts.detail", contract_id=contract_id))


def _refused(contract_id: int, error: Exception) -> HttpResponse:
    code = error.code if isinstance(error, InvalidTransition) else "contract.changed"
    flash(str(ERRORS[code]), "error")
    return see_other(url_for("contracts.detail", contract_id=contract_id))


def _form(action: str, found: services.ContractDetail, status: int, errors: dict[str, str]) -> HttpResponse:
    return render(FORMS[action], None, status, detail=found,
                  contract=found.contract, values=form_values(request.form), errors=error_messages(errors))
