"""The approval engine with fakes: rule choice, approver routing, steps, delegation, decisions, trail."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from domain.approvals import engine
from domain.approvals.errors import AlreadyDecided, AlreadyPending, NoApprover
from domain.approvals.inbox import approval_inbox
from domain.approvals.models import ApprovalSubject, Outcome
from domain.approvals.records import (
    ApprovalRule,
    ApproverKind,
    Delegation,
    RequestStatus,
    RuleStep,
    StepMode,
    TaskStatus,
)
from domain.identity.errors import SegregationOfDuties
from domain.identity.models import Actor
from domain.navigation import navigation_badges
from domain.shared.errors import NotFound, ValidationFailed
from tests.approval_fakes import TEST_DOCUMENT, RecordingHandler, registered_document
from tests.builders import a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork

DOC = TEST_DOCUMENT
TREE = {1: None, 2: 1, 3: 2, 9: None}  # company 1 > sales 2 > east 3; 9 stands alone


@pytest.fixture
def handler() -> Iterator[RecordingHandler]:
    with registered_document() as recording:
        yield recording


@pytest.fixture
def uow(handler: RecordingHandler) -> FakeUnitOfWork:
    return FakeUnitOfWork(dict(TREE))


def person(uow: FakeUnitOfWork, name: str, roles: set[str] | None = None, department: int | None = 3) -> Actor:
    user_id = uow.users.add(a_user(username=name, display_name=name.title(), roles=frozenset(roles or {"employee"}),
                                   department_id=department))
    return an_actor(uow.users.users[user_id])


def rule(uow: FakeUnitOfWork, *steps: RuleStep, low: str = "0", high: str | None = None,
         department: int | None = None) -> int:
    return uow.approvals.add_rule(ApprovalRule(None, "Rule", DOC, department, Decimal(low),
                                               Decimal(high) if high else None, list(steps)))


def manager_step(position: int = 1) -> RuleStep:
    return RuleStep(position, StepMode.ALL, ApproverKind.MANAGER)


def user_step(user: Actor, position: int = 1) -> RuleStep:
    return RuleStep(position, StepMode.ALL, ApproverKind.USER, user_id=user.user_id)


def role_step(role: str, mode: StepMode = StepMode.ALL, position: int = 1) -> RuleStep:
    return RuleStep(position, mode, ApproverKind.ROLE, role_key=role)


def submit(uow: FakeUnitOfWork, requester: Actor, amount: str = "100", department: int | None = 3,
           document_id: int = 7) -> Outcome:
    subject = ApprovalSubject(DOC, document_id, "Supply deal", Decimal(amount), "CNY", department, requester.user_id)
    return engine.start_approval(subject, actor=requester, uow=uow, now=FakeClock().now())


def open_tasks(uow: FakeUnitOfWork, user: Actor) -> list[int]:
    return [t.id or 0 for t in uow.approvals.open_tasks(user.user_id)]


def decide(uow: FakeUnitOfWork, user: Actor, approve: bool = True, comment: str = "", task: int | None = None,
           clock: FakeClock | None = None) -> Outcome:
    task_id = task if task is not None else open_tasks(uow, user)[0]
    return engine.decide(task_id, approve, comment, actor=user, uow=uow, clock=clock or FakeClock())


class TestRuleChoice:
    def test_amount_band_is_min_inclusive_max_exclusive(self, uow: FakeUnitOfWork) -> None:
        rep, low_boss, high_boss = person(uow, "rep"), person(uow, "low"), person(uow, "high")
        rule(uow, user_step(low_boss), low="1000", high="10000")
        rule(uow, user_step(high_boss), low="10000")

        submit(uow, rep, "9999.99", document_id=1)
        submit(uow, rep, "10000", document_id=2)
        submit(uow, rep, "1000", document_id=3)

        assert len(open_tasks(uow, low_boss)) == 2 and len(open_tasks(uow, high_boss)) == 1

    def test_below_every_band_is_approved_at_once_and_audited(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss), low="1000")

        assert submit(uow, rep, "999.99") is Outcome.APPROVED
        assert uow.audit.actions() == ["approval.not_required"]
        assert uow.approvals.requests == {}

    def test_the_nearest_department_rule_wins_over_ancestors_and_company_wide(self, uow: FakeUnitOfWork) -> None:
        rep, company, sales, top = person(uow, "rep"), person(uow, "company"), person(uow, "sales"), person(uow, "top")
        rule(uow, user_step(company))
        rule(uow, user_step(top), department=1)
        rule(uow, user_step(sales), department=2)

        submit(uow, rep, department=3, document_id=1)
        submit(uow, rep, department=9, document_id=2)
        submit(uow, rep, department=None, document_id=3)

        assert len(open_tasks(uow, sales)) == 1 and len(open_tasks(uow, company)) == 2 and not open_tasks(uow, top)

    def test_inactive_rules_do_not_apply(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule_id = rule(uow, user_step(boss))
        uow.approvals.rule_rows[rule_id].active = False

        assert submit(uow, rep) is Outcome.APPROVED


class TestApprovers:
    def test_role_holders_of_the_document_department_first(self, uow: FakeUnitOfWork) -> None:
        rep, near, far = person(uow, "rep"), person(uow, "near", {"finance"}, 3), person(uow, "far", {"finance"}, 1)
        rule(uow, role_step("finance"))

        submit(uow, rep)

        assert open_tasks(uow, near) and not open_tasks(uow, far)

    def test_role_falls_back_to_the_nearest_ancestor_that_has_holders(self, uow: FakeUnitOfWork) -> None:
        rep = person(uow, "rep")
        mid, top = person(uow, "mid", {"finance"}, 2), person(uow, "top", {"finance"}, 1)
        rule(uow, role_step("finance"))

        submit(uow, rep)

        assert open_tasks(uow, mid) and not open_tasks(uow, top)

    def test_manager_walks_up_past_departments_without_one(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss", department=2)
        uow.departments.rows[2].manager_id = boss.user_id
        rule(uow, manager_step())

        submit(uow, rep)

        assert open_tasks(uow, boss)

    def test_a_manager_submitting_is_routed_to_the_next_manager_up(self, uow: FakeUnitOfWork) -> None:
        lead, chief = person(uow, "lead"), person(uow, "chief", department=1)
        uow.departments.rows[3].manager_id = lead.user_id
        uow.departments.rows[1].manager_id = chief.user_id
        rule(uow, manager_step())

        submit(uow, lead)

        assert open_tasks(uow, chief) and not open_tasks(uow, lead)

    def test_a_step_left_without_approvers_refuses_the_submit(self, uow: FakeUnitOfWork) -> None:
        rep = person(uow, "rep", {"finance"})
        rule(uow, user_step(rep))

        with pytest.raises(NoApprover) as refused:
            submit(uow, rep)

        assert refused.value.errors == {"approval": "approval.no_approver"}
        assert uow.approvals.requests == {} and uow.approvals.tasks == {}

    def test_the_only_role_holder_being_the_requester_refuses_the_submit(self, uow: FakeUnitOfWork) -> None:
        rep = person(uow, "rep", {"finance"})
        rule(uow, role_step("finance"))

        with pytest.raises(NoApprover):
            submit(uow, rep)

    def test_a_later_step_without_approvers_also_refuses_the_submit(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss), manager_step(2))

        with pytest.raises(NoApprover) as refused:
            submit(uow, rep)

        assert refused.value.step == 2

    def test_a_document_waiting_for_approval_cannot_be_submitted_again(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss))
        submit(uow, rep)

        with pytest.raises(AlreadyPending):
            submit(uow, rep)


class TestSteps:
    def test_all_of_needs_every_approval(self, uow: FakeUnitOfWork, handler: RecordingHandler) -> None:
        rep, one, two = person(uow, "rep"), person(uow, "one", {"finance"}), person(uow, "two", {"finance"})
        rule(uow, role_step("finance", StepMode.ALL))
        submit(uow, rep)

        assert decide(uow, one) is Outcome.PENDING
        assert handler.decided == [] and open_tasks(uow, two)
        assert decide(uow, two) is Outcome.APPROVED
        assert handler.decided == [(7, Outcome.APPROVED)]

    def test_any_of_completes_on_the_first_approval_and_closes_the_others(
        self, uow: FakeUnitOfWork, handler: RecordingHandler
    ) -> None:
        rep, one, two = person(uow, "rep"), person(uow, "one", {"finance"}), person(uow, "two", {"finance"})
        rule(uow, role_step("finance", StepMode.ANY))
        submit(uow, rep)
        late = open_tasks(uow, two)[0]

        assert decide(uow, one) is Outcome.APPROVED
        assert uow.approvals.tasks[late].status is TaskStatus.CLOSED
        with pytest.raises(AlreadyDecided):
            decide(uow, two, task=late)

    def test_a_completed_step_opens_the_next(self, uow: FakeUnitOfWork, handler: RecordingHandler) -> None:
        rep, first, second = person(uow, "rep"), person(uow, "first"), person(uow, "second")
        rule(uow, user_step(first), user_step(second, 2))
        submit(uow, rep)
        assert not open_tasks(uow, second)

        assert decide(uow, first) is Outcome.PENDING
        assert open_tasks(uow, second) and uow.approvals.requests[1].current_step == 2
        assert decide(uow, second) is Outcome.APPROVED
        assert uow.approvals.requests[1].status is RequestStatus.APPROVED

    def test_a_rejection_ends_the_request_and_tells_the_document(
        self, uow: FakeUnitOfWork, handler: RecordingHandler
    ) -> None:
        rep, one, two = person(uow, "rep"), person(uow, "one", {"finance"}), person(uow, "two", {"finance"})
        rule(uow, role_step("finance"), user_step(one, 2))
        submit(uow, rep)

        assert decide(uow, one, approve=False, comment="Price too high") is Outcome.REJECTED
        assert handler.decided == [(7, Outcome.REJECTED)]
        assert not open_tasks(uow, two) and uow.approvals.requests[1].status is RequestStatus.REJECTED
        assert uow.audit.actions() == ["approval.requested", "approval.rejected"]
        assert uow.audit.events[-1].after and uow.audit.events[-1].after["comment"] == "Price too high"


class TestDecisions:
    def test_reject_needs_a_comment(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss))
        submit(uow, rep)

        with pytest.raises(ValidationFailed) as refused:
            decide(uow, boss, approve=False, comment="  ")

        assert refused.value.errors == {"comment": "approval.comment_required"}
        assert open_tasks(uow, boss) and uow.audit.actions() == ["approval.requested"]

    def test_only_the_assignee_decides(self, uow: FakeUnitOfWork) -> None:
        rep, boss, other = person(uow, "rep"), person(uow, "boss"), person(uow, "other", {"administrator"})
        rule(uow, user_step(boss))
        submit(uow, rep)
        task = open_tasks(uow, boss)[0]

        for stranger in (other, rep):
            with pytest.raises(NotFound):
                decide(uow, stranger, task=task)

        assert open_tasks(uow, boss) == [task] and not uow.committed

    def test_unknown_tasks_are_not_found(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(NotFound):
            decide(uow, person(uow, "boss"), task=99)

    def test_the_requester_cannot_decide_even_as_a_delegate(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss))
        submit(uow, rep)
        away(uow, boss, rep, date(2026, 11, 25), date(2026, 11, 25))

        with pytest.raises(SegregationOfDuties):
            decide(uow, rep, task=open_tasks(uow, boss)[0])

    def test_every_decision_is_audited_on_the_document(self, uow: FakeUnitOfWork, handler: RecordingHandler) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss))
        submit(uow, rep)

        decide(uow, boss, comment="ok")

        event = uow.audit.events[-1]
        assert (event.action, event.entity_type, event.entity_id, event.actor_id) == \
            ("approval.approved", DOC, "7", boss.user_id)
        assert uow.committed


def away(uow: FakeUnitOfWork, user: Actor, delegate: Actor, starts: date, ends: date) -> None:
    uow.delegations.add(Delegation(None, user.user_id, delegate.user_id, starts, ends, FakeClock().now()))


class TestDelegation:
    @pytest.mark.parametrize(("starts", "ends", "routed"), [
        (date(2026, 11, 25), date(2026, 11, 30), True),  # starts today
        (date(2026, 11, 20), date(2026, 11, 25), True),  # ends today
        (date(2026, 11, 26), date(2026, 11, 30), False),  # starts tomorrow
        (date(2026, 11, 20), date(2026, 11, 24), False),  # ended yesterday
    ])
    def test_a_delegation_routes_to_the_delegate_from_its_first_to_its_last_day(
        self, uow: FakeUnitOfWork, starts: date, ends: date, routed: bool
    ) -> None:
        rep, boss, deputy = person(uow, "rep"), person(uow, "boss"), person(uow, "deputy")
        rule(uow, user_step(boss))
        away(uow, boss, deputy, starts, ends)

        submit(uow, rep)

        assert bool(open_tasks(uow, deputy)) is routed and bool(open_tasks(uow, boss)) is not routed
        if routed:
            assert uow.approvals.tasks[open_tasks(uow, deputy)[0]].on_behalf_of == boss.user_id
            assert uow.audit.actions() == ["approval.requested", "approval.delegated"]

    def test_a_delegation_starting_later_lets_the_delegate_decide_on_behalf(
        self, uow: FakeUnitOfWork, handler: RecordingHandler
    ) -> None:
        rep, boss, deputy = person(uow, "rep"), person(uow, "boss"), person(uow, "deputy")
        rule(uow, user_step(boss))
        submit(uow, rep)
        away(uow, boss, deputy, date(2026, 11, 26), date(2026, 11, 26))
        task = open_tasks(uow, boss)[0]
        tomorrow = FakeClock()
        tomorrow.advance(days=1)

        with pytest.raises(NotFound):
            decide(uow, deputy, task=task)
        assert [i.task_id for i in approval_inbox(None, actor=deputy, uow=uow, clock=tomorrow).items] == [task]
        assert decide(uow, deputy, task=task, clock=tomorrow) is Outcome.APPROVED
        decided = uow.approvals.tasks[task]
        assert (decided.assignee_id, decided.on_behalf_of) == (deputy.user_id, boss.user_id)

    def test_a_delegation_to_the_requester_is_ignored(self, uow: FakeUnitOfWork) -> None:
        rep, boss = person(uow, "rep"), person(uow, "boss")
        rule(uow, user_step(boss))
        away(uow, boss, rep, date(2026, 11, 25), date(2026, 11, 25))

        submit(uow, rep)

        assert open_tasks(uow, boss) and not open_tasks(uow, rep)


class TestInboxAndTrail:
    def test_the_inbox_lists_my_open_tasks_with_their_document_links(self, uow: FakeUnitOfWork) -> None:
        rep, boss, other = person(uow, "rep"), person(uow, "boss"), person(uow, "other")
        rule(uow, user_step(boss))
        submit(uow, rep, "1234.50")

        page = approval_inbox(None, actor=boss, uow=uow, clock=FakeClock())

        item = page.items[0]
        assert (item.title, item.amount, item.requester, item.link) == \
            ("Supply deal", Decimal("1234.50"), "Rep", "/test-documents/7")
        assert navigation_badges(actor=boss, uow=uow, clock=FakeClock()).approvals == 1
        assert approval_inbox(None, actor=other, uow=uow, clock=FakeClock()).items == []

    def test_the_trail_shows_who_decided_what_and_for_whom(self, uow: FakeUnitOfWork) -> None:
        rep, boss, deputy = person(uow, "rep"), person(uow, "boss"), person(uow, "deputy")
        rule(uow, user_step(boss))
        away(uow, boss, deputy, date(2026, 11, 25), date(2026, 11, 25))
        submit(uow, rep)
        decide(uow, deputy, approve=False, comment="Missing annex")

        trail = engine.approval_trail(DOC, 7, actor=rep, uow=uow)

        assert [(e.approver, e.on_behalf_of, e.status, e.comment, e.requested_by) for e in trail] == \
            [("Deputy", "Boss", TaskStatus.REJECTED, "Missing annex", "Rep")]
