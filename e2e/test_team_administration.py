"""Administration end to end: an administrator creates a department and a sales rep; the rep activates the
account with the one-time link, enrols TOTP and sees only their own customers; the department's manager
sees the department's; the auditor reads the audit trail of it all. One browser context per person.

This file runs after test_journey.py (file order): that test needs the one-time setup link of a database
without an administrator, and this one seeds administrators directly.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from e2e.pages import Authenticator, CustomersPage, EnrolPage, LoginPage
from e2e.support import BrowserProblems, LiveServer

EAST = "华东销售部 East Sales"
PASSWORD = "violet tractor ocean 远山"


@pytest.fixture
def people(browser: Browser, live_server: LiveServer) -> Iterator[dict[str, Page]]:
    """A separate browser (cookies and all) for each person, each watched for CSP violations."""
    problems = BrowserProblems()
    contexts: list[BrowserContext] = []
    pages = {}
    for person in ("admin", "rep", "manager", "auditor"):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(10_000)
        problems.watch(context)
        contexts.append(context)
        pages[person] = context.new_page()
    yield pages
    problems.assert_none([page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()


def test_rep_created_by_admin_sees_own_manager_department_auditor_everything(
    people: dict[str, Page], live_server: LiveServer
) -> None:
    admin_secret = live_server.seed_user("root.admin", "administrator", None, PASSWORD)
    auditor_secret = live_server.seed_user("ann.auditor", "auditor", None, PASSWORD)
    admin, auditor = Authenticator(admin_secret), Authenticator(auditor_secret)

    sign_in(people["admin"], "root.admin", admin)
    create_department(people["admin"], EAST)
    east = live_server.department_id(EAST)
    west = live_server.add_department("West Sales")
    manager = Authenticator(live_server.seed_user("mei.manager", "sales_manager", east, PASSWORD))
    live_server.seed_user("carl.colleague", "sales_rep", east, PASSWORD)
    live_server.seed_user("wes.west", "sales_rep", west, PASSWORD)
    add_customer(live_server, "Colleague Trading 同事贸易", "carl.colleague", east)
    add_customer(live_server, "Western Goods 西部商品", "wes.west", west)

    link = create_rep(people["admin"], "rita.rep", "Rita Rep 李丽", EAST)
    activate_and_enrol(people["rep"], link)
    rep_creates_customer(people["rep"], "Rita's Own Co 丽丽科技")
    expect_customers(people["rep"], ["Rita's Own Co 丽丽科技"])

    sign_in(people["manager"], "mei.manager", manager)
    expect_customers(people["manager"], ["Rita's Own Co 丽丽科技", "Colleague Trading 同事贸易"])

    sign_in(people["auditor"], "ann.auditor", auditor)
    auditor_reads_the_trail(people["auditor"])


def sign_in(page: Page, username: str, authenticator: Authenticator) -> None:
    LoginPage.open(page).sign_in(username, PASSWORD).submit(authenticator.fresh_code())
    expect(page.locator(".topbar .who")).to_be_visible()


def create_department(page: Page, name: str) -> None:
    page.goto("/admin/departments")
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create department").click()
    expect(page.locator(".tree")).to_contain_text(name)


def create_rep(page: Page, username: str, display_name: str, department: str) -> str:
    page.goto("/admin/users/new")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Department").select_option(label=department)
    page.get_by_label("Sales rep").check()
    page.get_by_role("button", name=re.compile("Create user")).click()
    link = page.get_by_label("One-time link")
    expect(link).to_be_visible()
    url = link.input_value()
    assert re.search(r"/activate/[\w-]{40,}$", url), url
    return url


def activate_and_enrol(page: Page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Activate your account")).to_be_visible()
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and continue").click()
    expect(page).to_have_url(re.compile(r"/login/enroll$"))
    enrol = EnrolPage(page)
    enrol.confirm(Authenticator(enrol.secret.inner_text().strip()).fresh_code()).continue_()


def rep_creates_customer(page: Page, name: str) -> None:
    page.goto("/customers/new")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Industry").select_option("technology")
    page.get_by_label("Region").select_option("shanghai")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    page.get_by_text("Why can I see this?").click()  # the reasons load when the panel opens
    expect(page.locator("#why-reasons")).to_contain_text("You own this record")


def expect_customers(page: Page, names: list[str]) -> None:
    customers = CustomersPage.open(page)
    expect(customers.rows).to_have_count(len(names))
    for name in names:
        expect(customers.rows.filter(has_text=name)).to_have_count(1)


def auditor_reads_the_trail(page: Page) -> None:
    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    rows = page.locator("table tbody tr")
    for action in ("department.created", "user.created", "user.activated", "mfa.enrolled", "customer.created"):
        expect(rows.filter(has_text=action).first).to_be_visible()
    page.get_by_label("Actor").select_option(label="Rita Rep 李丽")
    page.get_by_role("button", name="Apply").click()
    expect(rows.filter(has_text="customer.created")).to_have_count(1)
    expect(rows.filter(has_text="department.created")).to_have_count(0)


def add_customer(live: LiveServer, name: str, owner_username: str, department_id: int) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with live.engine.begin() as connection:
        owner = connection.execute(text("SELECT id FROM users WHERE username = :u"), {"u": owner_username}).scalar()
        connection.execute(text(
            "INSERT INTO customers (name, industry, region, stage, owner_id, department_id, created_at, updated_at, "
            "created_by, version) VALUES (:n, 'retail', 'beijing', 'lead', :o, :d, :t, :t, :o, 1)"),
            {"n": name, "o": owner, "d": department_id, "t": now})
