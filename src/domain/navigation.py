"""The navigation's badges, counted together in one read for every full page."""

from typing import NamedTuple

from domain.approvals.records import business_day
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

EXCEPTION_COUNT_CAP = 100  # the navigation shows "99+" beyond this; the count never walks further


class Badges(NamedTuple):
    """The counts beside the navigation's links; 0 where the actor may not see the queue."""

    approvals: int  # approval tasks waiting for the actor or for someone the actor stands in for
    exceptions: int  # invoices in the actor's exception queue, at most EXCEPTION_COUNT_CAP
    reminders: int  # the actor's own contracts with an open reminder


NO_BADGES = Badges(0, 0, 0)


def navigation_badges(*, actor: Actor, uow: UnitOfWork, clock: Clock) -> Badges:
    """Waiting approval tasks, invoices in the exception queue and open contract reminders, in one transaction."""
    with uow:
        return Badges(
            uow.approvals.open_task_count(actor.user_id, business_day(clock.now())),
            uow.invoices.exception_count(actor, EXCEPTION_COUNT_CAP) if actor.can(Permission.INVOICE_RESOLVE) else 0,
            uow.contract_reminders.count_open(actor) if actor.can(Permission.CONTRACT_READ) else 0)
