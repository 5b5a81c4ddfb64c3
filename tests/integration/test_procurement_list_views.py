"""Saved views of the five procurement lists, on SQLite and PostgreSQL: each keeps every filter of its list (never
the cursor), is a tab of its own list only, is 404 through another list, and is shared with a department subtree."""

import pytest
from flask import Flask
from sqlalchemy import Engine

from tests.integration.procurement_lists import Purchasing, purchasing_office
from web.deps import Dependencies

# (list URL, list key, every filter of the list with a value, the canonical query a view of them keeps)
LISTS = [
    ("/suppliers", "suppliers", {"documents": "expiring", "category": "components", "status": "pending", "q": "精密"},
     "q=%E7%B2%BE%E5%AF%86&status=pending&category=components&documents=expiring"),
    ("/requisitions", "requisitions", {"mine": "1", "department": "7", "status": "approved", "q": "PR-2026"},
     "q=PR-2026&status=approved&department=7&mine=1"),
    ("/purchase-orders", "purchase_orders", {"buyer": "3", "supplier": "5", "status": "approved", "q": "交换机"},
     "q=%E4%BA%A4%E6%8D%A2%E6%9C%BA&status=approved&supplier=5&buyer=3"),
    ("/receipts", "receipts", {"rejected": "1", "to": "2026-12-31", "from": "2026-01-01", "order": "9", "q": "GR"},
     "q=GR&order=9&from=2026-01-01&to=2026-12-31&rejected=1"),
    ("/invoices", "invoices", {"order": "9", "ready": "1", "status": "matched", "q": "INV"},
     "q=INV&status=matched&ready=1&order=9"),
]
IDS = [key for _, key, _, _ in LISTS]


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Purchasing:
    return purchasing_office(app, deps, engine)


def tabs(page: str) -> str:
    return page.split('<nav class="view-tabs"', 1)[1].split("</nav>", 1)[0]


def saved(office: Purchasing, list_key: str) -> list[tuple[int, str, int | None]]:
    return [(r[0], r[1], r[2]) for r in office.rows(
        "SELECT id, query, shared_department_id FROM saved_views WHERE list_key = :k ORDER BY id", k=list_key)]


@pytest.mark.parametrize(("url", "key", "filters", "query"), LISTS, ids=IDS)
def test_a_view_keeps_every_filter_and_belongs_to_its_list_only(office: Purchasing, url: str, key: str,
                                                                filters: dict[str, str], query: str) -> None:
    client, token = office.client(office.manager)
    other = LISTS[(IDS.index(key) + 1) % len(LISTS)][0]

    response = client.post(url + "/views", data={"csrf_token": token, "name": "Mine", "after": "cursor"} | filters)
    [(view_id, kept, shared)] = saved(office, key)

    assert response.status_code == 303 and response.headers["Location"].endswith(f"{url}?{query}")
    assert (kept, shared) == (query, None)
    assert 'aria-current="page">Mine' in tabs(client.get(f"{url}?{query}").text)
    assert "Mine" not in tabs(client.get(other).text)
    assert client.get(f"{other}/views/{view_id}").status_code == 404
    assert client.post(f"{other}/views/{view_id}/rename", data={"csrf_token": token, "name": "X"}).status_code == 404
    assert client.post(f"{other}/views/{view_id}/delete", data={"csrf_token": token}).status_code == 404
    assert client.get(f"{url}/views/{view_id}").headers["Location"].endswith(f"{url}?{query}")
    assert client.post(f"{url}/views/{view_id}/rename", data={"csrf_token": token, "name": "Approved"}
                       ).status_code == 303
    assert client.post(f"{url}/views/{view_id}/delete", data={"csrf_token": token}).status_code == 303
    assert saved(office, key) == [] and [e for e, _ in office.audit("saved_view.deleted")] == [str(view_id)]


def test_a_shared_order_view_reaches_the_department_below_only(office: Purchasing) -> None:
    manager, token = office.client(office.manager)
    buyer, buyer_token = office.client(office.buyer)
    far, _ = office.client(office.far)

    manager.post("/purchase-orders/views", data={"csrf_token": token, "name": "To send", "share": "department",
                                                 "status": "approved"})
    [(view_id, _, shared)] = saved(office, "purchase_orders")

    assert shared == office.purchasing
    assert "To send" in tabs(buyer.get("/purchase-orders").text) and "To send" not in tabs(far.get(
        "/purchase-orders").text)
    assert buyer.get(f"/purchase-orders/views/{view_id}").status_code == 303
    assert far.get(f"/purchase-orders/views/{view_id}").status_code == 404
    assert buyer.post(f"/purchase-orders/views/{view_id}/delete", data={"csrf_token": buyer_token}).status_code == 404
    assert len(saved(office, "purchase_orders")) == 1


@pytest.mark.parametrize(("url", "key"), [("/suppliers", "suppliers"), ("/purchase-orders", "purchase_orders"),
                                          ("/receipts", "receipts"), ("/invoices", "invoices")])
def test_without_the_lists_read_permission_no_view_is_saved(office: Purchasing, url: str, key: str) -> None:
    client, token = office.client(office.employee)

    assert client.post(url + "/views", data={"csrf_token": token, "name": "Mine"}).status_code == 403
    assert saved(office, key) == []


def test_a_bad_name_shows_the_list_again_with_what_was_typed(office: Purchasing) -> None:
    client, token = office.client(office.buyer)

    response = client.post("/requisitions/views", data={"csrf_token": token, "name": "x" * 61, "status": "approved"})

    assert response.status_code == 422 and 'id="requisition-results"' in response.text
    assert 'aria-invalid="true"' in response.text and 'value="' + "x" * 61 + '"' in response.text
    assert saved(office, "requisitions") == []


def test_the_view_forms_are_loaded_when_opened(office: Purchasing) -> None:
    client, token = office.client(office.buyer)
    page = client.get("/purchase-orders?status=approved&after=cursor").text

    fragment = client.get("/purchase-orders/views/manage?status=approved",
                          headers={"HX-Request": "true", "HX-Target": "order-view-forms"}).text
    client.post("/purchase-orders/views", data={"csrf_token": token, "name": "To send", "status": "approved"})
    own = client.get("/purchase-orders/views/manage?status=approved").text
    [(view_id, _, _)] = saved(office, "purchase_orders")

    assert 'name="name"' not in page and 'hx-get="/purchase-orders/views/manage?status=approved"' in page
    assert fragment.startswith('<div id="order-view-forms">') and "Save the current filters as" in fragment
    assert '<input type="hidden" name="status" value="approved">' in fragment and "cursor" not in fragment
    assert "<h1>Saved views</h1>" in own and 'href="/purchase-orders?status=approved">Back to the list' in own
    assert f'action="/purchase-orders/views/{view_id}/rename"' in own and 'name="share"' not in own
