"""Exports of the five procurement lists, on SQLite and PostgreSQL: the filtered rows in the owner's scope, labels
in the user's language, plain amounts and quantities, masks, formula-safe cells, the audit, and who may start one."""

import io

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.integration.order_helpers import add_requisition
from tests.integration.procurement_lists import Purchasing, export, purchasing_office, table
from web.deps import Dependencies


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Purchasing:
    return purchasing_office(app, deps, engine)


def test_suppliers_export_masks_the_bank_account_and_leaves_contacts_out(office: Purchasing) -> None:
    parts = office.supplier("=HYPERLINK(\"http://evil\")", status="suspended", address="上海市张江路 88 号")
    office.supplier("北方物流", status="qualified")
    office.contact(parts, "王经理", "13812345678", "wang@parts.cn")
    client, token = office.client(office.manager)

    data = export(client, token, "/suppliers", "supplier", status="suspended")
    rows = table(data)

    assert rows[0][:4] == ["Name", "Unified social credit code", "Category", "Status"]
    assert rows[0][9] == "Bank account (masked)"
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://evil\")"]
    assert rows[1][2:4] == ["Components and parts", "Suspended"] and rows[1][6] == "上海市张江路 88 号"
    assert rows[1][9] == "**** **** **** 0123"
    for secret in (b"6222021234567890123", b"6222 0212", b"13812345678", b"wang@parts.cn", "王经理".encode()):
        assert secret not in data
    assert office.audit("supplier.exported") == [(None, {"filters": {"text": "", "status": "suspended",
                                                                     "category": None, "documents": None},
                                                         "format": "csv", "rows": 1})]


def test_orders_export_in_the_owners_scope_with_labels_and_plain_amounts(office: Purchasing) -> None:
    supplier = office.supplier("华东网络设备")
    mine = office.order(office.buyer, supplier, "partly_received", ("交换机", "4", "1130", 13),
                        ("网线", "305", "3.39", 13), number="PO-2026-00001", title="+1 机房")
    office.execute("UPDATE purchase_order_lines SET accepted_quantity = quantity WHERE order_id = :o AND position = 1",
                   o=mine)
    office.order(office.buyer, supplier, "draft", number="PO-2026-00002")
    office.order(office.far, supplier, "partly_received", number="PO-2026-00003")
    client, token = office.client(office.buyer)

    rows = table(export(client, token, "/purchase-orders", "order", status="partly_received"))
    sheet = load_workbook(io.BytesIO(export(client, token, "/purchase-orders", "order", "xlsx",
                                            status="partly_received")), read_only=True).active
    assert sheet is not None

    assert rows[0][:5] == ["Order number", "Title", "Supplier", "Supplier credit code", "Status"]
    assert [r[0] for r in rows[1:]] == ["PO-2026-00001"]
    _, title, supplier_name, _, status, buyer, department = rows[1][:7]
    assert (title, supplier_name, status, buyer, department) == ("'+1 机房", "华东网络设备", "Partly received", "Buyer",
                                                                 "Purchasing")
    assert rows[1][8:15] == ["CNY", "5553.95", "722.01", "6275.96", "2", "1", "0"]
    assert [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)] == rows
    assert [after["rows"] for _, after in office.audit("purchase_order.exported")] == [1, 1]


def test_requisitions_export_follows_the_requisition_scope_and_only_mine(office: Purchasing) -> None:
    add_requisition(office.engine, office.buyer, None, [("显示器", "2", "台", "1299.50")])
    add_requisition(office.engine, office.manager, None, [("键盘", "1", "个", "99")], status="closed")
    add_requisition(office.engine, office.far, None, [("叉车", "1", "台", "80000")])
    client, token = office.client(office.buyer)

    everyone = table(export(client, token, "/requisitions", "requisition"))
    mine = table(export(client, token, "/requisitions", "requisition", mine="1"))

    assert sorted((r[5], r[6], r[10]) for r in everyone[1:]) == [("Approved", "2599.00", "1"), ("Closed", "99.00", "1")]
    assert [r[4] for r in mine[1:]] == ["Buyer"] and "叉车" not in str(everyone)
    assert [after["filters"]["mine"] for _, after in office.audit("requisition.exported")] == [False, True]


def test_receipts_export_one_row_per_line_with_its_quantities(office: Purchasing) -> None:
    supplier = office.supplier("苏州精工")
    order = office.order(office.buyer, supplier, "partly_received", ("螺丝", "1000", "0.0035", 13),
                         ("垫片", "2.5", "4", 13), number="PO-2026-00007")
    office.receipt(order, office.buyer, ("600", "590", "10"), ("2.5", "2.5", "0"))
    office.receipt(office.order(office.far, supplier, "received", number="PO-2026-00008"), office.far, ("2", "2", "0"))
    client, token = office.client(office.buyer)

    rows = table(export(client, token, "/receipts", "receipt"))

    assert rows[0][9:14] == ["Ordered", "Received", "Accepted", "Rejected", "Why rejected"]
    assert [(r[2], r[6], *r[9:14], r[14]) for r in rows[1:]] == [
        ("PO-2026-00007", "螺丝", "1000", "600", "590", "10", "破损", "'=cmd"),
        ("PO-2026-00007", "垫片", "2.5", "2.5", "2.5", "0", "", "'=cmd")]
    assert office.audit("goods_receipt.exported")[0][1]["rows"] == 2


def test_invoices_export_says_what_is_ready_to_pay(office: Purchasing) -> None:
    supplier = office.supplier("苏州精工")
    order = office.order(office.buyer, supplier, "received", number="PO-2026-00009")
    office.invoice(order, office.buyer, "matched")
    office.invoice(order, office.buyer, "exception", gross="3000.00")
    office.invoice(office.order(office.far, supplier, "received"), office.far, "matched")
    client, token = office.client(office.finance)

    rows = table(export(client, token, "/invoices", "invoice", order=str(order)))

    assert sorted((r[3], r[4], r[5], r[9]) for r in rows[1:]) == [
        ("PO-2026-00009", "Exception", "No", "3000.00"), ("PO-2026-00009", "Matched", "Yes", "2260.00")]
    assert office.audit("supplier_invoice.exported")[0][1]["filters"]["order_id"] == order


@pytest.mark.parametrize("url", ["/suppliers", "/requisitions", "/purchase-orders", "/receipts", "/invoices"])
def test_an_export_needs_its_permission_and_a_fresh_sign_in(office: Purchasing, url: str) -> None:
    employee, employee_token = office.client(office.employee)
    buyer, buyer_token = office.client(office.buyer, fresh=False)

    refused = employee.post(url + "/export", data={"csrf_token": employee_token, "format": "csv"})
    stale = buyer.post(url + "/export", data={"csrf_token": buyer_token, "format": "csv"})

    assert refused.status_code == 403
    assert stale.status_code == (403 if url == "/suppliers" else 303)  # buyers hold no supplier.export
    assert stale.status_code == 403 or "/account/reauth" in stale.headers["Location"]
    assert office.rows("SELECT count(*) FROM jobs")[0][0] == 0
