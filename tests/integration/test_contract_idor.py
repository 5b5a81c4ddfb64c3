"""IDOR for contracts: another rep's (and another department's) contract by id → 404 with nothing of it, on every
route with a <contract_id> (read from the URL map), as page and as htmx partial; lists never show it."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select, text

from adapters.sqlalchemy.tables import contract_amendments, contracts
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals import engine as approval_engine
from domain.approvals.models import Outcome
from domain.contracts import amending, services, workflow
from domain.customers import services as customers
from domain.identity.models import Actor
from domain.shared.numbering import NumberPattern
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

CANARY = "Canary 金丝雀 supply"
PARTY = "Canary Party 金丝雀有限公司"
FILL = {"number": "1", "action": "terminate", "attachment_id": "1"}


class FixedClock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW


@pytest.fixture
def setting(engine: Engine, deps: Dependencies, monkeypatch: pytest.MonkeyPatch) -> tuple[Actor, Actor, int, int]:
    east, west = add_department(engine, "East"), add_department(engine, "West")
    owner = add_user(SqlUnitOfWork(engine), "owner", {"sales_rep"}, east)
    stranger = add_user(SqlUnitOfWork(engine), "stranger", {"sales_manager"}, west)
    customer = customers.register_customer({"name": PARTY, "industry": "technology", "region": "shanghai",
                                            "stage": "customer", "owner_id": str(owner.user_id)}, "", actor=owner,
                                           uow=SqlUnitOfWork(engine), clock=FixedClock())
    form = {"title": CANARY, "customer_id": str(customer.id), "amount": "777", "owner_id": str(owner.user_id)}
    contract = services.create_contract(form, actor=owner, uow=SqlUnitOfWork(engine), clock=FixedClock(),
                                        pattern=NumberPattern.parse("CAN-{seq}"))
    monkeypatch.setattr(approval_engine, "start_approval", lambda subject, **_: Outcome.APPROVED)
    workflow.submit_contract(contract.id or 0, 1, actor=owner, uow=SqlUnitOfWork(engine), clock=FixedClock())
    amending.amend_contract(contract.id or 0, form | {"amount": "888", "reason": "Canary reason"}, 3, actor=owner,
                            uow=SqlUnitOfWork(engine), clock=FixedClock())
    return owner, stranger, contract.id or 0, customer.id or 0


def _routes(app: Flask) -> list[tuple[str, str]]:
    return sorted((rule.rule, method) for rule in app.url_map.iter_rules() if "contract_id" in rule.arguments
                  for method in (rule.methods or set()) - {"HEAD", "OPTIONS"})


def _url(rule: str, contract_id: int) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(contract_id) if name == "contract_id" else FILL[name]

    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", fill, rule)


def _assert_hidden(response: object, where: str) -> None:
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.status_code == 404, where  # type: ignore[attr-defined]
    assert "Canary" not in body and "金丝雀" not in body and "CAN-1" not in body, where


def _counts(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as connection:
        return (connection.execute(select(contracts.c.version, contracts.c.status, contracts.c.amount)).one(),
                connection.execute(select(func.count()).select_from(contract_amendments)).scalar())


def test_every_contract_route_hides_other_peoples_contracts(
        app: Flask, client: FlaskClient, deps: Dependencies, engine: Engine,
        setting: tuple[Actor, Actor, int, int]) -> None:
    _owner, stranger, contract_id, customer_id = setting
    sign_in_as(client, deps, stranger)
    token, before = csrf_of(client, "/contracts"), _counts(engine)
    routes = _routes(app)
    assert len(routes) >= 12
    form = {"csrf_token": token, "version": "4", "title": "Hijacked", "customer_id": str(customer_id),
            "amount": "1", "reason": "Hijack", "start_on": "2027-01-01", "end_on": "2027-12-31",
            "owner_id": str(stranger.user_id)}
    for rule, method in routes:
        url = _url(rule, contract_id)
        for headers in ({}, {"HX-Request": "true", "HX-Target": "main"}, {"HX-Request": "true",
                                                                          "HX-Target": "amend-form"}):
            where = f"{method} {url} {headers}"
            response = client.get(url, headers=headers) if method == "GET" else client.post(url, data=form,
                                                                                             headers=headers)
            _assert_hidden(response, where)
    assert _counts(engine) == before


def test_neighbouring_ids_lists_and_searches_reveal_nothing(
        client: FlaskClient, deps: Dependencies, setting: tuple[Actor, Actor, int, int]) -> None:
    _owner, stranger, contract_id, customer_id = setting
    sign_in_as(client, deps, stranger)
    for probe in range(contract_id - 5, contract_id + 5):
        _assert_hidden(client.get(f"/contracts/{probe}"), f"GET /contracts/{probe}")
    for query in ({"q": "Canary"}, {"q": "CAN-1"}, {"q": "金丝雀"}, {"customer": str(customer_id)}, {}):
        for headers in ({}, {"HX-Request": "true", "HX-Target": "contract-results"},
                        {"HX-Request": "true", "HX-Target": "customer-contracts"}):
            body = client.get("/contracts", query_string=query, headers=headers).get_data(as_text=True)
            assert CANARY not in body and PARTY not in body and "CAN-1<" not in body, (query, headers)


def test_a_draft_for_someone_elses_customer_is_refused_without_naming_it(
        client: FlaskClient, deps: Dependencies, engine: Engine, setting: tuple[Actor, Actor, int, int]) -> None:
    _owner, stranger, _contract_id, customer_id = setting
    sign_in_as(client, deps, stranger)
    token = csrf_of(client, "/contracts")

    form = client.get(f"/contracts/new?customer_id={customer_id}")
    created = client.post("/contracts", data={"csrf_token": token, "title": "Mine", "customer_id": str(customer_id),
                                              "amount": "5", "owner_id": str(stranger.user_id)})

    assert form.status_code == 404
    assert created.status_code == 422 and PARTY not in created.text and "金丝雀" not in created.text
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(contracts)).scalar() == 1


SUPPLIER = "Canary Supplier 金丝雀供应"


@pytest.fixture
def purchase_setting(engine: Engine, deps: Dependencies, monkeypatch: pytest.MonkeyPatch) -> tuple[Actor, int, int]:
    """A buyer's active, amended purchase contract in the East; a procurement manager of the West as stranger."""
    east, west = add_department(engine, "East"), add_department(engine, "West")
    buyer = add_user(SqlUnitOfWork(engine), "buyer", {"buyer"}, east)
    stranger = add_user(SqlUnitOfWork(engine), "stranger", {"procurement_manager"}, west)
    with engine.begin() as connection:
        supplier_id = int(connection.execute(text(
            "INSERT INTO suppliers (name, name_key, category, status, region, address, payment_terms, notes, "
            "bank_name, created_by, created_at, updated_at, version) VALUES (:n, :n, 'other', 'qualified', 'other', "
            "'', '', '', '', :by, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
            {"n": SUPPLIER, "by": buyer.user_id}).scalar_one())
    form = {"title": CANARY, "kind": "purchase", "supplier_id": str(supplier_id), "amount": "777",
            "owner_id": str(buyer.user_id)}
    contract = services.create_contract(form, actor=buyer, uow=SqlUnitOfWork(engine), clock=FixedClock(),
                                        pattern=NumberPattern.parse("CAN-{seq}"))
    monkeypatch.setattr(approval_engine, "start_approval", lambda subject, **_: Outcome.APPROVED)
    workflow.submit_contract(contract.id or 0, 1, actor=buyer, uow=SqlUnitOfWork(engine), clock=FixedClock())
    amending.amend_contract(contract.id or 0, form | {"amount": "888", "reason": "Canary reason"}, 3, actor=buyer,
                            uow=SqlUnitOfWork(engine), clock=FixedClock())
    return stranger, contract.id or 0, supplier_id


def test_another_departments_purchase_contract_is_hidden_on_every_route(
        app: Flask, client: FlaskClient, deps: Dependencies, engine: Engine,
        purchase_setting: tuple[Actor, int, int]) -> None:
    stranger, contract_id, supplier_id = purchase_setting
    sign_in_as(client, deps, stranger)
    token, before = csrf_of(client, "/contracts"), _counts(engine)
    form = {"csrf_token": token, "version": "4", "title": "Hijacked", "kind": "purchase",
            "supplier_id": str(supplier_id), "amount": "1", "reason": "Hijack", "start_on": "2027-01-01",
            "end_on": "2027-12-31", "owner_id": str(stranger.user_id)}
    for rule, method in _routes(app):
        url = _url(rule, contract_id)
        for headers in ({}, {"HX-Request": "true", "HX-Target": "main"}):
            response = client.get(url, headers=headers) if method == "GET" else client.post(url, data=form,
                                                                                             headers=headers)
            _assert_hidden(response, f"{method} {url} {headers}")
    assert _counts(engine) == before


def test_lists_searches_and_the_supplier_section_never_show_it(
        client: FlaskClient, deps: Dependencies, purchase_setting: tuple[Actor, int, int]) -> None:
    stranger, _contract_id, supplier_id = purchase_setting
    sign_in_as(client, deps, stranger)
    for query in ({"q": "Canary"}, {"q": "CAN-1"}, {"q": "金丝雀供应"}, {"kind": "purchase"},
                  {"supplier": str(supplier_id)}, {}):
        for headers in ({}, {"HX-Request": "true", "HX-Target": "contract-results"}):
            body = client.get("/contracts", query_string=query, headers=headers).get_data(as_text=True)
            assert CANARY not in body and SUPPLIER not in body and "CAN-1<" not in body, (query, headers)
    for headers in ({}, {"HX-Request": "true", "HX-Target": "supplier-contracts"}):
        section = client.get(f"/suppliers/{supplier_id}/contracts", headers=headers)
        assert section.status_code == 200 and CANARY not in section.text and "CAN-1" not in section.text
        assert "No contracts with this supplier that you can see" in section.text
