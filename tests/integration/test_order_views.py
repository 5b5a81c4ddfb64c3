"""Purchase orders through the views on SQLite and PostgreSQL: from requisition lines into one order, direct
orders and their refusals, editing with conflicts, live totals, the printable order, detail and sections."""

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from adapters.sqlalchemy.tables import purchase_order_lines, purchase_orders
from domain.identity.models import Actor
from tests.integration.conftest import csrf_of, sign_in_as
from tests.integration.order_helpers import (
    D,
    Office,
    a_line,
    add_budget,
    add_purchase_contract,
    add_requisition,
    add_supplier,
    office,
    order_form,
    ordered_quantity,
    requisition_status,
)
from web.deps import Dependencies


@dataclass
class Shop:
    people: Office
    supplier: int
    blacklisted: int
    budget: int
    requisition: int
    lines: list[int]


@pytest.fixture
def shop(engine: Engine) -> Shop:
    people = office(engine)
    supplier = add_supplier(engine, "华东网络设备有限公司", by=people.manager.user_id, credit_code="91310000MA1FL0001X")
    blacklisted = add_supplier(engine, "劣质电子厂", "blacklisted", by=people.manager.user_id)
    budget = add_budget(engine, people.it, "50000.00", people.manager.user_id)
    requisition, lines = add_requisition(engine, people.requester, budget, [("六类网线", "305", "米", "3.39"),
                                                                           ("24 口交换机", "4", "台", "1130.00")])
    return Shop(people, supplier, blacklisted, budget, requisition, lines)


def signed_in(client: FlaskClient, deps: Dependencies, actor: Actor) -> str:
    sign_in_as(client, deps, actor)
    return csrf_of(client, "/purchase-orders")


def order_row(engine: Engine, order_id: int) -> tuple[str, str, int]:
    with engine.connect() as connection:
        row = connection.execute(select(purchase_orders.c.number, purchase_orders.c.status,
                                        purchase_orders.c.version).where(purchase_orders.c.id == order_id)).one()
    return row.number, row.status, row.version


def order_id_of(location: str) -> int:
    found = re.search(r"/purchase-orders/(\d+)", location)
    assert found, location
    return int(found.group(1))


def test_a_buyer_turns_two_requisition_lines_into_one_order(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                           shop: Shop) -> None:
    token = signed_in(client, deps, shop.people.it_buyer)
    board = client.get("/purchase-orders/new").text
    assert "六类网线" in board and "data-selectable-rows" in board and 'name="supplier_id"' in board
    form_token = board.split('name="form_token" value="', 1)[1].split('"', 1)[0]

    response = client.post("/purchase-orders/from-requisitions", data={
        "csrf_token": token, "form_token": form_token, "supplier_id": str(shop.supplier),
        "lines": [str(i) for i in shop.lines]})

    assert response.status_code == 303 and response.headers["Location"].endswith("/edit")
    order_id = order_id_of(response.headers["Location"])
    number, status, _ = order_row(engine, order_id)
    assert re.fullmatch(r"PO-2026-\d{5}", number) and status == "draft"
    with engine.connect() as connection:
        lines = connection.execute(select(purchase_order_lines.c.requisition_line_id, purchase_order_lines.c.quantity,
                                          purchase_order_lines.c.budget_id).where(
            purchase_order_lines.c.order_id == order_id).order_by(purchase_order_lines.c.position)).all()
    assert [(r, D(q), b) for r, q, b in lines] == [(shop.lines[0], D("305"), shop.budget),
                                                   (shop.lines[1], D("4"), shop.budget)]
    assert [ordered_quantity(engine, i) for i in shop.lines] == [D("305"), D("4")]
    assert requisition_status(engine, shop.requisition) == "ordered"
    edit = client.get(response.headers["Location"]).text
    assert edit.count("data-line-identity") >= 4 and "PR-2026-" in edit and 'readonly="readonly"' in edit
    assert edit.count('<option value="13" selected>') == 3  # both lines' VAT rate and the new-line template's
    again = client.post("/purchase-orders/from-requisitions", data={
        "csrf_token": token, "form_token": form_token, "supplier_id": str(shop.supplier),
        "lines": [str(shop.lines[0])]})
    assert order_id_of(again.headers["Location"]) == order_id  # the same form twice makes one order


def test_the_board_refuses_without_a_supplier_or_lines_and_keeps_the_choices(
        client: FlaskClient, deps: Dependencies, shop: Shop) -> None:
    token = signed_in(client, deps, shop.people.it_buyer)

    response = client.post("/purchase-orders/from-requisitions", data={"csrf_token": token,
                                                                      "lines": [str(shop.lines[1])]})

    assert response.status_code == 422
    assert "Choose the supplier to order from." in response.text
    assert re.search(rf'value="{shop.lines[1]}"[^>]*checked', response.text)


def test_a_blacklisted_supplier_gets_no_order_and_the_message_says_why(
        client: FlaskClient, deps: Dependencies, engine: Engine, shop: Shop) -> None:
    token = signed_in(client, deps, shop.people.buyer)

    response = client.post("/purchase-orders", data=order_form(shop.blacklisted, a_line()) | {"csrf_token": token})
    board = client.post("/purchase-orders/from-requisitions", data={
        "csrf_token": token, "supplier_id": str(shop.blacklisted), "lines": [str(shop.lines[0])]})
    direct = client.get(f"/purchase-orders/new?supplier={shop.blacklisted}")

    assert response.status_code == 422 and "blacklisted and gets no orders" in response.text
    assert "交换机" in response.text  # what was typed is kept
    assert board.status_code == 422 and direct.status_code == 422
    with engine.connect() as connection:
        assert connection.execute(select(purchase_orders.c.id)).first() is None
    assert ordered_quantity(engine, shop.lines[0]) == 0


def test_a_direct_order_with_bad_lines_is_refused_inline_and_keeps_every_row(
        client: FlaskClient, deps: Dependencies, shop: Shop) -> None:
    token = signed_in(client, deps, shop.people.buyer)
    form = order_form(shop.supplier, a_line(), a_line(item="光模块", quantity="2.0005", tax_rate="17")) | {
        "csrf_token": token}

    response = client.post("/purchase-orders", data=form, headers={"HX-Request": "true", "HX-Target": "order-form"})

    assert response.status_code == 422 and response.text.startswith('<form id="order-form"')
    assert "Use at most three decimals for a quantity." in response.text
    assert "Choose one of the VAT rates" in response.text and 'value="光模块"' in response.text
    assert response.text.count('aria-invalid="true"') == 2


def test_a_direct_order_is_drafted_with_totals_and_can_be_printed(
        client: FlaskClient, deps: Dependencies, engine: Engine, shop: Shop) -> None:
    token = signed_in(client, deps, shop.people.buyer)
    page = client.get(f"/purchase-orders/new?supplier={shop.supplier}").text
    assert "月结 30 天" in page and "data-line-template" in page and "lines-changed" in page
    form_token = page.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    form = order_form(shop.supplier, a_line(quantity="3", unit_price="0.125"), a_line(unit_price="1234.5")) | {
        "csrf_token": token, "form_token": form_token}

    response = client.post("/purchase-orders", data=form)

    order_id = order_id_of(response.headers["Location"])
    detail = client.get(f"/purchase-orders/{order_id}").text
    assert "2,790.40" in detail  # 0.38 + 0.05 VAT; 2,469.00 + 320.97 VAT
    printed = client.get(f"/purchase-orders/{order_id}/print")
    assert printed.status_code == 200 and "贰仟柒佰玖拾元肆角" in printed.text
    assert "华东网络设备有限公司" in printed.text and "91310000MA1FL0001X" in printed.text
    assert order_row(engine, order_id)[0] in printed.text and "signature" in printed.text
    assert "style=" not in printed.text and "<script>" not in printed.text and "css/print.css" in printed.text
    chinese = client.get(f"/purchase-orders/{order_id}/print", headers={"Accept-Language": "zh-CN"}).text
    assert "统一社会信用代码：91310000MA1FL0001X" in chinese and "日期：" in chinese  # full-width colons
    assert f'hx-get="/purchase-orders/{order_id}/receipts"' in detail and 'hx-trigger="load"' in detail


def test_the_server_computes_the_totals_as_the_buyer_types(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                           shop: Shop) -> None:
    token = signed_in(client, deps, shop.people.it_buyer)
    contract = add_purchase_contract(engine, shop.supplier, shop.people.manager, "1000.00")
    form = order_form(shop.supplier, a_line(quantity="1", unit_price="0.125", budget_id=str(shop.budget)),
                      a_line(quantity="x"), contract_id=str(contract))

    response = client.post("/purchase-orders/totals", data=form | {"csrf_token": token},
                           headers={"HX-Request": "true", "HX-Target": "order-totals"})

    assert response.status_code == 200 and response.text.startswith('<section id="order-totals"')
    assert "0.13" in response.text and "0.15" in response.text  # half-up per line: 0.125 → 0.13, VAT 0.02
    assert "Enter a quantity such as 12 or 2.5." in response.text
    assert "1,000.00" in response.text and "999.85" in response.text  # the contract, before and after

