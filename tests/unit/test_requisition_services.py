"""Raising, editing, previewing and reading requisitions: permission, record scope, approvers, audit, locking."""

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.approvals.records import ApprovalRule, ApproverKind, Delegation, RuleStep, StepMode
from domain.budgets.models import BudgetPolicy
from domain.requisitions import drafting, services, workflow
from domain.requisitions.errors import NoDepartment
from domain.requisitions.models import RequisitionListQuery
from domain.requisitions.validation import LineInput
from domain.shared.errors import InvalidTransition, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from tests.fakes import FakeClock
from tests.requisition_builders import IT, Office, a_budget, a_form, an_office, line, raise_one

D = Decimal


@pytest.fixture
def office() -> Office:
    return an_office()


class TestRaise:
    def test_numbers_the_draft_for_the_requesters_department_and_audits_its_lines(self, office: Office) -> None:
        requisition = raise_one(office, line(), line("Keyboard", "3", "99.9"))

        assert (requisition.number, requisition.department_id, requisition.status.value) == ("PR-2026-00001", IT,
                                                                                            "draft")
        assert requisition.estimated_total == D("599.70")
        event = office.uow.audit.events[-1]
        assert (event.action, event.entity_type, event.entity_id) == ("requisition.created", "requisition", "1")
        assert event.after is not None and event.after["lines"] == ["Monitor 2 pc × 150 = 300.00",
                                                                    "Keyboard 3 pc × 99.9 = 299.70"]

    def test_someone_without_a_department_is_told_so(self, office: Office) -> None:
        with pytest.raises(NoDepartment):
            raise_one(office, actor=office.homeless)

    def test_needs_the_create_permission(self, office: Office) -> None:
        with pytest.raises(PermissionDenied):
            raise_one(office, actor=office.finance)

    def test_the_same_form_submitted_twice_makes_one_draft(self, office: Office) -> None:
        first = raise_one(office, form_token="tok-1")
        again = raise_one(office, form_token="tok-1")

        assert again.id == first.id and len(office.uow.requisitions.rows) == 1

    def test_the_budget_line_must_be_one_of_the_departments_open_ones(self, office: Office) -> None:
        sales_budget = a_budget(office.uow, department=3, code="SA-26")
        with pytest.raises(ValidationFailed) as refused:
            raise_one(office, budget_id=sales_budget)

        assert refused.value.errors == {"budget_id": "requisition.budget_unavailable"}


class TestEdit:
    def test_saves_a_draft_and_audits_only_what_changed(self, office: Office) -> None:
        draft = raise_one(office)

        edited = drafting.update_requisition(draft.id or 0, a_form(line(quantity="3")), draft.version,
                                             actor=office.employee, uow=office.uow, clock=FakeClock())

        assert edited.version == 2 and office.uow.requisitions.rows[1].estimated_total == D("450.00")
        event = office.uow.audit.events[-1]
        assert event.action == "requisition.updated"
        assert event.before == {"estimated_total": "300.00", "lines": ["Monitor 2 pc × 150 = 300.00"]}
        assert event.after == {"estimated_total": "450.00", "lines": ["Monitor 3 pc × 150 = 450.00"]}

    def test_a_stale_version_is_refused(self, office: Office) -> None:
        draft = raise_one(office)
        drafting.update_requisition(1, a_form(title="Screens"), draft.version, actor=office.employee,
                                    uow=office.uow, clock=FakeClock())

        with pytest.raises(StaleVersion):
            drafting.update_requisition(1, a_form(title="Displays"), draft.version, actor=office.employee,
                                        uow=office.uow, clock=FakeClock())

    def test_only_the_requester_edits_even_when_others_see_it(self, office: Office) -> None:
        raise_one(office)

        with pytest.raises(InvalidTransition) as refused:
            drafting.update_requisition(1, a_form(), 1, actor=office.buyer, uow=office.uow, clock=FakeClock())
        with pytest.raises(NotFound):
            drafting.update_requisition(1, a_form(), 1, actor=office.colleague, uow=office.uow, clock=FakeClock())

        assert refused.value.code == "requisition.not_requester"


class TestPreview:
    def test_shows_each_rows_amount_and_the_budget_after_this_requisition(self, office: Office) -> None:
        budget = a_budget(office.uow, "500.00")

        preview = drafting.preview_requisition(a_form(line(), LineInput(), line(quantity="x"), budget_id=budget),
                                               None, actor=office.employee, uow=office.uow, clock=FakeClock())

        assert [row.amount for row in preview.rows] == [D("300.00"), None, None]
        assert preview.rows[2].errors == {"quantity": "quantity.invalid"}
        assert preview.total == D("300.00")
        assert preview.budget is not None and preview.budget.remaining_after == D("200.00")
        assert not office.uow.requisitions.rows and not office.uow.committed

    def test_warns_over_a_warn_budget_and_blocks_over_a_stop_budget(self, office: Office) -> None:
        stop, warn = a_budget(office.uow, "100.00"), a_budget(office.uow, "100.00", BudgetPolicy.WARN, code="W")

        over_stop = drafting.preview_requisition(a_form(budget_id=stop), None, actor=office.employee,
                                                 uow=office.uow, clock=FakeClock()).budget
        over_warn = drafting.preview_requisition(a_form(budget_id=warn), None, actor=office.employee,
                                                 uow=office.uow, clock=FakeClock()).budget

        assert over_stop is not None and over_stop.blocked
        assert over_warn is not None and over_warn.exceeds and not over_warn.blocked


class TestRead:
    def test_employees_see_their_own_buyers_their_department_and_finance_all(self, office: Office) -> None:
        raise_one(office)

        for reader in (office.employee, office.buyer, office.manager, office.finance):
            assert services.get_requisition(1, actor=reader, uow=office.uow, clock=FakeClock()).in_scope
        with pytest.raises(NotFound):
            services.get_requisition(1, actor=office.colleague, uow=office.uow, clock=FakeClock())

    def test_approvers_see_what_they_approve_read_only(self, office: Office) -> None:
        office.uow.approvals.add_rule(ApprovalRule(None, "All", "requisition", None, D("0"), None, [
            RuleStep(1, StepMode.ALL, ApproverKind.USER, user_id=office.approver.user_id)]))
        raise_one(office)
        with pytest.raises(PermissionDenied):  # no requisition permission and no task yet
            services.get_requisition(1, actor=office.approver, uow=office.uow, clock=FakeClock())

        workflow.submit_requisition(1, 1, actor=office.employee, uow=office.uow, clock=FakeClock())
        seen = services.get_requisition(1, actor=office.approver, uow=office.uow, clock=FakeClock())

        assert seen.requisition.number == "PR-2026-00001" and not seen.in_scope

    def test_a_delegate_standing_in_today_sees_it_too(self, office: Office) -> None:
        office.uow.approvals.add_rule(ApprovalRule(None, "All", "requisition", None, D("0"), None, [
            RuleStep(1, StepMode.ALL, ApproverKind.USER, user_id=office.approver.user_id)]))
        raise_one(office)
        workflow.submit_requisition(1, 1, actor=office.employee, uow=office.uow, clock=FakeClock())
        today = FakeClock().now().date()
        office.uow.delegations.add(Delegation(None, office.approver.user_id, office.colleague.user_id, today, today,
                                              FakeClock().now()))

        seen = services.get_requisition(1, actor=office.colleague, uow=office.uow, clock=FakeClock())

        assert not seen.in_scope
        with pytest.raises(NotFound):
            services.get_requisition(1, actor=office.colleague, uow=office.uow,
                                     clock=FakeClock(FakeClock().now() + timedelta(days=2)))

    def test_the_list_is_the_actors_scope_and_mine_narrows_it(self, office: Office) -> None:
        raise_one(office)
        raise_one(office, line("Chair"), actor=office.colleague)
        query = RequisitionListQuery()

        employee = services.list_requisitions(query, actor=office.employee, uow=office.uow)
        buyer = services.list_requisitions(query, actor=office.buyer, uow=office.uow)
        mine = services.list_requisitions(RequisitionListQuery(requester_id=office.colleague.user_id),
                                          actor=office.buyer, uow=office.uow)

        assert [r.number for r in employee.page.items] == ["PR-2026-00001"] and employee.departments == []
        assert len(buyer.page.items) == 2 and [name for _, name in buyer.departments] == ["Department 2"]
        assert [r.requester_name for r in mine.page.items] == ["Colleague"]
