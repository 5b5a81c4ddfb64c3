"""Purchase orders end to end: a buyer turns two approved requisition lines into one order by keyboard (j/x on
the start page, then the line grid: typing updates the server's totals, Ctrl+D duplicates a line, Delete removes
it), saves, submits (no rule: approved at once) and opens the printable order with p. No CSP violation anywhere.

The requisition, its budget and the supplier are written straight to the tables (their pages are other modules').
"""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import text
from tests.integration.order_helpers import add_budget, add_requisition, add_supplier

from domain.identity.models import Actor
from e2e.pages import Authenticator, LoginPage
from e2e.support import LiveServer

PASSWORD = "copper kettle lantern 铜壶"


def test_a_buyer_orders_two_requisition_lines_by_keyboard(page: Page, live_server: LiveServer) -> None:
    it = live_server.add_department("IT 信息部")
    buyer = Authenticator(live_server.seed_user("bo.buyer", "buyer", it, PASSWORD))
    live_server.seed_user("emma.employee", "employee", it, PASSWORD)
    requester = Actor(_user_id(live_server, "emma.employee"), "emma.employee", "Emma", frozenset({"employee"}), it)
    add_supplier(live_server.engine, "华东网络设备有限公司", by=requester.user_id)
    budget = add_budget(live_server.engine, it, "20000.00", requester.user_id)
    add_requisition(live_server.engine, requester, budget, [("六类网线", "305", "米", "3.39"),
                                                             ("24 口交换机", "4", "台", "1130.00")])
    page.on("dialog", lambda dialog: dialog.accept())
    LoginPage.open(page).sign_in("bo.buyer", PASSWORD).submit(buyer.fresh_code())

    page.goto("/purchase-orders/new")
    page.get_by_label("Find a supplier").fill("华东")
    page.get_by_label("华东网络设备有限公司").check()
    boxes = page.locator("input[data-row-select]")
    boxes.first.focus()
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(boxes.nth(1)).to_be_checked()
    expect(page.locator("[data-selected-count]")).to_have_text("2 selected")
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/purchase-orders/\d+/edit$"))
    grid = page.locator("[data-line-grid] tbody tr[data-line]")
    expect(grid).to_have_count(2)
    price = page.get_by_label("Unit price before VAT of line 2")
    price.fill("980")  # 4 × 980 = 3,920.00 + 509.60 VAT
    totals = page.locator("#order-totals")
    expect(totals).to_contain_text("4,429.60")
    price.press("Control+d")
    expect(grid).to_have_count(3)
    assert grid.nth(2).locator("input[name=requisition_line_id]").input_value() == ""  # the copy is a direct line
    expect(grid.nth(2).locator("p.hint")).to_have_count(0)  # nor does it say it came from the requisition
    expect(grid.nth(2).locator("input[name=unit]")).to_be_editable()
    expect(totals).to_contain_text("9,893.15")  # 1,033.95 + 2 × 4,429.60
    quantity = page.get_by_label("Quantity of line 3")
    quantity.fill("")
    quantity.press("Delete")
    expect(grid).to_have_count(2)
    expect(totals).to_contain_text("5,463.55")
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/purchase-orders/\d+$"))
    main = page.locator("main")
    expect(main).to_contain_text("5,463.55")  # the cable: 305 × 3.00 + 13 % = 1,033.95; plus the switches
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#flash")).to_contain_text("Approved at once")
    page.locator("h1").click()
    page.keyboard.press("p")
    expect(page).to_have_url(re.compile(r"/print$"))
    expect(page.locator("article")).to_contain_text("伍仟肆佰陆拾叁元伍角伍分")


def _user_id(live: LiveServer, username: str) -> int:
    with live.engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM users WHERE username = :u"), {"u": username}).scalar_one())
