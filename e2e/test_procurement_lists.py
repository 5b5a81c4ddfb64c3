"""The procurement lists' tools in a browser: a buyer picks two approved orders by keyboard (j/x) and sends them in
bulk after the counted confirmation, saves a view of the sent orders and exports it as CSV. No CSP violation.

The supplier and the orders are written straight to the tables (their pages are other modules')."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import text
from tests.integration.receiving_helpers import add_order, add_supplier

from domain.identity.models import Actor
from e2e.pages import Authenticator, LoginPage
from e2e.support import LiveServer

PASSWORD = "amber teapot harbour 琥珀"


def test_a_buyer_sends_two_orders_by_keyboard_saves_a_view_and_exports_it(page: Page,
                                                                         live_server: LiveServer) -> None:
    team = live_server.add_department("Purchasing 采购二部")
    secret = live_server.seed_user("li.buyer", "buyer", team, PASSWORD)
    buyer = Actor(_user_id(live_server, "li.buyer"), "li.buyer", "Li Buyer", frozenset({"buyer"}), team)
    supplier = add_supplier(live_server.engine, buyer, "杭州光电器件有限公司")
    for number, status in (("PO-E2E-0001", "approved"), ("PO-E2E-0002", "approved"), ("PO-E2E-0003", "draft")):
        add_order(live_server.engine, buyer, supplier, ("光模块", "10", "120", 13), status=status, number=number)
    LoginPage.open(page).sign_in("li.buyer", PASSWORD).submit(Authenticator(secret).fresh_code())

    send_both_by_keyboard(page)
    save_a_view_of_the_sent_orders(page)
    rows = export_csv(page)

    assert [(row[0], row[4]) for row in rows[1:]] == [("PO-E2E-0002", "Sent to the supplier"),
                                                      ("PO-E2E-0001", "Sent to the supplier")]
    assert "purchase_order.exported" in live_server.audit_actions()


def send_both_by_keyboard(page: Page) -> None:
    page.goto("/purchase-orders?status=approved")
    rows = page.locator("#order-rows tr")
    expect(rows).to_have_count(2)
    page.get_by_role("heading", name="Purchase orders").click()  # outside any field: single-key shortcuts work
    for key in ("j", "x", "j", "x"):
        page.keyboard.press(key)
    expect(page.locator("#bulk-count")).to_have_text("2 selected")
    expect(page.get_by_role("checkbox", name="Select PO-E2E-0001")).to_be_checked()
    page.get_by_role("button", name="Send to the suppliers").click()
    expect(page.locator("#bulk-question")).to_have_text("Send 2 orders to their suppliers?")
    page.get_by_role("button", name="Yes, change 2").click()
    expect(page.locator("#flash")).to_contain_text("2 orders sent.")
    expect(rows).to_have_count(1)  # the approved list is empty now: its "no orders match" row
    expect(rows.first).to_contain_text("No orders match these filters")


def save_a_view_of_the_sent_orders(page: Page) -> None:
    page.goto("/purchase-orders?status=sent")
    expect(page.locator("#order-rows tr")).to_have_count(2)
    page.get_by_text("Save or manage views").click()
    page.get_by_label("Save the current filters as").fill("Sent 已发送")
    page.get_by_role("button", name="Save view").click()
    expect(page).to_have_url(re.compile(r"/purchase-orders\?status=sent$"))
    expect(page.locator(".view-tabs [aria-current=page]")).to_have_text("Sent 已发送")


def export_csv(page: Page) -> list[list[str]]:
    page.get_by_role("button", name="Export CSV").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download purchase_orders-")).click()
    data = Path(download.value.path()).read_bytes()
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _user_id(live: LiveServer, username: str) -> int:
    with live.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM users WHERE username = :u"), {"u": username}).scalar_one())
