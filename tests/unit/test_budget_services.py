"""Budget administration: create and edit (codes unique per department, locking, audit), never a stop budget
below what is committed, and the list and ledger readers."""

from dataclasses import replace
from decimal import Decimal

import pytest

from domain.budgets import ledger, services
from domain.budgets.models import BudgetListQuery
from domain.budgets.validation import BudgetInput
from domain.shared.errors import PermissionDenied, StaleVersion, ValidationFailed
from tests.builders import NOW
from tests.fakes import FakeClock
from tests.requisition_builders import IT, SALES, Office, an_office

D = Decimal


@pytest.fixture
def office() -> Office:
    return an_office()


def a_form(**changes: str) -> BudgetInput:
    return replace(BudgetInput(str(IT), "it-2026", " IT  equipment ", "2026-01-01", "2026-12-31", "10,000", "stop"),
                   **changes)


def create(office: Office, data: BudgetInput | None = None) -> int:
    budget = services.create_budget(data or a_form(), actor=office.finance, uow=office.uow, clock=FakeClock())
    return budget.id or 0


def update(office: Office, budget_id: int, data: BudgetInput, version: int | None = None) -> None:
    stored = office.uow.budgets.get(budget_id)
    assert stored is not None
    services.update_budget(budget_id, data, stored.version if version is None else version, actor=office.finance,
                           uow=office.uow, clock=FakeClock())


def test_finance_creates_a_budget_normalised_and_audited(office: Office) -> None:
    budget = office.uow.budgets.get(create(office))

    assert budget is not None and (budget.code, budget.name, budget.amount) == ("IT-2026", "IT equipment",
                                                                                D("10000.00"))
    event = office.uow.audit.events[-1]
    assert (event.action, event.entity_type, event.after and event.after["amount"]) == ("budget.created", "budget",
                                                                                        "10000.00")


def test_only_budget_managers_create_budgets(office: Office) -> None:
    with pytest.raises(PermissionDenied):
        services.create_budget(a_form(), actor=office.manager, uow=office.uow, clock=FakeClock())


def test_codes_are_unique_per_department_whatever_their_case(office: Office) -> None:
    create(office)
    create(office, a_form(department_id=str(SALES)))

    with pytest.raises(ValidationFailed) as refused:
        create(office, a_form(code="IT-2026 "))

    assert refused.value.errors == {"code": "budget.code_taken"}


def test_every_bad_field_is_named(office: Office) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create(office, BudgetInput("", "", "", "2026-12-31", "2026-01-01", "-5", "maybe"))

    assert refused.value.errors == {"department_id": "required", "code": "required", "name": "required",
                                    "period_end": "budget.period_order", "amount": "amount.not_positive",
                                    "policy": "choice.invalid"}


def test_edits_are_locked_and_audited_with_before_and_after(office: Office) -> None:
    budget_id = create(office)
    update(office, budget_id, a_form(amount="12000"))

    with pytest.raises(StaleVersion):
        update(office, budget_id, a_form(amount="13000"), version=1)

    event = office.uow.audit.events[-1]
    assert (event.action, event.before, event.after) == ("budget.updated", {"amount": "10000.00"},
                                                         {"amount": "12000.00"})


def test_a_stop_budget_cannot_go_below_what_is_committed_but_a_warn_budget_may(office: Office) -> None:
    budget_id = create(office)
    ledger.commit(budget_id, D("6000.00"), "requisition", 1, reason="approved", actor=None, uow=office.uow, now=NOW)

    with pytest.raises(ValidationFailed) as refused:
        update(office, budget_id, a_form(amount="5999.99"))
    update(office, budget_id, a_form(amount="6000"))
    update(office, budget_id, a_form(amount="5000", policy="warn"))

    assert refused.value.errors == {"amount": "budget.below_committed"}
    assert office.uow.budgets.get(budget_id).remaining == D("-1000.00")  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):  # back to stop while overcommitted
        update(office, budget_id, a_form(amount="5000", policy="stop"))


def test_an_overridden_stop_budget_can_still_be_renamed(office: Office) -> None:
    budget_id = create(office, a_form(amount="100"))
    office.uow.budgets.charge(budget_id, D("150.00"), limit=False)

    update(office, budget_id, a_form(amount="100", name="IT hardware"))

    assert office.uow.budgets.get(budget_id).name == "IT hardware"  # type: ignore[union-attr]


def test_the_list_filters_by_department_and_year_and_the_ledger_is_newest_first(office: Office) -> None:
    it = create(office)
    create(office, a_form(department_id=str(SALES), code="SA"))
    create(office, a_form(code="IT-2025", period_start="2025-01-01", period_end="2025-12-31"))
    for document in (1, 2):
        ledger.commit(it, D("10.00"), "requisition", document, reason="approved", actor=None, uow=office.uow, now=NOW)

    listed = services.list_budgets(BudgetListQuery(department_id=IT, year=2026), actor=office.buyer, uow=office.uow)
    detail = services.get_budget(it, actor=office.buyer, uow=office.uow)

    assert [b.code for b in listed.budgets] == ["IT-2026"] and not listed.truncated
    assert [line.entry.document_id for line in detail.ledger] == [2, 1]
    assert detail.budget.remaining == D("9980.00")
    with pytest.raises(PermissionDenied):
        services.get_budget(it, actor=office.employee, uow=office.uow)
