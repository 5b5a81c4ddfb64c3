"""The back-office journey of one administrator, from the first-admin setup link to recovery codes.

One test, because the steps share an account whose TOTP codes each work once (one 30 s step at most
once): the steps run in order and each starts from where the previous one left the browser.
"""

import re

from playwright.sync_api import BrowserContext, Page, expect

from e2e.pages import (
    Account,
    Authenticator,
    CustomerDetailPage,
    CustomerForm,
    CustomersPage,
    LoginPage,
    MfaPage,
    SetupPage,
    TopBar,
    customer_id_from,
    document_is_marked,
    mark_document,
)
from e2e.support import LiveServer

CUSTOMER = "上海华宏科技有限公司"
VALID_CREDIT_CODE = "91350100M000100Y43"
WRONG_CREDIT_CODE = "91350100M000100Y44"  # right length, wrong check character
OTHER_CUSTOMER = "Acme Trading Ltd"


def test_administrator_journey(page: Page, context: BrowserContext, live_server: LiveServer) -> None:
    admin = Account("wang.fang", "王芳 Wang Fang", "correct horse battery 马")

    set_up_first_administrator(page, live_server.setup_token, admin)
    sign_out_and_in_with_totp(page, admin)
    replayed_totp_code_is_refused(page, admin, live_server)
    customer_id = create_customer_by_keyboard(page)
    find_customer_by_active_search(page)
    add_follow_ups_without_reload(page, customer_id)
    concurrent_edit_shows_conflict(page, context, customer_id)
    back_after_sign_out_shows_no_customer_data(page, customer_id)
    recovery_code_signs_in_once(page, admin)


def set_up_first_administrator(page: Page, token: str, admin: Account) -> None:
    enrol = SetupPage.open(page, token).create(admin)

    expect(enrol.qr_svg).to_be_visible()  # inline <svg>, not an <img> or a third-party QR service
    assert page.locator("#qr img").count() == 0
    secret = enrol.secret.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    admin.authenticator = Authenticator(secret)

    recovery = enrol.confirm(admin.authenticator.fresh_code())
    expect(recovery.codes).to_have_count(10)
    admin.recovery_codes = tuple(code.strip() for code in recovery.codes.all_inner_texts())
    assert len(set(admin.recovery_codes)) == 10

    customers = recovery.continue_()
    expect(customers.heading).to_be_visible()
    expect(TopBar(page).who).to_have_text(admin.display_name)


def sign_out_and_in_with_totp(page: Page, admin: Account) -> None:
    assert admin.authenticator
    mfa = TopBar(page).sign_out().sign_in(admin.username, admin.password)
    expect(mfa.heading).to_be_visible()

    # Valid long enough to be replayed in the next step, while the server still accepts its time step.
    mfa.verify(admin.authenticator.fresh_code(valid_for=20))

    expect(TopBar(page).who).to_have_text(admin.display_name)


def replayed_totp_code_is_refused(page: Page, admin: Account, live_server: LiveServer) -> None:
    assert admin.authenticator
    mfa = TopBar(page).sign_out().sign_in(admin.username, admin.password)

    assert admin.authenticator.seconds_left_for_last_code() > 2, "the replayed code must still be in its window"
    replays_before = live_server.audit_actions().count("mfa.replay_refused")
    response = mfa.submit(admin.authenticator.last_code)

    assert response is not None and response.status == 401
    expect(page).to_have_url(re.compile(r"/login/mfa$"))
    expect(mfa.error).to_contain_text("That code is not valid")
    assert live_server.audit_actions().count("mfa.replay_refused") == replays_before + 1  # refused as a replay

    MfaPage(page).verify(admin.authenticator.fresh_code())
    expect(TopBar(page).who).to_have_text(admin.display_name)


def create_customer_by_keyboard(page: Page) -> int:
    customers = CustomersPage.open(page)
    customers.press_shortcut("n")
    expect(page).to_have_url(re.compile(r"/customers/new$"))
    form = CustomerForm(page)
    expect(form.name).to_be_focused()  # autofocus

    keyboard = page.keyboard
    keyboard.insert_text(CUSTOMER)  # what an IME commits
    keyboard.press("Tab")
    expect(form.credit_code).to_be_focused()
    keyboard.type(WRONG_CREDIT_CODE)
    keyboard.press("Tab")
    expect(form.phone).to_be_focused()  # beside name and credit code: all three feed the duplicate check
    keyboard.press("Tab")
    expect(form.industry).to_be_focused()
    keyboard.type("Techn")  # type-ahead in a closed <select>
    keyboard.press("Tab")
    expect(form.region).to_be_focused()
    keyboard.type("Shangh")
    expect(form.industry).to_have_value("technology")
    expect(form.region).to_have_value("shanghai")

    mark_document(page)
    with page.expect_response(lambda r: r.request.method == "POST") as wrong:
        keyboard.press("Control+Enter")
    assert wrong.value.status == 422
    expect(form.credit_code_error).to_be_visible()
    expect(form.credit_code_error).to_contain_text("GB 32100-2015")
    expect(form.credit_code).to_have_attribute("aria-invalid", "true")
    expect(form.name).to_have_value(CUSTOMER)  # typed values are kept
    expect(form.credit_code).to_have_value(WRONG_CREDIT_CODE)
    expect(form.industry).to_have_value("technology")
    expect(form.region).to_have_value("shanghai")
    assert document_is_marked(page), "the 422 must be swapped in by htmx, not a page load"

    if not form.credit_code.evaluate("field => field === document.activeElement"):
        expect(form.name).to_be_focused()  # the swapped-in form autofocuses the name again
        keyboard.press("Tab")
    expect(form.credit_code).to_be_focused()
    keyboard.press("Control+A")
    keyboard.type(VALID_CREDIT_CODE)
    keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/customers/\d+$"))
    detail = CustomerDetailPage(page)
    expect(detail.heading(CUSTOMER)).to_be_visible()
    expect(detail.fact("Unified social credit code")).to_have_text(VALID_CREDIT_CODE)
    expect(detail.fact("Industry")).to_have_text("Technology")
    expect(detail.fact("Region")).to_have_text("Shanghai")
    expect(page.locator("#flash")).to_contain_text("created")
    return customer_id_from(page.url)


def find_customer_by_active_search(page: Page) -> None:
    add_customer_by_mouse(page, OTHER_CUSTOMER, industry="retail", region="guangdong")
    customers = CustomersPage.open(page)
    expect(customers.rows).to_have_count(2)

    mark_document(page)
    customers.press_shortcut("/")
    expect(customers.search_box).to_be_focused()
    page.keyboard.insert_text("华宏")

    expect(page).to_have_url(re.compile(r"[?&]q=%E5%8D%8E%E5%AE%8F"))
    expect(customers.rows).to_have_count(1)
    expect(customers.rows.first).to_contain_text(CUSTOMER)
    assert document_is_marked(page), "active search must swap results, not reload the page"


def add_customer_by_mouse(page: Page, name: str, *, industry: str, region: str) -> None:
    CustomersPage.open(page)
    page.get_by_role("link", name=re.compile("New customer")).click()
    form = CustomerForm(page)
    form.name.fill(name)
    form.industry.select_option(industry)
    form.region.select_option(region)
    form.save_button.click()
    expect(CustomerDetailPage(page).heading(name)).to_be_visible()


def add_follow_ups_without_reload(page: Page, customer_id: int) -> None:
    detail = CustomerDetailPage.open(page, customer_id)
    expect(detail.follow_ups).to_have_count(0)  # the timeline holds only the record's own changes so far
    mark_document(page)

    detail.add_follow_up("call", "首次电话：对 ERP 集成感兴趣", "2030-01-15")
    expect(detail.follow_ups).to_have_count(1)
    detail.add_follow_up("visit", "Visited the Pudong office; demo next week", "2030-02-01")

    expect(detail.follow_ups).to_have_count(2)
    newest = detail.follow_ups.first
    expect(newest).to_contain_text("Visited the Pudong office")
    expect(newest).to_contain_text("Visit")
    expect(newest.locator(".next time")).to_have_attribute("datetime", "2030-02-01")
    expect(detail.follow_ups.nth(1)).to_contain_text("首次电话")
    expect(detail.follow_up_form.get_by_label("What happened")).to_have_value("")  # form reset for the next one
    assert document_is_marked(page), "follow-ups must be added without a page reload"


def concurrent_edit_shows_conflict(page: Page, context: BrowserContext, customer_id: int) -> None:
    first = CustomerForm.open_edit(page, customer_id)
    other_tab = context.new_page()
    second = CustomerForm.open_edit(other_tab, customer_id)

    first.phone.fill("021-5555 0101")
    first.save_and_expect(204)
    expect(page).to_have_url(re.compile(rf"/customers/{customer_id}$"))
    expect(CustomerDetailPage(page).fact("Phone")).to_contain_text("021****0101")  # masked until revealed

    second.phone.fill("0591-8888 0202")
    second.save_and_expect(409)
    expect(second.conflict).to_contain_text("Someone else saved this customer")
    expect(second.conflict).to_contain_text("021****0101")  # what the other person saved, masked
    expect(second.phone).to_have_value("0591-8888 0202")  # the user's own input is kept
    expect(other_tab).to_have_url(re.compile(rf"/customers/{customer_id}/edit$"))
    other_tab.close()

    detail = CustomerDetailPage.open(page, customer_id)
    expect(detail.fact("Phone")).to_contain_text("021****0101")  # the first save was not overwritten


def back_after_sign_out_shows_no_customer_data(page: Page, customer_id: int) -> None:
    response = page.goto(f"/customers/{customer_id}")
    assert response is not None and response.headers.get("cache-control") == "no-store"
    assert page.evaluate("() => htmx.config.historyCacheSize") == 0
    expect(CustomerDetailPage(page).heading(CUSTOMER)).to_be_visible()

    TopBar(page).sign_out()
    page.go_back()  # to the customer page: no-store, so Chromium fetches it again and is sent to sign in

    expect(page).to_have_url(re.compile(rf"/login\?next=/customers/{customer_id}$"))
    expect(LoginPage(page).heading).to_be_visible()
    expect(page.get_by_text(CUSTOMER)).to_have_count(0)
    assert page.evaluate("() => localStorage.getItem('htmx-history-cache')") is None


def recovery_code_signs_in_once(page: Page, admin: Account) -> None:
    recovery_code = admin.recovery_codes[3]
    LoginPage.open(page).sign_in(admin.username, admin.password).verify(recovery_code)
    expect(TopBar(page).who).to_have_text(admin.display_name)

    mfa = TopBar(page).sign_out().sign_in(admin.username, admin.password)
    response = mfa.submit(recovery_code)

    assert response is not None and response.status == 401
    expect(page).to_have_url(re.compile(r"/login/mfa$"))
    expect(mfa.error).to_contain_text("That code is not valid")
