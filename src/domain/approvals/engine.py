"""The approval engine: routes a submitted document through the approval rules.

Placeholder in this branch: the approvals engineer's module replaces this file at merge.
"""

from datetime import datetime

from domain.approvals.models import ApprovalSubject, Outcome
from domain.identity.models import Actor
from domain.unit_of_work import UnitOfWork


def start_approval(subject: ApprovalSubject, *, actor: Actor, uow: UnitOfWork, now: datetime) -> Outcome:
    """Start routing `subject` inside the caller's transaction; APPROVED or REJECTED when decided at once."""
    raise NotImplementedError("approval engine")
