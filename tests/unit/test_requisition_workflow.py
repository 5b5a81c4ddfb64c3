"""Submit (budget pre-check), approval (budget committed per line, stop budget, override), reject and reopen,
close (budget released), and the notice approvers see."""

from decimal import Decimal

import pytest

from domain.approvals import engine
from domain.approvals.models import HANDLERS, Outcome
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode
from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import BudgetPolicy
from domain.identity.models import Actor
from domain.requisitions import drafting, workflow
from domain.requisitions.models import RequisitionStatus as S
from domain.shared.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tests.fakes import FakeClock
from tests.requisition_builders import Office, a_budget, a_form, an_office, line, raise_one

D = Decimal


@pytest.fixture
def office() -> Office:
    return an_office()


def approved_by(office: Office, *approvers: Actor) -> None:
    steps = [RuleStep(i, StepMode.ALL, ApproverKind.USER, user_id=a.user_id) for i, a in enumerate(approvers, 1)]
    office.uow.approvals.add_rule(ApprovalRule(None, "Requisitions", "requisition", None, D("0"), None, steps))


def submit(office: Office, requisition_id: int = 1, actor: Actor | None = None,
           override: bool = False) -> workflow.Submitted:
    version = office.uow.requisitions.rows[requisition_id].version
    return workflow.submit_requisition(requisition_id, version, actor=actor or office.employee, uow=office.uow,
                                       clock=FakeClock(), override=override)


def decide(office: Office, approver: Actor, approve: bool = True, override: bool = False) -> Outcome:
    task = office.uow.approvals.open_tasks(approver.user_id)[0]
    return engine.decide(task.id or 0, approve, "" if approve else "Too expensive", actor=approver, uow=office.uow,
                         clock=FakeClock(), override=override)


def status(office: Office, requisition_id: int = 1) -> S:
    return office.uow.requisitions.rows[requisition_id].status


def actions(office: Office) -> list[str]:
    return [e.action for e in office.uow.audit.events]


class TestSubmit:
    def test_without_a_rule_it_is_approved_at_once_and_commits_each_line(self, office: Office) -> None:
        budget = a_budget(office.uow)
        raise_one(office, line(), line("Cable", "10", "3.5"), budget_id=budget)

        submitted = submit(office)

        assert submitted.outcome is Outcome.APPROVED and status(office) is S.APPROVED
        assert office.uow.budgets.outstanding("requisition", 1) == {(budget, 1): D("300.00"), (budget, 2): D("35.00")}
        assert office.uow.budgets.get(budget).remaining == D("665.00")  # type: ignore[union-attr]

    def test_starts_the_approval_with_type_total_department_and_requester(self, office: Office) -> None:
        approved_by(office, office.buyer)
        raise_one(office, line(), line("Cable", "10", "3.5"))

        assert submit(office).outcome is Outcome.PENDING
        request = office.uow.approvals.requests_for("requisition", 1)[0]

        assert (request.amount, request.department_id, request.requested_by) == (D("335.00"), 2,
                                                                                office.employee.user_id)
        assert request.title == "PR-2026-00001 Monitors" and status(office) is S.SUBMITTED

    def test_over_a_stop_budget_the_submit_is_refused_and_nothing_changes(self, office: Office) -> None:
        budget = a_budget(office.uow, "299.99")
        raise_one(office, budget_id=budget)

        with pytest.raises(BudgetExceeded) as refused:
            submit(office)

        assert (refused.value.remaining, refused.value.amount) == (D("299.99"), D("300.00"))
        assert status(office) is S.DRAFT and office.uow.budgets.ledger == []

    def test_submitting_beyond_the_budget_needs_the_override_permission(self, office: Office) -> None:
        budget = a_budget(office.uow, "100.00")
        raise_one(office, budget_id=budget)

        with pytest.raises(PermissionDenied):
            submit(office, override=True)

    def test_an_override_holder_submits_beyond_the_budget_and_it_is_audited(self, office: Office) -> None:
        approved_by(office, office.buyer)
        budget = a_budget(office.uow, "100.00", department=1, code="CO-26")
        raise_one(office, budget_id=budget, actor=office.manager)

        submit(office, actor=office.manager, override=True)

        submitted = next(e for e in office.uow.audit.events if e.action == "requisition.submitted")
        assert submitted.after == {"status": "submitted", "beyond_budget": True, "budget_remaining": "100.00"}

    def test_a_warn_budget_lets_it_through_and_says_so(self, office: Office) -> None:
        approved_by(office, office.buyer)
        raise_one(office, budget_id=a_budget(office.uow, "100.00", BudgetPolicy.WARN))

        submitted = submit(office)

        assert submitted.budget is not None and submitted.budget.exceeds and status(office) is S.SUBMITTED

    def test_a_department_that_opened_a_budget_since_needs_one_chosen(self, office: Office) -> None:
        raise_one(office)
        a_budget(office.uow)

        with pytest.raises(InvalidTransition) as refused:
            submit(office)

        assert refused.value.code == "requisition.budget_missing"


class TestApproval:
    def test_final_approval_commits_the_budget_per_line(self, office: Office) -> None:
        approved_by(office, office.buyer, office.manager)
        budget = a_budget(office.uow)
        raise_one(office, line(), line("Cable", "10", "3.5"), budget_id=budget)
        submit(office)

        decide(office, office.buyer)
        assert office.uow.budgets.ledger == [] and status(office) is S.SUBMITTED
        decide(office, office.manager)

        assert status(office) is S.APPROVED
        assert [(e.line_id, e.amount, e.reason) for e in office.uow.budgets.ledger] == [
            (1, D("300.00"), "approved"), (2, D("35.00"), "approved")]

    def over_budget(self, office: Office, approver: Actor) -> int:
        """Submitted within a stop budget, then another document takes part of it before the approval."""
        approved_by(office, approver)
        budget = a_budget(office.uow, "400.00")
        raise_one(office, budget_id=budget)
        submit(office)
        office.uow.budgets.charge(budget, D("200.00"), limit=True)
        return budget

    def test_over_a_stop_budget_approval_is_refused_for_a_normal_approver(self, office: Office) -> None:
        self.over_budget(office, office.buyer)

        assert HANDLERS["requisition"].notice(1, office.uow) == "budget.exceeded"
        with pytest.raises(BudgetExceeded) as refused:
            decide(office, office.buyer)

        assert (refused.value.remaining, refused.value.amount) == (D("200.00"), D("300.00"))
        assert status(office) is S.SUBMITTED and office.uow.budgets.ledger == []

    def test_overriding_needs_the_override_permission(self, office: Office) -> None:
        self.over_budget(office, office.buyer)

        with pytest.raises(PermissionDenied):
            decide(office, office.buyer, override=True)

        assert status(office) is S.SUBMITTED and office.uow.budgets.ledger == []

    def test_an_override_holder_approves_beyond_the_budget_recorded_and_audited(self, office: Office) -> None:
        self.over_budget(office, office.manager)

        decide(office, office.manager, override=True)

        assert status(office) is S.APPROVED
        assert office.uow.budgets.ledger[-1].overridden_by == office.manager.user_id
        assert "budget.overridden" in actions(office)
        approved = next(e for e in office.uow.audit.events if e.action == "requisition.approved")
        assert approved.after == {"status": "approved", "budget_committed": "300.00", "override": True}

    def test_notices_name_a_warn_budget_going_over_and_nothing_otherwise(self, office: Office) -> None:
        approved_by(office, office.buyer)
        raise_one(office, budget_id=a_budget(office.uow, "100.00", BudgetPolicy.WARN))
        raise_one(office, budget_id=a_budget(office.uow, "1000.00", code="BIG"))
        submit(office, 1)
        submit(office, 2)

        assert HANDLERS["requisition"].notice(1, office.uow) == "budget.over_warning"
        assert HANDLERS["requisition"].notice(2, office.uow) is None
        assert HANDLERS["requisition"].link(2) == "/requisitions/2"

    def test_rejected_goes_back_to_draft_and_is_submitted_again(self, office: Office) -> None:
        approved_by(office, office.buyer)
        raise_one(office)
        submit(office)
        decide(office, office.buyer, approve=False)
        assert status(office) is S.REJECTED

        workflow.reopen_requisition(1, office.uow.requisitions.rows[1].version, actor=office.employee,
                                    uow=office.uow, clock=FakeClock())
        drafting.update_requisition(1, a_form(line(quantity="1")), office.uow.requisitions.rows[1].version,
                                    actor=office.employee, uow=office.uow, clock=FakeClock())
        submit(office)

        assert status(office) is S.SUBMITTED
        assert office.uow.approvals.requests_for("requisition", 1)[-1].amount == D("150.00")
        assert actions(office).count("requisition.submitted") == 2 and "requisition.reopened" in actions(office)


class TestClose:
    def approved(self, office: Office) -> int:
        budget = a_budget(office.uow)
        raise_one(office, line(), line("Cable", "10", "3.5"), budget_id=budget)
        submit(office)
        return budget

    def test_closing_releases_what_the_requisition_still_holds(self, office: Office) -> None:
        budget = self.approved(office)

        closed = workflow.close_requisition(1, "Bought elsewhere", office.uow.requisitions.rows[1].version,
                                            actor=office.buyer, uow=office.uow, clock=FakeClock())

        assert closed.status is S.CLOSED and closed.closed_reason == "Bought elsewhere"
        assert office.uow.budgets.outstanding("requisition", 1) == {}
        assert office.uow.budgets.get(budget).committed == D("0.00")  # type: ignore[union-attr]
        event = office.uow.audit.events[-1]
        assert (event.action, event.after) == ("requisition.closed", {"status": "closed", "reason": "Bought elsewhere",
                                                                      "released": "335.00"})

    def test_closing_an_ordered_requisition_is_allowed(self, office: Office) -> None:
        self.approved(office)
        office.uow.requisitions.rows[1].status = S.PARTLY_ORDERED

        workflow.close_requisition(1, "Rest not needed", office.uow.requisitions.rows[1].version, actor=office.manager,
                                   uow=office.uow, clock=FakeClock())

        assert status(office) is S.CLOSED

    def test_closing_needs_the_permission_a_reason_and_an_approved_requisition(self, office: Office) -> None:
        raise_one(office)

        with pytest.raises(PermissionDenied):
            workflow.close_requisition(1, "x", 1, actor=office.employee, uow=office.uow, clock=FakeClock())
        with pytest.raises(ValidationFailed):
            workflow.close_requisition(1, " ", 1, actor=office.buyer, uow=office.uow, clock=FakeClock())
        with pytest.raises(InvalidTransition) as refused:
            workflow.close_requisition(1, "x", 1, actor=office.buyer, uow=office.uow, clock=FakeClock())

        assert refused.value.code == "requisition.close_not_approved"
