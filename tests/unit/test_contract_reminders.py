"""Renewal reminders at 90/60/30 days (with catch-up after downtime), automatic expiry, and the work queue."""

from datetime import date, timedelta

import pytest

from domain.contracts.models import ContractStatus
from domain.contracts.reminder_services import (
    acknowledge_reminder,
    run_contracts_daily,
    work_queue,
)
from domain.contracts.reminders import reminder_due
from domain.identity.models import Actor
from domain.navigation import navigation_badges
from domain.shared.errors import NotFound, PermissionDenied
from tests.builders import NOW, a_contract, a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(("days_left", "recorded", "due"), [
    (91, set(), None), (90, set(), 90), (89, set(), 90), (90, {90}, None), (60, {90}, 60),
    (45, set(), 60),  # after downtime: the nearest mark passed, not a late 90-day one too
    (45, {60}, None), (30, {90, 60}, 30), (0, set(), 30), (10, {30}, None), (-1, set(), None),
    (70, {30}, None),  # the end date moved later after the last reminder: no repeat of an earlier mark
])
def test_reminder_due(days_left: int, recorded: set[int], due: int | None) -> None:
    assert reminder_due(TODAY + timedelta(days=days_left), TODAY, frozenset(recorded)) == due


class TestDailyRun:
    def setup_method(self) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock(NOW)
        self.rep = an_actor(self.uow.users.users[self.uow.users.add(a_user())])

    def contract(self, days_left: int, status: ContractStatus = ContractStatus.ACTIVE, owner: int = 0) -> int:
        return self.uow.contracts.add(a_contract(number=f"HT-{len(self.uow.contracts.rows)}", status=status,
                                                 end_on=TODAY + timedelta(days=days_left),
                                                 owner_id=owner or self.rep.user_id))

    def _reminders(self, actor: Actor) -> int:
        return navigation_badges(actor=actor, uow=self.uow, clock=self.clock).reminders

    def run(self, day: date = TODAY) -> tuple[int, int, int]:
        report = run_contracts_daily(day, uow=self.uow, clock=self.clock)
        return report.reminders, report.expired, report.skipped

    def test_records_each_due_mark_once(self) -> None:
        ninety, forty, far = self.contract(90), self.contract(40), self.contract(200)
        self.contract(30, ContractStatus.DRAFT)

        assert self.run() == (2, 0, 0)
        assert self.run() == (0, 0, 0)  # idempotent
        assert set(self.uow.contract_reminders.rows) == {(ninety, 90), (forty, 60)}
        assert far not in {key[0] for key in self.uow.contract_reminders.rows}
        assert self.uow.audit.actions() == ["contract.reminder_due"] * 2

    def test_catches_up_day_by_day_through_every_mark(self) -> None:
        contract_id = self.contract(95)

        for offset in range(0, 96, 7):
            self.run(TODAY + timedelta(days=offset))

        assert sorted(d for (c, d) in self.uow.contract_reminders.rows if c == contract_id) == [30, 60, 90]

    def test_expires_active_contracts_that_ended_before_today_without_an_actor(self) -> None:
        ended, today, signed = self.contract(-1), self.contract(0), self.contract(-5, ContractStatus.TERMINATED)

        assert self.run() == (1, 1, 0)  # `today` ends today: still active, its 30-day reminder recorded
        assert self.run() == (0, 0, 0)

        rows = self.uow.contracts.rows
        assert (rows[ended].status, rows[ended].version) == (ContractStatus.EXPIRED, 2)
        assert rows[today].status is ContractStatus.ACTIVE and rows[signed].status is ContractStatus.TERMINATED
        event = next(e for e in self.uow.audit.events if e.action == "contract.expired")
        assert (event.actor_id, event.entity_id, event.before, event.after) == \
            (None, str(ended), {"status": "active"}, {"status": "expired", "end_on": str(TODAY - timedelta(days=1))})

    def test_a_contract_changed_during_the_run_is_left_for_the_next_run(self) -> None:
        ended = self.contract(-1)
        saved = self.uow.contracts.update

        def concurrent_edit(contract: object, expected_version: int) -> bool:
            self.uow.contracts.rows[ended].version += 1  # someone saved it between read and write
            return saved(contract, expected_version)  # type: ignore[arg-type]

        self.uow.contracts.update = concurrent_edit  # type: ignore[method-assign]
        assert self.run() == (0, 0, 1)
        self.uow.contracts.update = saved  # type: ignore[method-assign]
        assert self.run() == (0, 1, 0)

    def test_the_work_queue_lists_own_open_reminders_and_recent_expiries(self) -> None:
        other = self.uow.users.add(a_user(username="other"))
        soon, later = self.contract(20), self.contract(80)
        self.contract(50, owner=other)
        recent, old = self.contract(-10), self.contract(-40)
        self.run(TODAY - timedelta(days=50))  # expires `old` back then
        self.run()

        queue = work_queue(TODAY, actor=self.rep, uow=self.uow)

        assert [(d.contract_id, d.days_before, d.days_left(TODAY)) for d in queue.reminders] == \
            [(soon, 30, 20), (later, 90, 80)]
        assert [d.contract_id for d in queue.expired] == [recent]
        assert old not in [d.contract_id for d in queue.expired]
        assert self._reminders(self.rep) == 2

    def test_acknowledging_takes_the_contract_off_the_queue(self) -> None:
        contract_id = self.contract(20)
        self.run(TODAY - timedelta(days=50))  # its 90-day reminder, never acknowledged
        self.run()

        acknowledge_reminder(contract_id, actor=self.rep, uow=self.uow, clock=self.clock)
        acknowledge_reminder(contract_id, actor=self.rep, uow=self.uow, clock=self.clock)  # a second click

        assert work_queue(TODAY, actor=self.rep, uow=self.uow).reminders == []
        assert self.uow.audit.actions().count("contract.reminder_acknowledged") == 1

    def test_only_the_owner_may_acknowledge(self) -> None:
        manager = an_actor(self.uow.users.users[self.uow.users.add(
            a_user(username="boss", roles=frozenset({"administrator"})))])
        contract_id = self.contract(20)
        self.run()

        with pytest.raises(NotFound):
            acknowledge_reminder(contract_id, actor=manager, uow=self.uow, clock=self.clock)
        assert self._reminders(self.rep) == 1

    def test_the_work_queue_needs_contract_read(self) -> None:
        employee = an_actor(self.uow.users.users[self.uow.users.add(a_user(username="e",
                                                                           roles=frozenset({"employee"})))])

        with pytest.raises(PermissionDenied):
            work_queue(TODAY, actor=employee, uow=self.uow)
        assert self._reminders(employee) == 0
