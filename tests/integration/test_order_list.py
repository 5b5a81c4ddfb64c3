"""The purchase order list on SQLite and PostgreSQL: search by number, supplier and title, filters, keyset pages,
the htmx partial, record scope (404 outside it, approvers excepted), and the supplier page's section."""

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, insert, update

from adapters.sqlalchemy import purchase_orders as sql_orders
from adapters.sqlalchemy.tables import approval_requests, approval_tasks, purchase_orders
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.builders import NOW
from tests.integration.conftest import add_user, sign_in_as
from tests.integration.order_helpers import Office, add_supplier, office, order_rule
from web.deps import Dependencies

ROW = re.compile(r'<td><a href="/purchase-orders/(\d+)"[^>]*>(PO-[^<]+)</a>')


@pytest.fixture
def people(engine: Engine) -> Office:
    return office(engine)


def add_orders(engine: Engine, buyer: Actor, supplier: int, count: int, title: str = "办公用品", start: int = 1,
               status: str = "draft") -> list[int]:
    """`count` orders of the buyer, numbered PO-2026-<start…>, one minute apart (the later, the newer)."""
    with engine.begin() as connection:
        return [int(connection.execute(insert(purchase_orders).values(
            number=f"PO-2026-{n:05d}", supplier_id=supplier, title=f"{title} {n}", buyer_id=buyer.user_id,
            department_id=buyer.department_id, currency="CNY", net_total=100, tax_total=13, gross_total=113,
            status=status, delivery_address="", payment_terms="", notes="", created_by=buyer.user_id,
            created_at=NOW + timedelta(minutes=n), updated_at=NOW, version=1).returning(purchase_orders.c.id)
        ).scalar_one()) for n in range(start, start + count)]


def numbers(html: str) -> list[str]:
    return [number for _, number in ROW.findall(html)]


def test_the_list_pages_by_keyset_newest_first(client: FlaskClient, deps: Dependencies, engine: Engine,
                                               people: Office) -> None:
    supplier = add_supplier(engine, "华东网络设备", by=people.manager.user_id)
    add_orders(engine, people.buyer, supplier, 60)
    sign_in_as(client, deps, people.buyer)

    first = client.get("/purchase-orders").text
    assert numbers(first)[:2] == ["PO-2026-00060", "PO-2026-00059"] and len(numbers(first)) == 50
    after = re.search(r'rel="next" href="([^"]+)"', first)
    assert after
    second = client.get(after.group(1).replace("&amp;", "&")).text
    assert numbers(second) == [f"PO-2026-{n:05d}" for n in range(10, 0, -1)]
    before = re.search(r'rel="prev" href="([^"]+)"', second)
    assert before and numbers(client.get(before.group(1).replace("&amp;", "&")).text) == numbers(first)

    partial = client.get("/purchase-orders", headers={"HX-Request": "true", "HX-Target": "order-results"})
    assert partial.text.startswith('<section id="order-results"') and "<html" not in partial.text
    assert "Vary" in partial.headers


@pytest.mark.parametrize("sortable", [2000, 2], ids=["few hits sorted", "many hits walked"])
def test_search_finds_numbers_suppliers_and_titles(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                   people: Office, sortable: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql_orders, "_HITS", sortable)  # the same answers whichever way the hits are read
    huadong = add_supplier(engine, "华东网络设备有限公司", by=people.manager.user_id)
    other = add_supplier(engine, "Kestrel Logistics", by=people.manager.user_id)
    add_orders(engine, people.buyer, huadong, 12)
    add_orders(engine, people.buyer, other, 3, title="Forklift tyres", start=13)
    sign_in_as(client, deps, people.buyer)

    def found(query: str) -> list[str]:
        return numbers(client.get("/purchase-orders", query_string={"q": query}).text)

    assert found("PO-2026-00007") == ["PO-2026-00007"]
    assert found("po-2026-0001") == [f"PO-2026-{n:05d}" for n in (15, 14, 13, 12, 11, 10)]
    assert found("华东") == [f"PO-2026-{n:05d}" for n in range(12, 0, -1)]
    assert found("kestrel") == found("tyres") == ["PO-2026-00015", "PO-2026-00014", "PO-2026-00013"]
    assert found("办公用品 3") == ["PO-2026-00003"]
    assert found("100%") == [] and found("nothing like it") == []


def test_a_renamed_order_is_found_by_its_new_title_only(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                        people: Office) -> None:
    supplier = add_supplier(engine, "华东网络设备", by=people.manager.user_id)
    (order_id,) = add_orders(engine, people.buyer, supplier, 1, title="Printer paper")
    with engine.begin() as connection:
        connection.execute(update(purchase_orders).where(purchase_orders.c.id == order_id).values(
            title="Laser toner"))
    sign_in_as(client, deps, people.buyer)

    assert numbers(client.get("/purchase-orders?q=toner").text) == ["PO-2026-00001"]
    assert numbers(client.get("/purchase-orders?q=paper").text) == []


def test_filters_by_status_supplier_and_buyer(client: FlaskClient, deps: Dependencies, engine: Engine,
                                              people: Office) -> None:
    huadong = add_supplier(engine, "华东网络设备", by=people.manager.user_id)
    other = add_supplier(engine, "Kestrel Logistics", by=people.manager.user_id)
    colleague = add_user(SqlUnitOfWork(engine), "colleague", {"buyer"}, people.purchasing)
    add_orders(engine, people.buyer, huadong, 3)
    add_orders(engine, colleague, other, 2, start=4, status="approved")
    sign_in_as(client, deps, people.buyer)

    def found(**args: str) -> list[str]:
        return numbers(client.get("/purchase-orders", query_string=args).text)

    assert found(status="approved") == ["PO-2026-00005", "PO-2026-00004"]
    assert found(supplier=str(huadong)) == ["PO-2026-00003", "PO-2026-00002", "PO-2026-00001"]
    assert found(buyer=str(colleague.user_id), status="draft") == []
    page = client.get("/purchase-orders", query_string={"supplier": str(other)}).text
    assert "Orders from Kestrel Logistics." in page and 'name="buyer"' in page


def test_orders_outside_the_scope_are_not_found_anywhere(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                         people: Office) -> None:
    supplier = add_supplier(engine, "华东网络设备", by=people.manager.user_id)
    (order_id,) = add_orders(engine, people.buyer, supplier, 1)
    sign_in_as(client, deps, people.stranger)
    token = client.get("/purchase-orders").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    assert numbers(client.get("/purchase-orders").text) == []
    for path in ("", "/edit", "/print", "/cancel"):
        assert client.get(f"/purchase-orders/{order_id}{path}").status_code == 404, path
    for action in ("submit", "reopen", "send", "cancel", "close", ""):
        response = client.post(f"/purchase-orders/{order_id}/{action}".rstrip("/"),
                               data={"csrf_token": token, "version": "1", "reason": "x", "title": "x"})
        assert response.status_code == 404, action
    assert "PO-2026-00001" not in client.get(f"/suppliers/{supplier}/orders").text

    sign_in_as(client, deps, people.manager)
    assert numbers(client.get("/purchase-orders").text) == ["PO-2026-00001"]


def test_an_approver_reads_the_order_but_cannot_change_it(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                          people: Office) -> None:
    supplier = add_supplier(engine, "华东网络设备", by=people.manager.user_id)
    (order_id,) = add_orders(engine, people.buyer, supplier, 1, status="pending_approval")
    approver = add_user(SqlUnitOfWork(engine), "boss", {"sales_manager"}, people.company)
    rule = order_rule(engine, approver)
    with engine.begin() as connection:
        request = connection.execute(insert(approval_requests).values(
            document_type="purchase_order", document_id=order_id, rule_id=rule, title="x", amount=113,
            currency="CNY", status="pending", current_step=1, requested_by=people.buyer.user_id, created_at=NOW,
        ).returning(approval_requests.c.id)).scalar_one()
        connection.execute(insert(approval_tasks).values(request_id=request, step=1, assignee_id=approver.user_id,
                                                         status="open", comment=""))
    sign_in_as(client, deps, approver)

    page = client.get(f"/purchase-orders/{order_id}")

    assert page.status_code == 200 and "take part in its approval" in page.text and "/cancel" not in page.text
    assert client.get(f"/purchase-orders/{order_id}/print").status_code == 200
    assert client.get(f"/purchase-orders/{order_id}/edit").status_code == 403
    assert client.get("/purchase-orders").status_code == 403


def test_the_supplier_section_lists_its_newest_orders(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                      people: Office) -> None:
    supplier = add_supplier(engine, "华东网络设备", by=people.manager.user_id)
    add_orders(engine, people.buyer, supplier, 12)
    sign_in_as(client, deps, people.buyer)

    section = client.get(f"/suppliers/{supplier}/orders", headers={"HX-Request": "true"}).text

    assert numbers(section)[:1] == ["PO-2026-00012"] and len(numbers(section)) == 10
    assert f'href="/purchase-orders?supplier={supplier}"' in section
    assert client.get("/suppliers/999999/orders").status_code == 404
