"""Budgets through the views on SQLite and PostgreSQL: finance creates and edits them (409, 422), a stop budget is
never set below its commitments, everyone with budget.read sees the list and the ledger with document links."""

from datetime import date
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.budgets import ledger
from tests.builders import NOW
from tests.integration.requisition_helpers import Office, actions, add_budget, an_office, signed_in
from web.deps import Dependencies

YEAR = date.today().year


@pytest.fixture
def office(engine: Engine) -> Office:
    return an_office(engine)


def budget_form(csrf: str, department: int, **changes: str) -> dict[str, str]:
    return {"csrf_token": csrf, "department_id": str(department), "code": "it-ops", "name": "IT operations",
            "period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-12-31", "amount": "50,000", "policy": "stop",
            "active": "1"} | changes


def test_finance_creates_a_budget_and_a_second_with_the_same_code_is_refused(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.finance)

    created = client.post("/budgets", data=budget_form(csrf, office.it))
    again = client.post("/budgets", data=budget_form(csrf, office.it, code="IT-OPS"))
    elsewhere = client.post("/budgets", data=budget_form(csrf, office.sales))

    assert created.status_code == 303 and elsewhere.status_code == 303
    assert again.status_code == 422 and "has a budget with this code already" in again.text
    assert 'value="IT operations"' in again.text
    assert actions(office.engine).count("budget.created") == 2
    listed = client.get("/budgets", query_string={"department": str(office.it)}).text
    assert listed.count(">IT-OPS</a>") == 1 and "50,000.00" in listed


def test_buyers_read_budgets_but_do_not_manage_them(client: FlaskClient, deps: Dependencies, office: Office) -> None:
    budget = add_budget(office.engine, office.it, "1000.00")
    csrf = signed_in(client, deps, office.buyer)

    assert client.get(f"/budgets/{budget}").status_code == 200
    assert client.get(f"/budgets/{budget}/edit").status_code == 403
    assert client.post("/budgets", data=budget_form(csrf, office.it)).status_code == 403
    signed_in(client, deps, office.employee)
    assert client.get("/budgets").status_code == 403


def test_edits_are_locked_and_a_stop_budget_stays_above_its_commitments(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    budget = add_budget(office.engine, office.it, "1000.00")
    with SqlUnitOfWork(office.engine) as uow:
        ledger.commit(budget, Decimal("600.00"), "requisition", 41, reason="approved", actor=None, uow=uow, now=NOW)
        uow.commit()
    csrf = signed_in(client, deps, office.finance)

    below = client.post(f"/budgets/{budget}", data=budget_form(csrf, office.it, amount="599.99", version="1"))
    saved = client.post(f"/budgets/{budget}", data=budget_form(csrf, office.it, amount="600", version="1"))
    stale = client.post(f"/budgets/{budget}", data=budget_form(csrf, office.it, amount="700", version="1"))

    assert below.status_code == 422 and "cannot be set below what is already committed" in below.text
    assert saved.status_code == 303 and stale.status_code == 409 and "Someone else saved this budget" in stale.text
    with office.engine.connect() as connection:
        assert connection.execute(text("SELECT amount FROM budgets WHERE id = :id"), {"id": budget}).scalar() == 600
    page = client.get(f"/budgets/{budget}").text
    assert 'href="/requisitions/41"' in page and "600.00" in page


def test_the_year_filter_shows_the_budgets_of_that_period(client: FlaskClient, deps: Dependencies,
                                                           office: Office) -> None:
    add_budget(office.engine, office.it, "1000.00", code="NOW")
    signed_in(client, deps, office.finance)

    this_year = client.get("/budgets").text
    last_year = client.get("/budgets", query_string={"year": str(YEAR - 1)},
                           headers={"HX-Request": "true", "HX-Target": "budget-results"}).text

    assert ">NOW</a>" in this_year
    assert last_year.startswith('<section id="budget-results"') and "NOW" not in last_year
