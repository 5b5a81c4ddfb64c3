"""Requisition status actions: submit for approval (beyond a stop budget with the override), return a rejected
one to draft, close an approved or ordered one (with a reason, releasing its budget)."""

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.models import Outcome
from domain.budgets.errors import BudgetExceeded
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.requisitions import services, workflow
from domain.requisitions.lifecycle import Action, ensure
from domain.shared.errors import InvalidTransition, NotFound, StaleVersion, ValidationFailed
from web.budgets.forms import budget_refusal
from web.contracts.forms import money
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import ERRORS, error_messages

bp = Blueprint("requisition_lifecycle", __name__, url_prefix="/requisitions")
T = TypeVar("T")


@bp.post("/<int:requisition_id>/submit")
def submit(requisition_id: int) -> HttpResponse:
    d = deps()
    return _moved(requisition_id, lambda: workflow.submit_requisition(
        requisition_id, version_of(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock,
        override=request.form.get("override") == "1"), _submitted)


@bp.post("/<int:requisition_id>/reopen")
def reopen(requisition_id: int) -> HttpResponse:
    d = deps()
    return _moved(requisition_id, lambda: workflow.reopen_requisition(
        requisition_id, version_of(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock),
        lambda _reopened: _("Back to draft: edit it and submit it again."))


@bp.get("/<int:requisition_id>/close")
def close_form(requisition_id: int) -> HttpResponse:
    actor, d = current_actor(), deps()
    require(actor, Permission.REQUISITION_CLOSE)
    found = services.get_requisition(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
    if not found.in_scope:  # an approver's read-only view
        raise NotFound()
    try:
        ensure(found.requisition.status, Action.CLOSE)
    except InvalidTransition as refused:
        flash(str(ERRORS[refused.code]), "error")
        return see_other(url_for("requisitions.detail", requisition_id=requisition_id))
    return _close_page(found, 200, {})


@bp.post("/<int:requisition_id>/close")
def close(requisition_id: int) -> HttpResponse:
    d, actor = deps(), current_actor()
    try:
        workflow.close_requisition(requisition_id, request.form.get("reason", ""), version_of(request.form),
                                   actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        found = services.get_requisition(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
        return _close_page(found, 422, error.errors)
    except (InvalidTransition, StaleVersion) as error:
        return _refused(requisition_id, error)
    flash(_("Requisition closed; the budget it still held is released."), "success")
    return see_other(url_for("requisitions.detail", requisition_id=requisition_id))


def _submitted(result: workflow.Submitted) -> str:
    if result.outcome is Outcome.APPROVED:
        message = str(_("No approval rule applies, so it is approved at once; its budget is committed."))
    else:
        message = str(_("Submitted for approval. You see the approvers' decisions in its approval trail."))
    check = result.budget
    if check is not None and check.exceeds and not check.blocked:
        message += " " + _("Note: it takes budget “%(name)s” %(over)s beyond its amount (the budget only warns).",
                           name=check.budget.name, over=money(-check.remaining_after))
    return message


def _moved(requisition_id: int, move: Callable[[], T], done: Callable[[T], str]) -> HttpResponse:
    try:
        flash(done(move()), "success")
    except BudgetExceeded as exceeded:
        flash(budget_refusal(exceeded), "error")
    except ValidationFailed as refused:  # the approval engine: nobody could approve it, or it waits already
        flash(" ".join(error_messages(refused.errors).values()), "error")
    except (InvalidTransition, StaleVersion) as error:
        return _refused(requisition_id, error)
    return see_other(url_for("requisitions.detail", requisition_id=requisition_id))


def _refused(requisition_id: int, error: InvalidTransition | StaleVersion) -> HttpResponse:
    code = error.code if isinstance(error, InvalidTransition) else "requisition.changed"
    flash(str(ERRORS[code]), "error")
    return see_other(url_for("requisitions.detail", requisition_id=requisition_id))


def _close_page(found: services.RequisitionDetail, status: int, errors: dict[str, str]) -> HttpResponse:
    return render("requisitions/close.html", None, status, detail=found, requisition=found.requisition,
                  values={"reason": request.form.get("reason", "")[:1000]}, errors=error_messages(errors))
