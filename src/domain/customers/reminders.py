"""Follow-up reminders: my next actions due today or overdue, and marking them done."""

from datetime import date

from domain.audit.models import AuditEvent
from domain.customers.models import DueFollowUp
from domain.customers.services import in_scope
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.shared.paging import Page, decode_cursor, encode_cursor
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

PER_PAGE = 50


def due_follow_ups(after: str | None, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Page[DueFollowUp]:
    """The actor's open next actions due today or earlier, oldest due first, on customers they may see."""
    require(actor, Permission.CUSTOMER_READ)
    cursor = _cursor(after)
    with uow:
        rows = uow.follow_ups.due(actor.user_id, clock.now().date(), actor, cursor, PER_PAGE + 1)
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    last = rows[-1] if rows and more else None
    return Page(rows, encode_cursor((last.next_action_on.isoformat(), last.id)) if last else None, None)


def complete_follow_up(follow_up_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> int:
    """Record that a follow-up's next action was done; returns its customer id. Done twice changes nothing."""
    require(actor, Permission.FOLLOWUP_CREATE)
    now = clock.now()
    with uow:
        follow_up = uow.follow_ups.get(follow_up_id)
        if follow_up is None or follow_up.next_action_on is None:
            raise NotFound()
        in_scope(follow_up.customer_id, actor, uow)
        if uow.follow_ups.complete(follow_up_id, now, actor.user_id):
            uow.customers.refresh_next_action(follow_up.customer_id)
            uow.audit.append(AuditEvent("followup.completed", now, actor.user_id, actor.ip, "customer",
                                        str(follow_up.customer_id), after={"follow_up_id": follow_up_id}))
            uow.commit()
    return follow_up.customer_id


def _cursor(after: str | None) -> tuple[date, int] | None:
    key = decode_cursor(after)
    if key is None or not isinstance(key[0], str):
        return None
    try:
        return date.fromisoformat(key[0]), key[1]
    except ValueError:
        return None
