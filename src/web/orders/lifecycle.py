"""Order status actions: submit for approval, return to draft, send, cancel (with reason), close."""

from collections.abc import Callable

from flask import flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.budgets.errors import BudgetExceeded
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.purchasing import workflow
from domain.purchasing.lifecycle import Action, ensure
from domain.purchasing.models import OrderStatus, PurchaseOrder
from domain.shared.errors import InvalidTransition, StaleVersion, ValidationFailed
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import ERRORS, error_messages
from web.orders.blueprint import BASE, bp
from web.orders.drafts import editable_order

Refusal = InvalidTransition | StaleVersion | ValidationFailed | BudgetExceeded
REFUSED = (InvalidTransition, StaleVersion, ValidationFailed, BudgetExceeded)


@bp.post(BASE + "/<int:order_id>/submit")
def submit(order_id: int) -> HttpResponse:
    d = deps()
    return _moved(order_id, lambda: workflow.submit_order(order_id, version_of(request.form), actor=current_actor(),
                                                          uow=d.uow(), clock=d.clock), _submitted)


@bp.post(BASE + "/<int:order_id>/reopen")
def reopen(order_id: int) -> HttpResponse:
    d = deps()
    return _moved(order_id, lambda: workflow.reopen_order(order_id, version_of(request.form), actor=current_actor(),
                                                          uow=d.uow(), clock=d.clock),
                  lambda _order: _("Back to draft: change it and submit it again."))


@bp.post(BASE + "/<int:order_id>/send")
def send(order_id: int) -> HttpResponse:
    d = deps()
    return _moved(order_id, lambda: workflow.send_order(order_id, version_of(request.form), actor=current_actor(),
                                                        uow=d.uow(), clock=d.clock),
                  lambda order: _("%(number)s is marked as sent. The printable order is what the supplier gets.",
                                  number=order.number))


@bp.get(BASE + "/<int:order_id>/<any(cancel, close):action>")
def confirm(order_id: int, action: str) -> HttpResponse:
    require(current_actor(), Permission.ORDER_UPDATE)
    order = editable_order(order_id)
    try:
        workflow.ensure_cancellable(order) if action == "cancel" else ensure(order.status, Action(action))
    except InvalidTransition as refused:
        flash(str(ERRORS[refused.code]), "error")
        return see_other(url_for(".detail", order_id=order_id))
    return _confirm_page(order, action, 200, {})


@bp.post(BASE + "/<int:order_id>/cancel")
def cancel(order_id: int) -> HttpResponse:
    return _with_reason(order_id, "cancel", workflow.cancel_order, _("Order cancelled. Its requisition quantities "
                                                                     "and budget were given back."))


@bp.post(BASE + "/<int:order_id>/close")
def close(order_id: int) -> HttpResponse:
    return _with_reason(order_id, "close", workflow.close_order, _("Order closed."))


def _with_reason(order_id: int, action: str, move: Callable[..., PurchaseOrder], done: str) -> HttpResponse:
    d = deps()
    try:
        move(order_id, request.form, version_of(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        if "reason" not in error.errors:
            return _refused(order_id, error)
        return _confirm_page(editable_order(order_id), action, 422, error.errors)
    except REFUSED as error:
        return _refused(order_id, error)
    flash(done, "success")
    return see_other(url_for(".detail", order_id=order_id))


def _moved(order_id: int, move: Callable[[], PurchaseOrder], done: Callable[[PurchaseOrder], str]) -> HttpResponse:
    try:
        order = move()
    except REFUSED as error:
        return _refused(order_id, error)
    flash(done(order), "success")
    return see_other(url_for(".detail", order_id=order_id))


def _submitted(order: PurchaseOrder) -> str:
    if order.status is OrderStatus.APPROVED:
        return str(_("Approved at once: no approval rule applies to this order. Its budget is committed."))
    return str(_("Submitted for approval. It can no longer be edited while it is being approved."))


def _refused(order_id: int, error: Refusal) -> HttpResponse:
    flash(str(ERRORS.get(_code(error), ERRORS["order.changed"])), "error")
    return see_other(url_for(".detail", order_id=order_id))


def _code(error: Refusal) -> str:
    if isinstance(error, InvalidTransition):
        return error.code
    if isinstance(error, ValidationFailed):
        return next(iter(error.errors.values()), "order.changed")
    return BudgetExceeded.code if isinstance(error, BudgetExceeded) else "order.changed"


def _confirm_page(order: PurchaseOrder, action: str, status: int, errors: dict[str, str]) -> HttpResponse:
    return render("orders/confirm.html", None, status, order=order, action=action,
                  reason=request.form.get("reason", "")[:1000], errors=error_messages(errors))
