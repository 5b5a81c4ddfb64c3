"""Purchase contracts through the pages, on SQLite and PostgreSQL: a buyer drafts one for a supplier and the
approval engine approves it; the kind filter and party search of the list; the detail's party links; the supplier
section; what a buyer and a sales rep may not pick; blacklisted suppliers; a change of supplier by amendment."""

import secrets
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, text

from adapters.sqlalchemy.tables import contracts
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode
from domain.identity.models import Actor
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.contract_helpers import add_contract
from web.deps import Dependencies

ACME, DELTA, BANNED = "Acme 华东钢材有限公司", "Delta 精密材料", "Banned 黑名单贸易"


def add_supplier(engine: Engine, name: str, status: str = "qualified") -> int:
    with engine.begin() as connection:
        return int(connection.execute(text(
            "INSERT INTO suppliers (name, name_key, category, status, region, address, payment_terms, notes, "
            "bank_name, created_by, created_at, updated_at, version) VALUES (:name, :key, 'materials', :status, "
            "'other', '', '', '', '', (SELECT min(id) FROM users), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) "
            "RETURNING id"), {"name": name, "key": name.lower(), "status": status}).scalar_one())


@pytest.fixture
def people(engine: Engine) -> dict[str, Actor]:
    procurement, sales = add_department(engine, "Procurement"), add_department(engine, "Sales")
    uow = SqlUnitOfWork(engine)
    found = {role: add_user(uow, role, {role}, procurement)
             for role in ("buyer", "procurement_manager", "administrator")}
    found["sales_rep"] = add_user(uow, "sales_rep", {"sales_rep"}, sales)
    found["sales_manager"] = add_user(uow, "sales_manager", {"sales_manager"}, procurement)
    return found


@pytest.fixture
def suppliers(engine: Engine, people: dict[str, Actor]) -> dict[str, int]:
    return {"acme": add_supplier(engine, ACME), "delta": add_supplier(engine, DELTA, "pending"),
            "banned": add_supplier(engine, BANNED, "blacklisted")}


def signed_in(client: FlaskClient, deps: Dependencies, actor: Actor) -> str:
    sign_in_as(client, deps, actor)
    return csrf_of(client, "/contracts")


def terms(supplier_id: int, owner: Actor, **overrides: str) -> dict[str, str]:
    return {"kind": "purchase", "title": "钢材年度框架协议", "supplier_id": str(supplier_id), "amount": "480,000",
            "currency": "CNY", "start_on": "2027-01-01", "end_on": "2027-12-31", "owner_id": str(owner.user_id),
            "payment_terms": "60 days after invoice", "notes": ""} | overrides


def draft(client: FlaskClient, token: str, supplier_id: int, owner: Actor, **overrides: str) -> int:
    response = client.post("/contracts", data=terms(supplier_id, owner, **overrides) | {"csrf_token": token})
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def row(engine: Engine, contract_id: int) -> Any:
    with engine.connect() as connection:
        return connection.execute(select(contracts).where(contracts.c.id == contract_id)).one()


def count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM contracts")).scalar_one())


def approve_through_the_inbox(client: FlaskClient, deps: Dependencies, engine: Engine, approver: Actor) -> None:
    with engine.connect() as connection:
        task = connection.execute(text("SELECT id FROM approval_tasks WHERE assignee_id = :u AND status = 'open'"),
                                  {"u": approver.user_id}).scalar_one()
    token = signed_in(client, deps, approver)
    assert client.post(f"/approvals/tasks/{task}/approve", data={"csrf_token": token}).status_code == 303


def test_a_buyer_drafts_a_purchase_contract_and_the_engine_approves_it(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    buyer, manager = people["buyer"], people["procurement_manager"]
    with SqlUnitOfWork(engine) as uow:
        uow.approvals.add_rule(ApprovalRule(None, "Purchase contracts", "contract", None, Decimal("0"), None, [
            RuleStep(1, StepMode.ANY, ApproverKind.ROLE, role_key="procurement_manager")]))
        uow.commit()
    token = signed_in(client, deps, buyer)

    picker = client.get("/contracts/new")
    search = client.get("/contracts/new", query_string={"kind": "purchase", "q": "华东"},
                        headers={"HX-Request": "true", "HX-Target": "supplier-picker"})
    form = client.get(f"/contracts/new?supplier_id={suppliers['acme']}")
    contract_id = draft(client, token, suppliers["acme"], buyer)
    submitted = client.post(f"/contracts/{contract_id}/submit", data={"csrf_token": token, "version": "1"})
    approve_through_the_inbox(client, deps, engine, manager)

    assert picker.status_code == 200 and "Which supplier" in picker.text and "Which customer" not in picker.text
    assert "<html" not in search.text and ACME in search.text and DELTA not in search.text
    assert ACME in form.text and f'name="supplier_id" value="{suppliers["acme"]}"' in form.text
    assert submitted.status_code == 303
    stored = row(engine, contract_id)
    assert (stored.supplier_id, stored.customer_id, stored.status) == (suppliers["acme"], None, "active")
    assert stored.amount == Decimal("480000.00") and stored.department_id == buyer.department_id
    with engine.connect() as connection:
        trail = list(connection.execute(text("SELECT action FROM audit_events WHERE entity_type = 'contract' "
                                             "ORDER BY seq")).scalars())
    assert trail == ["contract.created", "contract.submitted", "approval.requested", "approval.approved",
                     "contract.approved"]


def test_the_list_filters_by_kind_and_finds_either_partys_name(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    admin = people["administrator"]
    token = signed_in(client, deps, admin)
    purchase = draft(client, token, suppliers["acme"], admin, title="Steel frame")
    sales = add_contract(engine, admin, title="Maintenance deal")

    def listed(**query: str) -> str:
        return client.get("/contracts", query_string=query,
                          headers={"HX-Request": "true", "HX-Target": "contract-results"}).text

    everything, bought, sold = listed(), listed(kind="purchase"), listed(kind="sales")
    assert f'/contracts/{purchase}"' in everything and f'/contracts/{sales}"' in everything and ACME in everything
    assert f'/contracts/{purchase}"' in bought and f'/contracts/{sales}"' not in bought
    assert f'/contracts/{sales}"' in sold and f'/contracts/{purchase}"' not in sold
    for term in ("华东钢材", "acme"):
        found = listed(q=term)
        assert f'/contracts/{purchase}"' in found and f'/contracts/{sales}"' not in found, term
    by_customer = listed(q="客户")  # the sales contract's customer is called 客户 …
    assert f'/contracts/{sales}"' in by_customer and f'/contracts/{purchase}"' not in by_customer
    assert f'/contracts/{purchase}"' in listed(supplier=str(suppliers["acme"]))
    assert f'/contracts/{purchase}"' not in listed(supplier=str(suppliers["delta"]))
    page = client.get("/contracts?kind=purchase").text
    assert '<option value="purchase" selected>' in page


def test_the_detail_names_the_kind_and_links_the_party_for_those_who_may_open_it(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    buyer, admin = people["buyer"], people["administrator"]
    token = signed_in(client, deps, buyer)
    purchase = draft(client, token, suppliers["acme"], buyer)
    sales = add_contract(engine, admin)

    as_buyer = client.get(f"/contracts/{purchase}").text
    signed_in(client, deps, admin)
    sales_page = client.get(f"/contracts/{sales}").text
    signed_in(client, deps, people["sales_manager"])  # same department, sees contracts but not suppliers
    as_sales_manager = client.get(f"/contracts/{purchase}").text

    assert "Purchase contract" in as_buyer and f'href="/suppliers/{suppliers["acme"]}"' in as_buyer
    assert "Sales contract" in sales_page and f'href="/customers/{row(engine, sales).customer_id}"' in sales_page
    assert ACME in as_sales_manager and "/suppliers/" not in as_sales_manager


def test_the_supplier_section_is_a_fragment_and_a_page(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    buyer = people["buyer"]
    token = signed_in(client, deps, buyer)
    older = draft(client, token, suppliers["acme"], buyer, title="First frame")
    newer = draft(client, token, suppliers["acme"], buyer, title="Second frame")
    elsewhere = draft(client, token, suppliers["delta"], buyer, title="Other supplier")
    url = f"/suppliers/{suppliers['acme']}/contracts"

    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "supplier-contracts"})
    page = client.get(url)
    banned = client.get(f"/suppliers/{suppliers['banned']}/contracts").text
    missing = client.get("/suppliers/999999/contracts")
    signed_in(client, deps, people["sales_rep"])
    as_rep = client.get(url)

    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.text.index("Second frame") < fragment.text.index("First frame")  # newest first
    assert f'/contracts/{older}"' in fragment.text and f'/contracts/{elsewhere}"' not in fragment.text
    assert f'href="/contracts/new?supplier_id={suppliers["acme"]}"' in fragment.text
    assert "<html" in page.text and ACME in page.text and f'/contracts/{newer}"' in page.text
    assert "blacklisted" in banned and "/contracts/new?supplier_id" not in banned
    assert missing.status_code == 404
    assert as_rep.status_code == 200 and ACME not in as_rep.text and "/contracts/new?supplier_id" not in as_rep.text
    assert "No contracts with this supplier that you can see" in as_rep.text


def test_a_buyer_cannot_pick_a_customer_nor_a_sales_rep_a_supplier(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    customer_id = row(engine, add_contract(engine, people["sales_rep"])).customer_id
    token = signed_in(client, deps, people["buyer"])

    assert client.get("/contracts/new?kind=sales").status_code == 403
    assert client.get(f"/contracts/new?customer_id={customer_id}").status_code == 403
    created = client.post("/contracts", data={"csrf_token": token, "kind": "sales", "title": "Sneaky",
                                              "customer_id": str(customer_id), "amount": "5",
                                              "owner_id": str(people["buyer"].user_id)})
    assert created.status_code == 403
    token = signed_in(client, deps, people["sales_rep"])
    assert "Which customer" in client.get("/contracts/new").text
    assert client.get("/contracts/new?kind=purchase").status_code == 403
    assert client.get(f"/contracts/new?supplier_id={suppliers['acme']}").status_code == 403
    assert client.post("/contracts", data=terms(suppliers["acme"], people["sales_rep"]) | {
        "csrf_token": token}).status_code == 403
    assert count(engine) == 1


def test_administrators_choose_the_kind_first(client: FlaskClient, deps: Dependencies,
                                              people: dict[str, Actor]) -> None:
    signed_in(client, deps, people["administrator"])

    page = client.get("/contracts/new").text

    assert 'href="/contracts/new?kind=sales"' in page and 'href="/contracts/new?kind=purchase"' in page
    assert "Which supplier" in client.get("/contracts/new?kind=purchase").text


def test_a_blacklisted_supplier_is_refused_with_a_clear_message(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    buyer = people["buyer"]
    token = signed_in(client, deps, buyer)
    picker = client.get("/contracts/new", query_string={"kind": "purchase", "q": "Banned"}).text

    chosen = client.get(f"/contracts/new?supplier_id={suppliers['banned']}")
    posted = client.post("/contracts", data=terms(suppliers["banned"], buyer, title="Typed title 保留") | {
        "csrf_token": token})

    assert BANNED in picker and f"supplier_id={suppliers['banned']}" not in picker and "cannot be chosen" in picker
    assert chosen.status_code == 422 and "This supplier is blacklisted" in chosen.text
    assert posted.status_code == 422 and "This supplier is blacklisted" in posted.text
    assert "Typed title 保留" in posted.text
    assert count(engine) == 0


def test_a_draft_whose_supplier_was_blacklisted_meanwhile_is_not_submitted(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    token = signed_in(client, deps, people["buyer"])
    contract_id = draft(client, token, suppliers["acme"], people["buyer"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE suppliers SET status = 'blacklisted' WHERE id = :s"), {"s": suppliers["acme"]})

    refused = client.post(f"/contracts/{contract_id}/submit", data={"csrf_token": token, "version": "1"})

    assert refused.status_code == 303 and row(engine, contract_id).status == "draft"
    assert "This supplier is blacklisted" in client.get(f"/contracts/{contract_id}").text


def test_an_amendment_changes_the_supplier_within_the_kind(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        suppliers: dict[str, int]) -> None:
    buyer = people["buyer"]
    contract_id = add_contract(engine, buyer, customer_id=None, supplier_id=suppliers["acme"],
                               number="CG-" + secrets.token_hex(3))
    token = signed_in(client, deps, buyer)

    picker = client.get(f"/contracts/{contract_id}/amend/party")
    form = client.get(f"/contracts/{contract_id}/amend?supplier_id={suppliers['delta']}")
    to_customer = client.post(f"/contracts/{contract_id}/amend", data=terms(
        suppliers["acme"], buyer, kind="sales", customer_id="1", reason="Move") | {"csrf_token": token,
                                                                                  "version": "1"})
    amended = client.post(f"/contracts/{contract_id}/amend", data=terms(
        suppliers["delta"], buyer, title="年度维护服务", amount="120000", start_on="2026-01-10",
        end_on="2027-01-09", payment_terms="", reason="Acme sold the line to Delta") | {
        "csrf_token": token, "version": "1", "signed_on": "2026-01-05"})

    assert "Which supplier" in picker.text and f"amend?supplier_id={suppliers['delta']}" in picker.text
    assert DELTA in form.text and f'name="supplier_id" value="{suppliers["delta"]}"' in form.text
    assert to_customer.status_code == 422 and "purchase contract with a supplier" in to_customer.text
    assert amended.status_code == 303, amended.text
    assert row(engine, contract_id).supplier_id == suppliers["delta"]
    diff = client.get(amended.headers["Location"]).text
    assert ACME in diff and DELTA in diff and "Supplier" in diff
