"""Approvers see what they approve: an approval task on a document opens its page to the approver (read only)."""

from datetime import datetime

from domain.approvals.records import ApprovalTask, TaskStatus, business_day
from domain.identity.models import Actor
from domain.unit_of_work import UnitOfWork


def approves(document_type: str, document_id: int, actor: Actor, uow: UnitOfWork, now: datetime) -> bool:
    """Whether the actor has, or had, an approval task on the document: as its assignee, as the approver a
    delegate stood in for, or as today's delegate of an open task's assignee. Runs in the caller's transaction."""
    tasks = [task for request in uow.approvals.requests_for(document_type, document_id)
             for task in uow.approvals.tasks_of(request.id or 0)]
    if any(actor.user_id in (task.assignee_id, task.on_behalf_of) for task in tasks):
        return True
    return any(_delegated_to(task, actor, uow, now) for task in tasks if task.status is TaskStatus.OPEN)


def _delegated_to(task: ApprovalTask, actor: Actor, uow: UnitOfWork, now: datetime) -> bool:
    day = business_day(now)
    delegation = uow.delegations.current(task.assignee_id, day)
    return delegation is not None and delegation.active_on(day) and delegation.delegate_id == actor.user_id
