"""Qualification status (资质状态) as a pure state machine.

pending → qualified (approved to receive orders); qualified → suspended (reason required) → qualified again;
any status → blacklisted (reason required; no new orders); blacklisted → pending (reason required: it must
be qualified anew). Only `qualified` is orderable.
"""

from enum import StrEnum

from domain.shared.errors import ValidationFailed
from domain.shared.lifecycle import StateMachine
from domain.suppliers.models import SupplierStatus as S

REASON_MAX = 1000


class StatusAction(StrEnum):
    QUALIFY = "qualify"
    SUSPEND = "suspend"
    BLACKLIST = "blacklist"
    RESTORE = "restore"


TRANSITIONS: dict[tuple[S, StatusAction], S] = {
    (S.PENDING, StatusAction.QUALIFY): S.QUALIFIED,
    (S.SUSPENDED, StatusAction.QUALIFY): S.QUALIFIED,
    (S.QUALIFIED, StatusAction.SUSPEND): S.SUSPENDED,
    (S.PENDING, StatusAction.BLACKLIST): S.BLACKLISTED,
    (S.QUALIFIED, StatusAction.BLACKLIST): S.BLACKLISTED,
    (S.SUSPENDED, StatusAction.BLACKLIST): S.BLACKLISTED,
    (S.BLACKLISTED, StatusAction.RESTORE): S.PENDING,
}
REASON_REQUIRED = frozenset({StatusAction.SUSPEND, StatusAction.BLACKLIST, StatusAction.RESTORE})
# The message code when an action is refused in the current status.
REFUSALS = {
    StatusAction.QUALIFY: "supplier.qualify_not_allowed",
    StatusAction.SUSPEND: "supplier.suspend_not_qualified",
    StatusAction.BLACKLIST: "supplier.blacklisted_already",
    StatusAction.RESTORE: "supplier.restore_not_blacklisted",
}
# The audit action of each status change.
EVENTS = {StatusAction.QUALIFY: "supplier.qualified", StatusAction.SUSPEND: "supplier.suspended",
          StatusAction.BLACKLIST: "supplier.blacklisted", StatusAction.RESTORE: "supplier.restored"}


LIFECYCLE: StateMachine[S, StatusAction] = StateMachine(TRANSITIONS, REFUSALS)
allowed = LIFECYCLE.allowed


def available(status: S) -> list[StatusAction]:
    """The actions a supplier in `status` offers, in a stable order (for the page's buttons)."""
    return [action for action in StatusAction if allowed(status, action)]


def next_status(status: S, action: StatusAction, reason: str) -> tuple[S, str | None]:
    """The status after `action` and the reason to keep with it.

    Raises InvalidTransition when the status does not allow the action, ValidationFailed when a required
    reason is missing or too long.
    """
    following = LIFECYCLE.next_status(status, action)
    reason = reason.strip()
    if action in REASON_REQUIRED and not reason:
        raise ValidationFailed({"reason": "supplier.reason_required"})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": "too_long"})
    return following, reason or None
