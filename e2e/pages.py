"""Page objects for the end-to-end journey, and the authenticator app the user carries."""

import re
import time
from dataclasses import dataclass
from typing import Self

import pyotp
from playwright.sync_api import Locator, Page, Response, expect

TOTP_STEP = 30


@dataclass
class Authenticator:
    """The user's authenticator app. The server accepts the current 30 s step and one either side, and each
    step once per user, so codes are computed for the earliest unused step that stays valid long enough."""

    secret: str
    last_step: int = -1
    last_code: str = ""

    def fresh_code(self, valid_for: float = 5.0) -> str:
        """A code for an unused step that the server accepts for at least `valid_for` more seconds."""
        totp = pyotp.TOTP(self.secret)
        while True:
            now = time.time()
            current = int(now // TOTP_STEP)
            for step in range(max(current - 1, self.last_step + 1), current + 2):
                # The server accepts `step` while its own current step is at most step + 1.
                if (step + 2) * TOTP_STEP - now >= valid_for:
                    self.last_step, self.last_code = step, totp.at(step * TOTP_STEP)
                    return self.last_code
            # Every step the server would accept now is used up: wait for the next step to begin.
            time.sleep((current + 1) * TOTP_STEP - now + 0.05)

    def seconds_left_for_last_code(self) -> float:
        return (self.last_step + 2) * TOTP_STEP - time.time()


@dataclass
class Account:
    username: str
    display_name: str
    password: str
    authenticator: Authenticator | None = None
    recovery_codes: tuple[str, ...] = ()


class TopBar:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.who = page.locator(".topbar .who")
        self.sign_out_button = page.get_by_role("button", name="Sign out")

    def sign_out(self) -> "LoginPage":
        with self.page.expect_navigation():
            self.sign_out_button.click()
        expect(self.page).to_have_url(re.compile(r"/login$"))
        return LoginPage(self.page)


class SetupPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(cls, page: Page, token: str) -> Self:
        page.goto(f"/setup/{token}")
        expect(page.get_by_role("heading", name="Create the first administrator")).to_be_visible()
        return cls(page)

    def create(self, account: Account) -> "EnrolPage":
        self.page.get_by_label("Username").fill(account.username)
        self.page.get_by_label("Display name").fill(account.display_name)
        self.page.get_by_label(re.compile(r"^Password\W*$")).fill(account.password)
        self.page.get_by_label("Password again").fill(account.password)
        self.page.get_by_role("button", name="Create administrator").click()
        expect(self.page).to_have_url(re.compile(r"/login/enroll$"))
        return EnrolPage(self.page)


class EnrolPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.secret = page.locator("#totp-secret")
        self.qr_svg = page.locator("#qr > svg")
        self.code = page.get_by_label("Code from the app")

    def confirm(self, code: str) -> "RecoveryCodesPage":
        self.code.fill(code)
        self.page.get_by_role("button", name="Confirm").click()
        expect(self.page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
        return RecoveryCodesPage(self.page)


class RecoveryCodesPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.codes = page.locator("#recovery-codes li")

    def continue_(self) -> "CustomersPage":
        self.page.get_by_role("link", name=re.compile("I have saved them")).click()
        expect(self.page).to_have_url(re.compile(r"/customers$"))
        return CustomersPage(self.page)


class LoginPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Sign in")

    @classmethod
    def open(cls, page: Page) -> Self:
        page.goto("/login")
        return cls(page)

    def sign_in(self, username: str, password: str) -> "MfaPage":
        expect(self.heading).to_be_visible()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Continue").click()
        expect(self.page).to_have_url(re.compile(r"/login/mfa$"))
        return MfaPage(self.page)


class MfaPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Two-step verification")
        self.code = page.get_by_label("Code", exact=True)
        self.error = page.locator(".form-error[role=alert]")

    def submit(self, code: str) -> Response | None:
        self.code.fill(code)
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role("button", name="Verify").click()
        return navigation.value

    def verify(self, code: str) -> "CustomersPage":
        self.submit(code)
        expect(self.page).to_have_url(re.compile(r"/customers$"))
        return CustomersPage(self.page)


class CustomersPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.get_by_role("heading", name="Customers", exact=True)
        self.search_box = page.get_by_role("searchbox", name="Search customers")
        self.rows = page.locator("#customer-rows tr")

    @classmethod
    def open(cls, page: Page, query: str = "") -> Self:
        page.goto("/customers" + (f"?q={query}" if query else ""))
        customers = cls(page)
        expect(customers.heading).to_be_visible()
        return customers

    def press_shortcut(self, key: str) -> None:
        self.heading.click()  # focus outside any field: single-key shortcuts are ignored while typing
        self.page.keyboard.press(key)


class CustomerForm:
    """The new/edit customer form (swapped in place by htmx on 422 and 409)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.form = page.locator("#customer-form")
        self.name = page.get_by_label("Name")
        self.credit_code = page.get_by_label("Unified social credit code")
        self.industry = page.get_by_label("Industry")
        self.region = page.get_by_label("Region")
        self.phone = page.get_by_label("Phone", exact=True)
        self.credit_code_error = page.locator("#credit_code-error")
        self.form_error = self.form.locator(".form-error[role=alert]")
        self.conflict = self.form.locator(".conflict[role=alert]")
        self.save_button = self.form.get_by_role("button", name="Save")

    @classmethod
    def open_edit(cls, page: Page, customer_id: int) -> Self:
        page.goto(f"/customers/{customer_id}/edit")
        expect(page.get_by_role("heading", name=re.compile("^Edit customer"))).to_be_visible()
        return cls(page)

    def save_and_expect(self, status: int) -> None:
        with self.page.expect_response(lambda r: r.request.method == "POST" and "/customers" in r.url) as info:
            self.save_button.click()
        assert info.value.status == status, f"expected {status}, got {info.value.status}"


class CustomerDetailPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.facts = page.locator("dl.facts")
        self.timeline = page.locator("#followup-list")
        self.follow_ups = page.locator("#followup-list li.followup")
        self.no_follow_ups = page.locator("#no-followups")
        self.follow_up_form = page.locator("#followup-form")

    @classmethod
    def open(cls, page: Page, customer_id: int) -> Self:
        page.goto(f"/customers/{customer_id}")
        return cls(page)

    def heading(self, name: str) -> Locator:
        return self.page.get_by_role("heading", name=name, level=1)

    def fact(self, label: str) -> Locator:
        return self.facts.locator(f"dt:text-is('{label}') + dd")

    def add_follow_up(self, kind: str, content: str, next_action_on: str) -> None:
        form = self.follow_up_form
        form.get_by_label("Type").select_option(kind)
        form.get_by_label("What happened").fill(content)
        form.get_by_label("Next action on").fill(next_action_on)
        with self.page.expect_response(lambda r: r.request.method == "POST" and "/follow-ups" in r.url) as info:
            form.get_by_role("button", name=re.compile("Add follow-up")).click()
        assert info.value.status == 200


def customer_id_from(url: str) -> int:
    found = re.search(r"/customers/(\d+)$", url)
    assert found, f"not a customer page: {url}"
    return int(found.group(1))


def mark_document(page: Page) -> None:
    """Tag the current document; `document_is_marked` stays true only while no full page load happened."""
    page.evaluate("() => { window.__e2eSameDocument = true; }")


def document_is_marked(page: Page) -> bool:
    return bool(page.evaluate("() => window.__e2eSameDocument === true"))
