"""The requisition lifecycle as a pure state machine.

draft → submitted → approved / rejected; rejected → draft (reopen, edit, submit again); approved, partly
ordered and ordered → closed (with a reason). Purchase orders move approved → partly ordered → ordered (and
back when an order is cancelled) on their own, through the ordered quantities of the lines; EDIT keeps a
draft a draft.
"""

from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from domain.requisitions.models import Requisition, RequisitionStatus as S
from domain.shared.errors import ValidationFailed
from domain.shared.lifecycle import StateMachine


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"
    CLOSE = "close"


LIFECYCLE: StateMachine[S, Action] = StateMachine({
    (S.DRAFT, Action.EDIT): S.DRAFT,
    (S.DRAFT, Action.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, Action.APPROVE): S.APPROVED,
    (S.SUBMITTED, Action.REJECT): S.REJECTED,
    (S.REJECTED, Action.REOPEN): S.DRAFT,
    (S.APPROVED, Action.CLOSE): S.CLOSED,
    (S.PARTLY_ORDERED, Action.CLOSE): S.CLOSED,
    (S.ORDERED, Action.CLOSE): S.CLOSED,
}, {
    Action.EDIT: "requisition.edit_not_draft",
    Action.SUBMIT: "requisition.submit_not_draft",
    Action.APPROVE: "requisition.decide_not_submitted",
    Action.REJECT: "requisition.decide_not_submitted",
    Action.REOPEN: "requisition.reopen_not_rejected",
    Action.CLOSE: "requisition.close_not_approved",
})
REASON_MAX = 1000


allowed, ensure = LIFECYCLE.allowed, LIFECYCLE.ensure  # the page offers only the allowed actions


def transition(requisition: Requisition, action: Action, *, now: datetime, reason: str = "") -> Requisition:
    """The requisition after `action`, one version later; a close needs a reason (ValidationFailed)."""
    status = LIFECYCLE.next_status(requisition.status, action)
    changes: dict[str, object] = {}
    if action is Action.CLOSE:
        changes["closed_reason"] = close_reason(reason)
    elif action is Action.SUBMIT:
        changes["submitted_at"], changes["decided_at"] = now, None
    elif action in (Action.APPROVE, Action.REJECT):
        changes["decided_at"] = now
    return replace(requisition, status=status, updated_at=now, version=requisition.version + 1,
                   **changes)  # type: ignore[arg-type]


def close_reason(reason: str) -> str:
    """Why a requisition is closed: required, at most 1000 characters (ValidationFailed otherwise)."""
    text = reason.strip()
    if not text:
        raise ValidationFailed({"reason": "required"})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": "too_long"})
    return text
