"""Requisition lines by keyboard, end to end: Tab along a row, Enter adds a row, Ctrl+D duplicates one, Delete in
an empty field removes it, nothing fires while an input method composes; the server's totals follow the typing,
a bad cell is marked in place without losing it, and the budget line's remainder warns before the submit.

This file runs after test_journey.py (file order), which needs a database without an administrator.
"""

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import text

from e2e.pages import Authenticator, LoginPage
from e2e.support import LiveServer

PASSWORD = "amber violin harbour 海港"


def test_an_employee_types_the_lines_by_keyboard_and_sees_the_budget_live(page: Page, live_server: LiveServer) -> None:
    team = live_server.add_department("IT 信息部")
    employee = Authenticator(live_server.seed_user("lin.employee", "employee", team, PASSWORD))
    year = date.today().year
    with live_server.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO budgets (department_id, code, name, period_start, period_end, amount, committed, policy, "
            "active, created_by, created_at, updated_at, version) VALUES (:d, 'IT-26', 'IT equipment', :s, :e, "
            "5000, 0, 'stop', true, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"),
            {"d": team, "s": f"{year}-01-01", "e": f"{year}-12-31"})
    LoginPage.open(page).sign_in("lin.employee", PASSWORD).submit(employee.fresh_code())
    page.goto("/requisitions/new")

    page.get_by_label("Title").fill("Monitors 显示器")
    page.get_by_label("Purpose").fill("New desks")
    page.locator("#f-needed_by").fill((date.today() + timedelta(days=20)).isoformat())
    page.get_by_label("Budget line").select_option(index=1)
    rows = page.locator("tr[data-line]:visible")
    totals = page.locator("#requisition-totals")

    page.get_by_label("Line 1 item").click()
    page.keyboard.type("Dell U2723QE")
    for value in ("27 inch", "2", "台", "2,100"):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    expect(rows.nth(0).locator("[data-line-amount]")).to_have_text("4,200.00")
    expect(totals).to_contain_text("4,200.00")
    expect(totals).to_contain_text("800.00 after this requisition")

    page.keyboard.press("Control+d")  # a second monitor line, focus stays in the same column
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Line 2 estimated unit price")).to_be_focused()
    expect(totals).to_contain_text("beyond a stop budget")
    expect(totals).to_contain_text("8,400.00")

    page.get_by_label("Line 2 quantity").fill("two")
    expect(page.get_by_label("Line 2 quantity")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#lines-2-quantity-error")).to_contain_text("Enter a quantity")
    expect(page.get_by_label("Line 2 quantity")).to_have_value("two")  # nothing typed is replaced
    page.get_by_label("Line 2 quantity").fill("1")
    expect(page.get_by_label("Line 2 quantity")).not_to_have_attribute("aria-invalid", "true")

    page.keyboard.press("Enter")  # a new empty line below, cursor in its first field
    expect(rows).to_have_count(3)
    expect(page.get_by_label("Line 3 item")).to_be_focused()
    composing = page.evaluate("""() => {
        const field = document.activeElement;
        field.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", isComposing: true, bubbles: true}));
        return document.querySelectorAll("tbody tr[data-line]").length;
    }""")
    assert composing == 3, "Enter that confirms an input method's candidate must not add a line"
    page.keyboard.press("Delete")  # in the empty field: the empty line goes
    expect(rows).to_have_count(2)
    expect(totals).to_contain_text("6,300.00")

    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/requisitions/\d+$"))
    main = page.locator("main")
    expect(main).to_contain_text("6,300.00")
    expect(main).to_contain_text("Beyond the stop budget by 1,300.00")
