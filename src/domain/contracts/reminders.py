"""Renewal reminders (续签提醒) 90, 60 and 30 days before a contract ends, and what the work queue shows."""

from dataclasses import dataclass
from datetime import date, timedelta

from domain.shared.ports import Clock

REMINDER_DAYS = (90, 60, 30)
HORIZON = timedelta(days=max(REMINDER_DAYS))
EXPIRED_SHOWN_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Approaching:
    """An active contract ending within the first mark, with the marks already recorded for it."""

    contract_id: int
    end_on: date
    recorded: frozenset[int]


@dataclass(frozen=True)
class ContractDue:
    """A contract as the work queue lists it; `days_before` is the nearest open reminder mark (0 for expired ones)."""

    contract_id: int
    number: str
    title: str
    end_on: date
    days_before: int = 0

    def days_left(self, today: date) -> int:
        return (self.end_on - today).days


@dataclass(frozen=True)
class WorkQueue:
    """The owner's contracts that need attention: open renewal reminders and recent expiries (bounded lists)."""

    today: date
    reminders: list[ContractDue]
    expired: list[ContractDue]
    more_reminders: bool


@dataclass(frozen=True)
class DailyReport:
    reminders: int
    expired: int
    skipped: int  # changed by someone during the run; the next run takes them again


def reminder_due(end_on: date, today: date, recorded: frozenset[int],
                 marks: tuple[int, ...] = REMINDER_DAYS) -> int | None:
    """The mark (days before `end_on`, one of `marks`) to record today, or None.

    After downtime only the nearest mark passed is recorded: a contract 45 days from its end gets the
    60-day reminder, not a late 90-day one as well. A mark nearer than any recorded one is never repeated.
    """
    days_left = (end_on - today).days
    passed = [mark for mark in marks if 0 <= days_left <= mark]
    if not passed:
        return None
    mark = min(passed)
    return None if any(done <= mark for done in recorded) else mark


def local_today(clock: Clock) -> date:
    """The server's calendar day: end dates are calendar dates where the company is, not UTC days."""
    return clock.now().astimezone().date()
