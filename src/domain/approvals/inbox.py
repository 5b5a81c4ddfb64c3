"""What waits for me: my open approval tasks, and those of colleagues who delegate to me today."""

from dataclasses import replace

from domain.approvals.models import HANDLERS
from domain.approvals.records import InboxItem, business_day
from domain.identity.models import Actor
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

PER_PAGE = 50


def approval_inbox(after: int | None, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Page[InboxItem]:
    """One keyset page of the actor's open tasks, oldest first, each with a link to its document and the
    document's notice for the approver (one handler call per listed task)."""
    with uow:
        rows = uow.approvals.inbox(actor.user_id, business_day(clock.now()), after, PER_PAGE + 1)
        items = [_linked(item, uow) for item in rows[:PER_PAGE]]
    return Page(items, str(items[-1].task_id) if len(rows) > PER_PAGE else None, None)


def _linked(item: InboxItem, uow: UnitOfWork) -> InboxItem:
    handler = HANDLERS.get(item.document_type)
    if handler is None:
        return item
    return replace(item, link=handler.link(item.document_id), notice=handler.notice(item.document_id, uow))
