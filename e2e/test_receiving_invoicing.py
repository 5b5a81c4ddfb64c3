"""Receiving and invoicing end to end, by keyboard: a buyer records a partial receipt of a sent order; a finance
clerk records an invoice whose price is above the tolerance (the live preview says so as they type), so it lands in
the exception queue; a finance controller accepts it there with a reason, and the cursor moves on."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from e2e.pages import Authenticator, LoginPage
from e2e.support import BrowserProblems, LiveServer

PASSWORD = "copper lantern meadow 草原"


@pytest.fixture
def people(browser: Browser, live_server: LiveServer) -> Iterator[dict[str, Page]]:
    problems = BrowserProblems()
    contexts: list[BrowserContext] = []
    pages = {}
    for person in ("buyer", "clerk", "controller"):
        context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        problems.watch(context)
        contexts.append(context)
        pages[person] = context.new_page()
    yield pages
    problems.assert_none([page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()


def test_partial_receipt_invoice_above_tolerance_resolved_by_finance(
    people: dict[str, Page], live_server: LiveServer
) -> None:
    buying = live_server.add_department("Purchasing 采购部")
    keys = {name: Authenticator(live_server.seed_user(name, role, buying, PASSWORD))
            for name, role in (("bai.buyer", "buyer"), ("cai.clerk", "finance"), ("chen.controller", "finance"))}
    order_id = _sent_order(live_server, "bai.buyer")

    _sign_in(people["buyer"], "bai.buyer", keys["bai.buyer"])
    _receive_part_by_keyboard(people["buyer"], order_id)
    _sign_in(people["clerk"], "cai.clerk", keys["cai.clerk"])
    _invoice_above_tolerance(people["clerk"], order_id)
    _sign_in(people["controller"], "chen.controller", keys["chen.controller"])
    _accept_from_the_queue_by_keyboard(people["controller"])


def _receive_part_by_keyboard(page: Page, order_id: int) -> None:
    page.goto(f"/purchase-orders/{order_id}/receipts/new")
    expect(page.get_by_label("Received, 1 六角螺栓 M8")).to_be_focused()  # the cursor starts in the first line
    page.keyboard.type("6")
    page.keyboard.press("Tab")  # accepted: left empty, everything not rejected
    page.keyboard.press("Tab")
    page.keyboard.type("1")  # rejected
    page.keyboard.press("Tab")
    page.keyboard.type("螺纹损坏")
    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/receipts/\d+$"))
    expect(page.locator("main")).to_contain_text("螺纹损坏")
    expect(page.locator("h1")).to_contain_text(re.compile(r"GR-\d{4}-\d{5}"))


def _invoice_above_tolerance(page: Page, order_id: int) -> None:
    page.goto(f"/invoices/new?order={order_id}")
    expect(page.get_by_label("Supplier's invoice number")).to_be_focused()
    page.keyboard.type("04400012")
    page.get_by_label("Quantity, 1 六角螺栓 M8").fill("5")
    page.get_by_label("Unit price before VAT, 1 六角螺栓 M8").fill("10.80")
    preview = page.locator("#invoice-preview")
    expect(preview).to_contain_text("price 10.80 is 8.0 % above the order's 10.00; tolerance 2 %")
    expect(preview).to_contain_text("61.02")
    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/invoices/\d+$"))
    expect(page.locator("h1")).to_contain_text("Exception")


def _accept_from_the_queue_by_keyboard(page: Page) -> None:
    page.goto("/invoices/exceptions")
    expect(page.locator("#nav-exceptions")).to_have_text("Exceptions (1)")
    item = page.locator("[data-task]")
    expect(item).to_contain_text("price 10.80 is 8.0 % above")
    page.locator("h1").click()
    page.keyboard.press("j")
    expect(item).to_be_focused()
    page.keyboard.press("a")
    expect(page.get_by_label("Reason for accepting (required)")).to_be_focused()
    page.keyboard.press("Control+Enter")  # no reason yet: refused, the cursor back in the field
    expect(page.locator("main")).to_contain_text("Give the reason")
    expect(page.get_by_label("Reason for accepting (required)")).to_be_focused()
    page.keyboard.type("含运费，已电话确认 / freight included")
    page.keyboard.press("Control+Enter")
    resolved = page.locator("[data-resolved]")
    expect(resolved).to_contain_text("ready to pay")
    expect(resolved).to_be_focused()
    expect(page.locator("#nav-exceptions")).to_have_text("Exceptions")


def _sent_order(live: LiveServer, buyer: str) -> int:
    with live.engine.begin() as connection:
        buyer_row = connection.execute(text("SELECT id, department_id FROM users WHERE username = :u"),
                                       {"u": buyer}).one()
        supplier = connection.execute(text(
            "INSERT INTO suppliers (name, name_key, category, status, region, address, payment_terms, notes, "
            "bank_name, created_by, created_at, updated_at, version) VALUES ('苏州精工五金', '苏州精工五金', 'goods', "
            "'qualified', 'jiangsu', '', '', '', '', :b, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
            {"b": buyer_row.id}).scalar_one()
        order = connection.execute(text(
            "INSERT INTO purchase_orders (number, supplier_id, title, buyer_id, department_id, currency, net_total, "
            "tax_total, gross_total, status, delivery_address, payment_terms, notes, created_by, created_at, "
            "updated_at, version) VALUES ('PO-2026-00042', :s, '', :b, :d, 'CNY', 100, 13, 113, 'sent', '', '', '', "
            ":b, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
            {"s": supplier, "b": buyer_row.id, "d": buyer_row.department_id}).scalar_one()
        connection.execute(text(
            "INSERT INTO purchase_order_lines (order_id, position, item, specification, quantity, unit, unit_price, "
            "tax_rate, net_amount, tax_amount, gross_amount, received_quantity, accepted_quantity, invoiced_quantity) "
            "VALUES (:o, 1, '六角螺栓 M8', '', 10, 'pcs', 10, 13, 100, 13, 113, 0, 0, 0)"), {"o": order})
    return int(order)


def _sign_in(page: Page, username: str, authenticator: Authenticator) -> None:
    LoginPage.open(page).sign_in(username, PASSWORD).submit(authenticator.fresh_code())
    expect(page.locator(".topbar .who")).to_be_visible()
