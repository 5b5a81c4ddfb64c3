"""Requisition forms, people and budgets for the unit tests of the requisition services."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import Actor
from domain.requisitions import drafting
from domain.requisitions.models import Requisition
from domain.requisitions.validation import LineInput, RequisitionInput
from domain.shared.numbering import NumberPattern
from tests.builders import NOW, a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork

PATTERN = NumberPattern.parse("PR-{year}-{seq:05d}", "requisition")
COMPANY, IT, SALES = 1, 2, 3


@dataclass
class Office:
    uow: FakeUnitOfWork
    employee: Actor  # IT
    colleague: Actor  # IT
    buyer: Actor  # IT, department scope
    manager: Actor  # procurement manager (company), budget override
    approver: Actor  # a sales manager: no requisition permission at all
    finance: Actor
    homeless: Actor  # an employee without a department


def an_office() -> Office:
    uow = FakeUnitOfWork(departments={COMPANY: None, IT: COMPANY, SALES: COMPANY})
    people = [("employee", IT, "employee"), ("colleague", IT, "employee"), ("buyer", IT, "buyer"),
              ("manager", COMPANY, "procurement_manager"), ("approver", SALES, "sales_manager"),
              ("finance", COMPANY, "finance"), ("homeless", None, "employee")]
    actors = []
    for name, department, role in people:
        user_id = uow.users.add(a_user(username=name, display_name=name.title(), department_id=department,
                                       roles=frozenset({role})))
        actors.append(an_actor(uow.users.users[user_id]))
    return Office(uow, *actors)


def a_budget(uow: FakeUnitOfWork, amount: str = "1000.00", policy: BudgetPolicy = BudgetPolicy.STOP,
             department: int = IT, code: str = "IT-26") -> int:
    return uow.budgets.add(Budget(None, department, code, "IT equipment", date(2026, 1, 1), date(2026, 12, 31),
                                  Decimal(amount), policy, 1, NOW, NOW))


def line(item: str = "Monitor", quantity: str = "2", price: str = "150") -> LineInput:
    return LineInput(item=item, quantity=quantity, unit="pc", unit_price=price)


def a_form(*lines: LineInput, budget_id: int | None = None, title: str = "Monitors") -> RequisitionInput:
    return RequisitionInput(title, "New hires", str(budget_id or ""), "2026-12-15", lines or (line(),))


def raise_one(office: Office, *lines: LineInput, budget_id: int | None = None, actor: Actor | None = None,
              form_token: str = "") -> Requisition:
    return drafting.create_requisition(a_form(*lines, budget_id=budget_id), actor=actor or office.employee,
                                       uow=office.uow, clock=FakeClock(), pattern=PATTERN, form_token=form_token)
