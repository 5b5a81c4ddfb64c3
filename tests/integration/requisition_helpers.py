"""An office for the requisition and budget integration tests: departments, people, budgets, approval rules."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode
from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import Actor
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

SOON = (date.today() + timedelta(days=30)).isoformat()


@dataclass
class Office:
    engine: Engine
    it: int
    sales: int
    employee: Actor  # IT
    colleague: Actor  # IT
    buyer: Actor  # IT, department scope
    sales_buyer: Actor  # Sales, department scope
    approver: Actor  # a sales manager: no requisition permission, approves by rule
    manager: Actor  # procurement manager: all requisitions, budget override
    finance: Actor  # manages budgets


def an_office(engine: Engine) -> Office:
    company = add_department(engine, "Company")
    it, sales = add_department(engine, "IT", company), add_department(engine, "Sales", company)
    people = [("employee", "employee", it), ("colleague", "employee", it), ("buyer", "buyer", it),
              ("sales_buyer", "buyer", sales), ("approver", "sales_manager", sales),
              ("manager", "procurement_manager", company), ("finance", "finance", company)]
    return Office(engine, it, sales, *(add_user(SqlUnitOfWork(engine), name, {role}, department)
                                       for name, role, department in people))


def add_budget(engine: Engine, department: int, amount: str, policy: BudgetPolicy = BudgetPolicy.STOP,
               code: str = "IT-B") -> int:
    year = date.today().year
    with SqlUnitOfWork(engine) as uow:
        budget_id = uow.budgets.add(Budget(None, department, code, "IT equipment", date(year, 1, 1),
                                           date(year, 12, 31), Decimal(amount), policy, 1, NOW, NOW))
        uow.commit()
    return budget_id


def approval_by(engine: Engine, approver: Actor) -> None:
    """Every requisition is approved by `approver` (one step)."""
    with SqlUnitOfWork(engine) as uow:
        uow.approvals.add_rule(ApprovalRule(None, "Requisitions", "requisition", None, Decimal("0"), None, [
            RuleStep(1, StepMode.ALL, ApproverKind.USER, user_id=approver.user_id)]))
        uow.commit()


def signed_in(client: FlaskClient, deps: Dependencies, actor: Actor) -> str:
    """Sign `actor` in and return the CSRF token of their pages."""
    sign_in_as(client, deps, actor)
    return csrf_of(client, "/account")


def requisition_form(csrf: str, lines: list[tuple[str, str, str]], budget_id: int | None = None,
                     **header: str) -> dict[str, object]:
    """The form as the browser posts it: header fields, then one value per row for each line column."""
    return {"csrf_token": csrf, "title": "Laptops for new hires", "purpose": "Two engineers start in January",
            "needed_by": SOON, "budget_id": str(budget_id or ""), "op": "save", **header,
            "item": [item for item, _, _ in lines], "specification": ["" for _ in lines],
            "quantity": [quantity for _, quantity, _ in lines], "unit": ["pc" for _ in lines],
            "unit_price": [price for _, _, price in lines], "line_needed_by": ["" for _ in lines]}


def raise_requisition(client: FlaskClient, csrf: str, lines: list[tuple[str, str, str]],
                      budget_id: int | None = None) -> int:
    response = client.post("/requisitions", data=requisition_form(csrf, lines, budget_id))
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def status_of(engine: Engine, requisition_id: int) -> tuple[str, int]:
    with engine.connect() as connection:
        row = connection.execute(text("SELECT status, version FROM requisitions WHERE id = :id"),
                                 {"id": requisition_id}).one()
    return row.status, row.version


def committed(engine: Engine, budget_id: int) -> Decimal:
    with engine.connect() as connection:
        return Decimal(str(connection.execute(text("SELECT committed FROM budgets WHERE id = :id"),
                                              {"id": budget_id}).scalar_one())).quantize(Decimal("0.01"))


def actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_events WHERE action NOT LIKE 'login%' "
                                            "AND action NOT LIKE 'session%' ORDER BY id")).scalars())
