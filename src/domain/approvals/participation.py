"""Approvers see what they approve: taking part in a document's approval grants reading it."""

from datetime import date

from domain.approvals.records import TaskStatus
from domain.identity.models import Actor
from domain.unit_of_work import UnitOfWork


def takes_part(document_type: str, document_id: int, actor: Actor, uow: UnitOfWork, day: date) -> bool:
    """Whether the actor has (or had) an approval task on the document, decided for someone, or stands in
    today for the holder of one of its open tasks. Call inside an open unit of work."""
    for request in uow.approvals.requests_for(document_type, document_id):
        for task in uow.approvals.tasks_of(request.id or 0):
            if actor.user_id in (task.assignee_id, task.on_behalf_of):
                return True
            if task.status is TaskStatus.OPEN and _stands_in(task.assignee_id, actor, uow, day):
                return True
    return False


def _stands_in(approver_id: int, actor: Actor, uow: UnitOfWork, day: date) -> bool:
    delegation = uow.delegations.current(approver_id, day)
    return delegation is not None and delegation.active_on(day) and delegation.delegate_id == actor.user_id
