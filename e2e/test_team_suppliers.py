"""Suppliers end to end: a procurement manager registers a supplier by keyboard, is warned live about a second
one with a similar name, adds a licence that expires soon, qualifies the supplier, reveals the bank account,
and finds the supplier by its account number; the sections other modules fill stay quiet meanwhile.

This file runs after test_journey.py (file order), which needs a database without an administrator.
"""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from e2e.pages import Authenticator, LoginPage
from e2e.support import BrowserProblems, LiveServer

PASSWORD = "amber violin harbour 海港"
ACCOUNT = "6222 0212 3456 7890 123"


@pytest.fixture
def manager_page(browser: Browser, live_server: LiveServer) -> Iterator[tuple[Page, list[str]]]:
    problems, console_errors = BrowserProblems(), []
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    problems.watch(context)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", console)
    yield page, console_errors
    problems.assert_none(context.pages)
    context.close()


def test_register_warn_document_qualify_reveal_and_search(manager_page: tuple[Page, list[str]],
                                                          live_server: LiveServer) -> None:
    page, console_errors = manager_page
    team = live_server.add_department("Procurement 采购部")
    authenticator = Authenticator(live_server.seed_user("pia.manager", "procurement_manager", team, PASSWORD))
    LoginPage.open(page).sign_in("pia.manager", PASSWORD).submit(authenticator.fresh_code())
    expect(page.locator(".topbar .who")).to_be_visible()

    register_by_keyboard(page)
    supplier_url = page.url
    expect(page.locator("#supplier-orders")).to_contain_text("No purchase orders with this supplier that you can see.")
    warned_about_a_similar_name(page)
    add_a_licence_that_expires_soon(page, supplier_url)
    qualify(page, supplier_url)
    reveal_the_account(page, supplier_url)
    find_by_account(page)

    assert not [e for e in console_errors if "404" not in e], console_errors  # the missing section says 404 only
    expect(page.locator("#flash")).not_to_contain_text("Request failed")


def register_by_keyboard(page: Page) -> None:
    page.get_by_role("link", name="Suppliers", exact=True).click()
    page.locator("h1").click()
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/suppliers/new$"))
    page.get_by_label("Name").fill("上海精密零件有限公司")
    page.get_by_label("Unified social credit code").fill("91310000MA1K000019")
    page.get_by_label("Category").select_option("components")
    page.get_by_label("Region").select_option("shanghai")
    page.get_by_label("Bank account").fill(ACCOUNT)
    page.get_by_label("Bank account").press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/suppliers/\d+$"))
    expect(page.locator("main")).to_contain_text("Pending qualification")
    expect(page.locator("#sensitive-bank_account")).to_contain_text("**** **** **** 0123")


def warned_about_a_similar_name(page: Page) -> None:
    page.goto("/suppliers/new")
    page.get_by_label("Name").press_sequentially("精密零件（上海）")
    warning = page.locator("#duplicate-warning")
    expect(warning).to_contain_text("上海精密零件有限公司")
    expect(warning).to_contain_text("similar name")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/suppliers$"))


def add_a_licence_that_expires_soon(page: Page, supplier_url: str) -> None:
    page.goto(supplier_url)
    form = page.locator("#document-form")
    form.get_by_label("Kind").select_option("business_licence")
    form.get_by_label("Title").fill("营业执照")
    form.get_by_label("Expires on").fill((date.today() + timedelta(days=20)).isoformat())
    form.get_by_label("File").set_input_files(files=[{"name": "营业执照.pdf", "mimeType": "application/pdf",
                                                      "buffer": b"%PDF-1.7\n%%EOF\n"}])
    form.get_by_role("button", name="Add document").click()
    documents = page.locator("#supplier-documents")
    expect(documents).to_contain_text("Document “营业执照” added.")
    expect(documents).to_contain_text("Expires in 20 days")
    page.goto("/suppliers?documents=expiring")
    expect(page.locator("#supplier-rows")).to_contain_text("Document expiring")


def qualify(page: Page, supplier_url: str) -> None:
    page.goto(supplier_url)
    page.get_by_role("link", name="Qualify…").click()
    page.get_by_label("Note (optional)").fill("现场审核通过 / audited on site")
    page.get_by_label("Note (optional)").press("Control+Enter")
    expect(page.locator("#status-reason")).to_contain_text("现场审核通过")
    expect(page.locator("h1 .badge")).to_have_text("Qualified")


def reveal_the_account(page: Page, supplier_url: str) -> None:
    page.goto(supplier_url)
    page.get_by_role("button", name="Reveal Bank account").click()
    expect(page.locator("#sensitive-bank_account")).to_contain_text(ACCOUNT)


def find_by_account(page: Page) -> None:
    page.goto("/suppliers")
    page.get_by_label(re.compile("Search suppliers")).fill("6222-0212-3456-7890-123")
    expect(page).to_have_url(re.compile(r"q=6222"))
    rows = page.locator("#supplier-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("上海精密零件有限公司")
