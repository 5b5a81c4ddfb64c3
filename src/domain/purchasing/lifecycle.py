"""The purchase order lifecycle as a pure state machine: which action moves which status where.

RECEIVE is taken by every goods receipt: it leads to partly received or received, whichever the quantities
say (`received_status`). CLOSE ends a fully received order, or a partly received one early (with a reason).
"""

from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from domain.purchasing.models import OrderStatus as S, PurchaseOrder
from domain.shared.lifecycle import StateMachine


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"
    SEND = "send"
    RECEIVE = "receive"
    CLOSE = "close"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[S, Action], S] = {
    (S.DRAFT, Action.EDIT): S.DRAFT,
    (S.DRAFT, Action.SUBMIT): S.PENDING_APPROVAL,
    (S.PENDING_APPROVAL, Action.APPROVE): S.APPROVED,
    (S.PENDING_APPROVAL, Action.REJECT): S.REJECTED,
    (S.REJECTED, Action.REOPEN): S.DRAFT,
    (S.APPROVED, Action.SEND): S.SENT,
    (S.SENT, Action.RECEIVE): S.PARTLY_RECEIVED,  # or RECEIVED: see received_status
    (S.PARTLY_RECEIVED, Action.RECEIVE): S.PARTLY_RECEIVED,
    (S.RECEIVED, Action.CLOSE): S.CLOSED,
    (S.PARTLY_RECEIVED, Action.CLOSE): S.CLOSED,
    (S.DRAFT, Action.CANCEL): S.CANCELLED,
    (S.REJECTED, Action.CANCEL): S.CANCELLED,
    (S.APPROVED, Action.CANCEL): S.CANCELLED,
    (S.SENT, Action.CANCEL): S.CANCELLED,
}

# The message code when an action is refused, one per action.
REFUSALS: dict[Action, str] = {
    Action.EDIT: "order.edit_not_draft",
    Action.SUBMIT: "order.submit_not_draft",
    Action.APPROVE: "order.decide_not_pending",
    Action.REJECT: "order.decide_not_pending",
    Action.REOPEN: "order.reopen_not_rejected",
    Action.SEND: "order.send_not_approved",
    Action.RECEIVE: "order.receive_not_sent",
    Action.CLOSE: "order.close_not_received",
    Action.CANCEL: "order.cancel_after_receipt",
}


LIFECYCLE: StateMachine[S, Action] = StateMachine(TRANSITIONS, REFUSALS)
allowed, ensure = LIFECYCLE.allowed, LIFECYCLE.ensure


def next_status(status: S, action: Action, *, fully_received: bool = False) -> S:
    """The status after `action`; a receipt that completes every line leads to RECEIVED."""
    following = LIFECYCLE.next_status(status, action)
    return S.RECEIVED if action is Action.RECEIVE and fully_received else following


def transition(order: PurchaseOrder, action: Action, *, now: datetime, fully_received: bool = False) -> PurchaseOrder:
    """The order after `action`, one version later; raises InvalidTransition when its status does not allow it."""
    status = next_status(order.status, action, fully_received=fully_received)
    return replace(order, status=status, updated_at=now, version=order.version + 1)
