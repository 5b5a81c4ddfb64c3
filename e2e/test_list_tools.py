"""The generic list tools in a browser: rows picked with j/k/x, the counted bulk confirmation, exports with
their progress in place, and a saved view of the contract list, with no CSP violation on the way."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from e2e.pages import Authenticator, CustomersPage, LoginPage
from e2e.support import BrowserProblems, LiveServer

PASSWORD = "copper lantern meadow 草原"


def test_bulk_change_by_keyboard_exports_and_a_contract_view(browser: Browser, live_server: LiveServer) -> None:
    team = live_server.add_department("East Sales 华东销售部")
    secret = live_server.seed_user("lin.manager", "sales_manager", team, PASSWORD)
    for name in ("甲 Alpha 公司", "乙 Beta 公司", "丙 Gamma 公司"):
        live_server.add_customer(name, "lin.manager", team)
    context = browser.new_context(base_url=live_server.url, locale="en-US", accept_downloads=True)
    context.set_default_timeout(15_000)
    problems = BrowserProblems()
    problems.watch(context)
    page = context.new_page()
    LoginPage.open(page).sign_in("lin.manager", PASSWORD).submit(Authenticator(secret).fresh_code())

    change_two_stages_by_keyboard(page)
    rows = export_and_download(page, "Export CSV", "customers-")
    assert sorted(row[2] for row in rows[1:]) == ["Lead", "Prospect", "Prospect"]  # the stage column
    save_a_contract_view_and_export(page)

    problems.assert_none(context.pages)
    context.close()


def change_two_stages_by_keyboard(page: Page) -> None:
    customers = CustomersPage.open(page, "公司")
    expect(customers.rows).to_have_count(3)
    customers.press_shortcut("j")
    for key in ("x", "j", "x"):
        page.keyboard.press(key)
    expect(page.locator("#bulk-count")).to_have_text("2 selected")
    page.get_by_label("New stage").select_option("prospect")
    page.get_by_role("button", name="Change stage").click()
    expect(page.locator("#bulk-question")).to_have_text("Move 2 customers to the stage “Prospect”?")
    page.get_by_role("button", name="Yes, change 2").click()
    expect(page.locator("#flash")).to_contain_text("2 customers changed.")
    expect(customers.rows.filter(has_text="Prospect")).to_have_count(2)
    expect(page.locator("#bulk-question")).to_have_count(0)


def export_and_download(page: Page, button: str, prefix: str) -> list[list[str]]:
    page.get_by_role("button", name=button).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download " + prefix)).click()
    data = Path(download.value.path()).read_bytes()
    if download.value.suggested_filename.endswith(".csv"):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert data.startswith(b"PK")  # an .xlsx is a zip
    return []


def save_a_contract_view_and_export(page: Page) -> None:
    page.goto("/contracts?status=active")
    page.get_by_text("Save or manage views").click()
    page.get_by_label("Save the current filters as").fill("Active contracts")
    page.get_by_role("button", name="Save view").click()
    expect(page).to_have_url(re.compile(r"/contracts\?status=active$"))
    expect(page.locator(".view-tabs [aria-current=page]")).to_have_text("Active contracts")
    page.goto("/customers")
    expect(page.locator(".view-tabs")).not_to_contain_text("Active contracts")
    page.goto("/contracts?status=active")
    export_and_download(page, "Export Excel", "contracts-")
