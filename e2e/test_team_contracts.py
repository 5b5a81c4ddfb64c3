"""Contracts end to end: a sales rep drafts a contract and submits it; the department manager approves it
from the approval inbox with the keyboard only; the rep amends it and reads the diff. Then a 1,000-row
Excel import with 10 bad rows: dry run, the error file, the import of the rest, and undo.

This file runs after test_journey.py (file order), which needs a database without an administrator.
"""

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from e2e.pages import Authenticator, LoginPage
from e2e.support import BrowserProblems, LiveServer

PASSWORD = "amber violin harbour 海港"
VALID_CODE = "91350100M000100Y43"


@pytest.fixture
def people(browser: Browser, live_server: LiveServer) -> Iterator[dict[str, Page]]:
    problems = BrowserProblems()
    contexts: list[BrowserContext] = []
    pages = {}
    for person in ("rep", "manager"):
        context = browser.new_context(base_url=live_server.url, locale="en-US", accept_downloads=True)
        context.set_default_timeout(15_000)
        problems.watch(context)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # htmx's hx-confirm asks through window.confirm
        pages[person] = page
    yield pages
    problems.assert_none([page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()


def sign_in(page: Page, username: str, authenticator: Authenticator) -> None:
    LoginPage.open(page).sign_in(username, PASSWORD).submit(authenticator.fresh_code())
    expect(page.locator(".topbar .who")).to_be_visible()


def test_draft_submit_approve_by_keyboard_amend_then_import_and_undo(
    people: dict[str, Page], live_server: LiveServer
) -> None:
    team = live_server.add_department("South Sales 华南销售部")
    manager = Authenticator(live_server.seed_user("sam.manager", "sales_manager", team, PASSWORD))
    rep = Authenticator(live_server.seed_user("rui.rep", "sales_rep", team, PASSWORD))
    with live_server.engine.begin() as connection:
        connection.execute(text("UPDATE departments SET manager_id = (SELECT id FROM users WHERE username = "
                                "'sam.manager') WHERE id = :d"), {"d": team})
        rule = connection.execute(text(
            "INSERT INTO approval_rules (name, document_type, department_id, min_amount, active, version) "
            "VALUES ('Sales contracts', 'contract', NULL, 0, true, 1) RETURNING id")).scalar()
        connection.execute(text("INSERT INTO approval_rule_steps (rule_id, position, mode, approver_kind) "
                                "VALUES (:r, 1, 'any', 'manager')"), {"r": rule})
    customer = live_server.add_customer("深圳南山贸易有限公司", "rui.rep", team)

    sign_in(people["rep"], "rui.rep", rep)
    contract_url = draft_and_submit(people["rep"], customer)
    sign_in(people["manager"], "sam.manager", manager)
    approve_from_inbox_by_keyboard(people["manager"])
    amend_and_read_the_diff(people["rep"], contract_url)

    import_with_errors_then_undo(people["manager"], live_server)


def draft_and_submit(page: Page, customer_id: int) -> str:
    page.goto(f"/contracts/new?customer_id={customer_id}")
    page.get_by_label("Title").fill("年度维保服务合同 Annual maintenance")
    page.get_by_label("Amount").fill("12,345.67")
    page.get_by_label("Starts on").fill("2026-12-01")
    page.get_by_label("Ends on").fill("2027-11-30")
    page.get_by_role("button", name=re.compile("Save draft")).click()
    expect(page).to_have_url(re.compile(r"/contracts/\d+$"))
    expect(page.locator("main")).to_contain_text("壹万贰仟叁佰肆拾伍元陆角柒分")
    number = re.search(r"HT-\d{4}-\d{5}", page.locator("main").inner_text())
    assert number, "the contract got a number from the pattern"
    url = page.url
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("main")).to_contain_text("Waiting for approval")
    return url


def approve_from_inbox_by_keyboard(page: Page) -> None:
    page.goto("/approvals")
    task = page.locator("[data-task]")
    expect(task).to_have_count(1)
    expect(task).to_contain_text("年度维保服务合同")
    page.locator("h1").click()  # focus outside any field, as a keyboard user would after Tab
    page.keyboard.press("j")
    expect(task).to_be_focused()
    page.keyboard.press("a")  # approve; the confirm dialog is accepted
    expect(page.locator("[data-task]")).to_have_count(0)


def amend_and_read_the_diff(page: Page, contract_url: str) -> None:
    page.goto(contract_url)
    expect(page.locator(".approval-trail")).to_contain_text("Sam Manager")  # the trail names the approver
    page.get_by_role("link", name=re.compile("Amend")).click()
    page.get_by_label("Amount").fill("15000")
    page.get_by_label("Reason for the amendment").fill("增加一台设备 / one more machine")
    page.get_by_role("button", name="Record amendment").click()
    expect(page).to_have_url(re.compile(r"/contracts/\d+/amendments/1$"))  # straight to the new version's diff
    diff = page.locator("table.diff")
    expect(diff).to_contain_text("12,345.67")
    expect(diff).to_contain_text("15,000.00")
    expect(diff).to_contain_text("壹万伍仟元整")


def import_with_errors_then_undo(page: Page, live: LiveServer) -> None:
    page.goto("/customers/import")
    page.get_by_label("File").set_input_files(files=[{"name": "客户导入.xlsx", "buffer": workbook(1000, bad=10),
                                                      "mimeType": "application/vnd.openxmlformats-officedocument."
                                                                  "spreadsheetml.sheet"}])
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name=re.compile("Check every row")).click()
    counts = page.locator("dl").filter(has_text="With errors").first
    expect(counts).to_contain_text("990")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file with an error column").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1001 and sum(1 for row in rows[1:] if row[-1]) == 10

    page.get_by_role("button", name=re.compile("Import 990 valid rows")).click()
    expect(page.locator("main")).to_contain_text("Undo this import")
    assert imported(live) == 990
    page.get_by_role("button", name="Undo this import").click()
    expect(page.locator("main")).to_contain_text("Undone")
    assert imported(live) == 0


def imported(live: LiveServer) -> int:
    with live.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM customers WHERE name LIKE '导入测试%'")).scalar_one())


def workbook(rows: int, bad: int) -> bytes:
    """Rows of 名称 / 统一社会信用代码 / 行业 / 地区 / 阶段 / 负责人; the last `bad` rows break a rule each."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "统一社会信用代码", "行业", "地区", "阶段", "负责人"])
    for n in range(rows - bad):
        sheet.append([f"导入测试 {n:04d} 有限公司", "", "retail", "beijing", "lead", "sam.manager"])
    faults = [["", "", "retail", "beijing", "lead", "sam.manager"],  # no name
              ["导入测试 bad 1", "91350100M000100Y44", "retail", "beijing", "lead", "sam.manager"],  # checksum
              ["导入测试 bad 2", "", "no-such-industry", "beijing", "lead", "sam.manager"],
              ["导入测试 bad 3", "", "retail", "mars", "lead", "sam.manager"],
              ["导入测试 bad 4", "", "retail", "beijing", "won", "sam.manager"],
              ["导入测试 bad 5", "", "retail", "beijing", "lead", "nobody.here"],
              ["导入测试 0000 有限公司", "", "retail", "beijing", "lead", "sam.manager"],  # duplicate name in file
              ["导入测试 bad 7", VALID_CODE, "retail", "beijing", "lead", "sam.manager"],
              ["导入测试 bad 8", VALID_CODE, "retail", "beijing", "lead", "sam.manager"],  # duplicate credit code
              ["导入测试 bad 9", "short", "retail", "beijing", "lead", "sam.manager"]]
    for row in faults[:bad]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
