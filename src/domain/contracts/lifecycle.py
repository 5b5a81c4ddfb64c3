"""The contract lifecycle as a pure state machine: which action moves which status where.

draft → pending approval → active → expired; rejected → draft; active → terminated (with a reason);
active → renewed. EDIT and AMEND keep the status but are allowed in one status only: drafts are edited, and
once approved, amount and party (like every other term) change only through amendments.
"""

from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from domain.contracts.models import Contract, ContractStatus as S
from domain.shared.errors import ValidationFailed
from domain.shared.lifecycle import StateMachine


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"
    AMEND = "amend"
    TERMINATE = "terminate"
    RENEW = "renew"
    EXPIRE = "expire"


TRANSITIONS: dict[tuple[S, Action], S] = {
    (S.DRAFT, Action.EDIT): S.DRAFT,
    (S.DRAFT, Action.SUBMIT): S.PENDING_APPROVAL,
    (S.PENDING_APPROVAL, Action.APPROVE): S.ACTIVE,
    (S.PENDING_APPROVAL, Action.REJECT): S.REJECTED,
    (S.REJECTED, Action.REOPEN): S.DRAFT,
    (S.ACTIVE, Action.AMEND): S.ACTIVE,
    (S.ACTIVE, Action.TERMINATE): S.TERMINATED,
    (S.ACTIVE, Action.RENEW): S.RENEWED,
    (S.ACTIVE, Action.EXPIRE): S.EXPIRED,
}

# The message code when an action is refused, one per action ("Only a draft can be submitted", ...).
REFUSALS: dict[Action, str] = {
    Action.EDIT: "contract.edit_not_draft",
    Action.SUBMIT: "contract.submit_not_draft",
    Action.APPROVE: "contract.decide_not_pending",
    Action.REJECT: "contract.decide_not_pending",
    Action.REOPEN: "contract.reopen_not_rejected",
    Action.AMEND: "contract.amend_not_active",
    Action.TERMINATE: "contract.terminate_not_active",
    Action.RENEW: "contract.renew_not_active",
    Action.EXPIRE: "contract.expire_not_active",
}


LIFECYCLE: StateMachine[S, Action] = StateMachine(TRANSITIONS, REFUSALS)
allowed, ensure = LIFECYCLE.allowed, LIFECYCLE.ensure


def transition(contract: Contract, action: Action, *, now: datetime, reason: str = "") -> Contract:
    """The contract after `action`, one version later; raises InvalidTransition, or ValidationFailed for a
    termination without a reason."""
    status = LIFECYCLE.next_status(contract.status, action)
    if action is Action.TERMINATE and not reason.strip():
        raise ValidationFailed({"reason": "required"})
    end_reason = reason.strip() if action is Action.TERMINATE else contract.end_reason
    return replace(contract, status=status, updated_at=now,
                   version=contract.version + 1, end_reason=end_reason)
