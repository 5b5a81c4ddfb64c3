"""Contracts through the views, on SQLite and PostgreSQL: draft, edit, submit (engine monkeypatched), approval
outcome through the handler, terminate, renew, amend, and the conflicts and refusals on the way."""

import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, text

from adapters.sqlalchemy.tables import contracts
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals import engine as approval_engine
from domain.approvals.models import HANDLERS, Outcome
from domain.customers import services as customers
from domain.identity.models import Actor
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies


class FixedClock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW


@pytest.fixture
def people(engine: Engine) -> dict[str, Actor]:
    sales = add_department(engine, "Sales")
    return {role: add_user(SqlUnitOfWork(engine), role, {role}, sales)
            for role in ("sales_rep", "sales_manager", "finance")}


@pytest.fixture
def customer_id(engine: Engine, people: dict[str, Actor]) -> int:
    rep = people["sales_rep"]
    raw = {"name": "上海华宏科技有限公司", "industry": "technology", "region": "shanghai", "stage": "customer",
           "owner_id": str(rep.user_id)}
    customer = customers.register_customer(raw, "", actor=rep, uow=SqlUnitOfWork(engine), clock=FixedClock())
    return customer.id or 0


@pytest.fixture
def approvals(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    started: list[Any] = []
    monkeypatch.setattr(approval_engine, "start_approval",
                        lambda subject, **_: started.append(subject) or Outcome.PENDING)
    return started


def as_rep(client: FlaskClient, deps: Dependencies, people: dict[str, Actor], role: str = "sales_rep") -> str:
    sign_in_as(client, deps, people[role])
    return csrf_of(client, "/contracts")


def terms(customer_id: int, **overrides: str) -> dict[str, str]:
    return {"title": "年度维护合同", "customer_id": str(customer_id), "amount": "12,345.67", "currency": "CNY",
            "start_on": "2026-12-01", "end_on": "2027-11-30", "payment_terms": "30 days net", "notes": ""} | overrides


def draft(client: FlaskClient, token: str, customer_id: int, owner: Actor) -> int:
    response = client.post("/contracts", data=terms(customer_id, owner_id=str(owner.user_id)) | {"csrf_token": token})
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def row(engine: Engine, contract_id: int) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(contracts).where(contracts.c.id == contract_id)).one()


def actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_events WHERE entity_type = 'contract' "
                                            "ORDER BY id")).scalars())


def activate(engine: Engine, client: FlaskClient, token: str, contract_id: int, approver: Actor) -> None:
    assert client.post(f"/contracts/{contract_id}/submit", data={"csrf_token": token, "version": "1"}
                       ).status_code == 303
    with SqlUnitOfWork(engine) as uow:
        HANDLERS["contract"].on_decided(contract_id, Outcome.APPROVED, actor=approver, uow=uow, now=NOW)
        uow.commit()


def test_draft_from_the_customer_page_shows_number_and_capitals(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], customer_id: int, engine: Engine) -> None:
    token = as_rep(client, deps, people)
    assert "上海华宏科技有限公司" in client.get(f"/contracts/new?customer_id={customer_id}").text

    contract_id = draft(client, token, customer_id, people["sales_rep"])

    page = client.get(f"/contracts/{contract_id}").text
    assert re.search(r"HT-\d{4}-00001", page)
    assert "壹万贰仟叁佰肆拾伍元陆角柒分" in page and "12,345.67" in page
    assert row(engine, contract_id).amount == Decimal("12345.67")
    listing = client.get(f"/contracts?customer={customer_id}", headers={"HX-Request": "true",
                                                                          "HX-Target": "customer-contracts"})
    assert "<html" not in listing.text and "年度维护合同" in listing.text


def test_invalid_draft_is_a_422_with_messages_and_nothing_stored(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], customer_id: int, engine: Engine) -> None:
    token = as_rep(client, deps, people)

    response = client.post("/contracts", data=terms(customer_id, amount="1.234", title="") | {"csrf_token": token,
                                                                                             "owner_id": "x"})

    assert response.status_code == 422
    assert "Use at most two decimals" in response.text
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM contracts")).scalar() == 0


def test_stale_edit_gets_409_and_the_first_save_survives(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], customer_id: int, engine: Engine) -> None:
    token = as_rep(client, deps, people)
    contract_id = draft(client, token, customer_id, people["sales_rep"])
    form = terms(customer_id, owner_id=str(people["sales_rep"].user_id)) | {"csrf_token": token, "version": "1"}
    assert client.post(f"/contracts/{contract_id}", data=form | {"title": "First"}).status_code == 303

    response = client.post(f"/contracts/{contract_id}", data=form | {"title": "Second"})

    assert response.status_code == 409
    assert "Someone else saved this contract" in response.text
    assert row(engine, contract_id).title == "First"


def test_full_lifecycle_through_the_views(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], customer_id: int, engine: Engine,
        approvals: list[Any]) -> None:
    token = as_rep(client, deps, people)
    contract_id = draft(client, token, customer_id, people["sales_rep"])
    activate(engine, client, token, contract_id, people["sales_manager"])
    assert [s.document_id for s in approvals] == [contract_id]
    assert row(engine, contract_id).status == "active"

    edit = client.post(f"/contracts/{contract_id}", data=terms(customer_id, amount="1") | {
        "csrf_token": token, "version": "3", "owner_id": str(people["sales_rep"].user_id)})
    assert edit.status_code == 409 and "Only a draft can be edited" in edit.text
    amend = client.post(f"/contracts/{contract_id}/amend", data=terms(customer_id, amount="20000") | {
        "csrf_token": token, "version": "3", "reason": "Scope extended to Suzhou"})
    assert amend.status_code == 303 and amend.headers["Location"].endswith(f"/contracts/{contract_id}/amendments/1")
    diff = client.get(f"/contracts/{contract_id}/amendments/1").text
    assert "12,345.67" in diff and "20,000.00" in diff and "贰万元整" in diff and "Scope extended" in diff
    assert (row(engine, contract_id).amount, row(engine, contract_id).amendment) == (Decimal("20000.00"), 1)

    renew = client.post(f"/contracts/{contract_id}/renew", data={"csrf_token": token, "version": "4",
                                                                  "start_on": "2027-12-01", "end_on": "2028-11-30"})
    successor = int(renew.headers["Location"].rsplit("/", 1)[1])
    assert row(engine, contract_id).status == "renewed"
    assert (row(engine, successor).predecessor_id, row(engine, successor).status) == (contract_id, "draft")
    assert actions(engine) == ["contract.created", "contract.submitted", "contract.approved", "contract.amended",
                               "contract.renewed", "contract.created"]


def test_terminate_needs_the_permission_and_a_reason(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], customer_id: int, engine: Engine,
        approvals: list[Any]) -> None:
    token = as_rep(client, deps, people)
    contract_id = draft(client, token, customer_id, people["sales_rep"])
    activate(engine, client, token, contract_id, people["sales_manager"])

    denied = client.post(f"/contracts/{contract_id}/terminate", data={"csrf_token": token, "version": "3",
                                                                       "reason": "x"})
    manager = as_rep(client, deps, people, "sales_manager")
    missing = client.post(f"/contracts/{contract_id}/terminate", data={"csrf_token": manager, "version": "3"})
    done = client.post(f"/contracts/{contract_id}/terminate", data={"csrf_token": manager, "version": "3",
                                                                     "reason": "Customer insolvent"})

    assert (denied.status_code, missing.status_code, done.status_code) == (403, 422, 303)
    assert (row(engine, contract_id).status, row(engine, contract_id).end_reason) == ("terminated",
                                                                                      "Customer insolvent")


def test_rejected_returns_to_draft_and_invalid_moves_say_why(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], customer_id: int, engine: Engine,
        approvals: list[Any]) -> None:
    token = as_rep(client, deps, people)
    contract_id = draft(client, token, customer_id, people["sales_rep"])
    client.post(f"/contracts/{contract_id}/submit", data={"csrf_token": token, "version": "1"})
    with SqlUnitOfWork(engine) as uow:
        HANDLERS["contract"].on_decided(contract_id, Outcome.REJECTED, actor=people["sales_manager"], uow=uow, now=NOW)
        uow.commit()

    again = client.post(f"/contracts/{contract_id}/submit", data={"csrf_token": token, "version": "3"})
    assert "Only a draft can be submitted" in client.get(again.headers["Location"]).text
    client.post(f"/contracts/{contract_id}/reopen", data={"csrf_token": token, "version": "3"})

    assert row(engine, contract_id).status == "draft"


def test_concurrent_creation_gives_distinct_gapless_numbers(
        engine: Engine, people: dict[str, Actor], customer_id: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from domain.contracts.services import create_contract
    from domain.shared.numbering import NumberPattern

    rep = people["sales_rep"]
    pattern = NumberPattern.parse("HT-{year}-{seq:05d}")

    def create(_: int) -> str:
        form = terms(customer_id, owner_id=str(rep.user_id))
        return create_contract(form, actor=rep, uow=SqlUnitOfWork(engine), clock=FixedClock(), pattern=pattern).number

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(create, range(8)))

    assert sorted(numbers) == [f"HT-{NOW.year}-{n:05d}" for n in range(1, 9)]


def test_an_unusable_number_pattern_stops_the_app_at_start(deps: Dependencies) -> None:
    from domain.shared.numbering import InvalidPattern
    from web.app import create_app

    with pytest.raises(InvalidPattern):
        create_app(deps, {"SECRET_KEY": "x" * 32, "CONTRACT_NUMBER_PATTERN": "HT-{year}"})

    app = create_app(deps, {"SECRET_KEY": "x" * 32, "CONTRACT_NUMBER_PATTERN": "SH{year}{seq:04d}"})
    assert app.config["CONTRACT_NUMBER_PATTERN"] == "SH{year}{seq:04d}"


def test_a_repeated_or_parallel_submit_of_one_form_makes_one_draft(
        app: Flask, client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        customer_id: int) -> None:
    from concurrent.futures import ThreadPoolExecutor

    token = as_rep(client, deps, people)
    page = client.get(f"/contracts/new?customer_id={customer_id}").text
    form_token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    form = terms(customer_id, owner_id=str(people["sales_rep"].user_id)) | {"csrf_token": token,
                                                                           "form_token": form_token}
    cookie = client.get_cookie("houtai")
    assert cookie is not None

    def submit(_: int) -> str:
        browser = app.test_client()
        browser.set_cookie("houtai", cookie.value)
        response = browser.post("/contracts", data=form)
        assert response.status_code == 303, response.text
        return str(response.headers["Location"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        locations = set(pool.map(submit, range(4)))
    again = client.post("/contracts", data=form).headers["Location"]

    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM contracts")).scalar_one()
    assert count == 1 and locations == {again}
