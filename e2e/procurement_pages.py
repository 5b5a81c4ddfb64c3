"""Page objects for the procurement journey: requisitions, the approval inbox, budgets, purchase orders, goods
receipts, supplier invoices, the exception queue and the audit trail, each driven the way a keyboard user works."""

import re
from functools import cached_property
from typing import Self

from playwright.sync_api import Locator, Page, expect

from e2e.pages import Authenticator, LoginPage

NUMBER = {"requisition": r"PR-\d{4}-\d{5}", "order": r"PO-\d{4}-\d{5}", "receipt": r"GR-\d{4}-\d{5}"}


class Person:
    """Someone at the company with their own browser: signs in with password and authenticator code."""

    def __init__(self, page: Page, username: str, password: str, secret: str) -> None:
        self.page, self.username, self.password = page, username, password
        self.authenticator = Authenticator(secret)

    def sign_in(self) -> Self:
        LoginPage.open(self.page).sign_in(self.username, self.password).submit(self.authenticator.fresh_code())
        expect(self.page.locator(".topbar .who")).to_be_visible()
        return self


def press_outside_fields(page: Page, *keys: str) -> None:
    """Single-key shortcuts work outside fields: focus the heading first, as after a Tab out of a form."""
    page.locator("h1").click()
    for key in keys:
        page.keyboard.press(key)


def number_in(locator: Locator, kind: str) -> str:
    found = re.search(NUMBER[kind], locator.inner_text())
    assert found, f"no {kind} number in {locator.inner_text()!r}"
    return found.group(0)


class Screen:
    """A page reached by its address; `open` checks it arrived by its main heading."""

    path = "/"
    heading_name = ""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(cls, page: Page) -> Self:
        page.goto(cls.path)
        expect(page.get_by_role("heading", name=cls.heading_name, level=1)).to_be_visible()
        return cls(page)


class RecordPage:
    """A record's page: its heading (number and status badge) and its facts (a <dl> of label and value)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heading = page.locator("h1")
        self.main = page.locator("main")
        self.url = page.url

    @classmethod
    def at(cls, page: Page, url: str) -> Self:
        page.goto(url)
        return cls(page)

    def reload(self) -> Self:
        self.page.goto(self.url)
        return self

    def fact(self, label: str) -> Locator:
        return self.page.locator(f"dl.facts dt:text-is('{label}') + dd")


class RequisitionForm(Screen):
    """/requisitions/new: the header, then the keyboard line table whose totals the server computes."""

    path = "/requisitions/new"
    heading_name = "New requisition"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.totals = page.get_by_role("region", name="Totals")
        self.rows = page.locator("tr[data-line]:visible")

    def fill_header(self, title: str, purpose: str, needed_by: str, budget: str) -> None:
        expect(self.page.get_by_label("Title")).to_be_focused()
        self.page.keyboard.type(title)
        self.page.keyboard.press("Tab")
        self.page.keyboard.type(purpose)
        self.page.get_by_label(re.compile(r"^Needed by")).fill(needed_by)
        self.page.get_by_label("Budget line").select_option(label=budget)

    def type_first_line(self, *cells: str) -> None:
        """Item, specification, quantity, unit and estimated price, Tab between them."""
        self.page.get_by_label("Line 1 item").click()
        self._type_along(cells)

    def type_next_line(self, *cells: str) -> None:
        """Enter in the current line adds one below with the cursor in its item field."""
        count = self.rows.count()
        self.page.keyboard.press("Enter")
        expect(self.rows).to_have_count(count + 1)
        expect(self.page.get_by_label(f"Line {count + 1} item")).to_be_focused()
        self._type_along(cells)

    def _type_along(self, cells: tuple[str, ...]) -> None:
        self.page.keyboard.type(cells[0])
        for cell in cells[1:]:
            self.page.keyboard.press("Tab")
            self.page.keyboard.type(cell)

    def line_amount(self, n: int) -> Locator:
        return self.rows.nth(n - 1).locator("[data-line-amount]")

    def save_by_keyboard(self) -> "RequisitionPage":
        self.page.keyboard.press("Control+Enter")
        expect(self.page).to_have_url(re.compile(r"/requisitions/\d+$"))
        return RequisitionPage(self.page)


class RequisitionPage(RecordPage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.lines = page.get_by_role("region", name="Lines").locator("tbody tr")

    @cached_property
    def number(self) -> str:
        """Read from the heading the first time it is asked for (the page may have moved on since)."""
        return number_in(self.heading, "requisition")

    def submit(self) -> None:
        self.page.get_by_role("button", name="Submit for approval").click()  # confirmed in the dialog
        expect(self.heading).to_contain_text("Waiting for approval")


class ApprovalInbox(Screen):
    """/approvals: j / k move between tasks, a approves the current one after the confirmation."""

    path = "/approvals"
    heading_name = "Approvals waiting for me"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.tasks = page.get_by_role("article")

    def approve_by_keyboard(self, title: str) -> None:
        expect(self.tasks).to_have_count(1)
        expect(self.tasks).to_contain_text(title)
        press_outside_fields(self.page, "j")
        expect(self.tasks).to_be_focused()
        self.page.keyboard.press("a")
        expect(self.page.locator("#flash")).to_contain_text("the document is approved")
        expect(self.tasks).to_have_count(0)


class BudgetPage(RecordPage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.ledger = page.get_by_role("region", name="Ledger").locator("tbody tr")


class OrderBoard(Screen):
    """/purchase-orders/new: approved requisition lines (j / k / x) and the supplier to order them from."""

    path = "/purchase-orders/new"
    heading_name = "New purchase order"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.boxes = page.locator("input[data-row-select]")
        self.selected = page.locator("[data-selected-count]")
        self.suppliers = page.locator("#supplier-choices input[type=radio]")

    def select_every_line_by_keyboard(self) -> None:
        expect(self.boxes).to_have_count(2)
        press_outside_fields(self.page, "j", "x", "j", "x")
        expect(self.selected).to_have_text("2 selected")

    def choose_supplier_by_keyboard(self, name_part: str, name: str) -> None:
        self.page.keyboard.press("/")
        expect(self.page.get_by_label("Find a supplier")).to_be_focused()
        self.page.keyboard.type(name_part)
        expect(self.suppliers).to_have_count(1)
        expect(self.page.get_by_label(name)).to_be_visible()
        self.page.keyboard.press("Tab")  # the Find button
        self.page.keyboard.press("Tab")  # the supplier's radio button
        self.page.keyboard.press("Space")
        expect(self.page.get_by_label(name)).to_be_checked()

    def draft_by_keyboard(self) -> "OrderForm":
        self.page.keyboard.press("Control+Enter")
        expect(self.page).to_have_url(re.compile(r"/purchase-orders/\d+/edit$"))
        return OrderForm(self.page)


class OrderForm:
    """A draft order's form: the line grid (prices, VAT) with the server's totals."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.rows = page.locator("[data-line-grid] tbody tr[data-line]")
        self.totals = page.get_by_role("region", name="Amounts")

    def price_line_by_keyboard(self, n: int, unit_price: str, vat: str) -> None:
        """Replace the price before VAT (drafted from the requisition's estimate), Tab to the VAT rate and pick it
        by its first digit."""
        self.page.get_by_label(f"Unit price before VAT of line {n}").focus()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.type(unit_price)
        self.page.keyboard.press("Tab")
        rate = self.page.get_by_label(f"VAT rate of line {n}")
        expect(rate).to_be_focused()
        self.page.keyboard.type(vat)
        expect(rate).to_have_value(vat)

    def save_by_keyboard(self) -> "OrderPage":
        self.page.keyboard.press("Control+Enter")
        expect(self.page).to_have_url(re.compile(r"/purchase-orders/\d+$"))
        return OrderPage(self.page)


class OrderPage(RecordPage):
    @cached_property
    def number(self) -> str:
        """Read from the heading the first time it is asked for (the page may have moved on since)."""
        return number_in(self.heading, "order")

    def act(self, button: str, status_after: str) -> None:
        self.page.get_by_role("button", name=button).click()  # confirmed in the dialog
        expect(self.heading).to_contain_text(status_after)

    def record_receipt(self) -> "ReceiptForm":
        self.page.get_by_role("link", name="Record a receipt").click()
        expect(self.page).to_have_url(re.compile(r"/receipts/new$"))
        return ReceiptForm(self.page)

    def record_invoice(self) -> "InvoiceForm":
        self.page.get_by_role("link", name="Record an invoice").click()
        expect(self.page).to_have_url(re.compile(r"/invoices/new\?order=\d+$"))
        return InvoiceForm(self.page)


class ReceiptForm:
    def __init__(self, page: Page) -> None:
        self.page = page

    def receive_by_keyboard(self, item: str, quantity: str) -> "ReceiptPage":
        """The cursor starts in the first line's received quantity; accepted left empty takes all of it."""
        expect(self.page.get_by_label(f"Received, 1 {item}")).to_be_focused()
        self.page.keyboard.type(quantity)
        self.page.keyboard.press("Control+Enter")
        expect(self.page).to_have_url(re.compile(r"/receipts/\d+$"))
        return ReceiptPage(self.page)


class ReceiptPage(RecordPage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.lines = page.locator("main table tbody tr")

    @cached_property
    def number(self) -> str:
        return number_in(self.heading, "receipt")

    def open_order(self, number: str) -> OrderPage:
        self.page.get_by_role("link", name=number).click()
        expect(self.page).to_have_url(re.compile(r"/purchase-orders/\d+$"))
        return OrderPage(self.page)


class InvoiceForm:
    """/invoices/new?order=: the supplier's number first, then each line as the invoice shows it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.preview = page.get_by_role("region", name="Check as you type")

    def type_number(self, number: str) -> None:
        expect(self.page.get_by_label("Supplier's invoice number")).to_be_focused()
        self.page.keyboard.type(number)

    def type_line(self, position: int, item: str, quantity: str, unit_price: str) -> None:
        self.page.get_by_label(f"Quantity, {position} {item}").focus()
        self.page.keyboard.type(quantity)
        self.page.keyboard.press("Tab")
        expect(self.page.get_by_label(f"Unit price before VAT, {position} {item}")).to_be_focused()
        self.page.keyboard.type(unit_price)

    def record_by_keyboard(self) -> "InvoicePage":
        self.page.keyboard.press("Control+Enter")
        expect(self.page).to_have_url(re.compile(r"/invoices/\d+$"))
        return InvoicePage(self.page)


class InvoicePage(RecordPage):
    @property
    def invoice_id(self) -> int:
        found = re.search(r"/invoices/(\d+)$", self.url)
        assert found, self.url
        return int(found.group(1))


class ExceptionQueue(Screen):
    """/invoices/exceptions: j / k move between invoices, a goes to the reason for accepting, Ctrl+Enter sends."""

    path = "/invoices/exceptions"
    heading_name = "Invoices waiting for a decision"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.badge = page.get_by_role("link", name=re.compile(r"^Exceptions"))

    def item(self, invoice_number: str) -> Locator:
        """The invoice's place in the queue, waiting or (after a decision) saying how it was resolved."""
        return self.page.get_by_role("article", name=re.compile(re.escape(invoice_number)))

    def accept_by_keyboard(self, invoice_number: str, reason: str) -> Locator:
        """Accept the first invoice waiting (it must be `invoice_number`); returns what takes its place."""
        press_outside_fields(self.page, "j")
        expect(self.item(invoice_number)).to_be_focused()
        self.page.keyboard.press("a")
        expect(self.page.get_by_label("Reason for accepting (required)")).to_be_focused()
        self.page.keyboard.type(reason)
        self.page.keyboard.press("Control+Enter")
        resolved = self.item(invoice_number)
        expect(resolved).to_have_attribute("data-resolved", "")
        expect(resolved).to_be_focused()
        return resolved


class AuditTrail(Screen):
    """/audit, narrowed with its filters (the results follow as you choose, by htmx)."""

    path = "/audit"
    heading_name = "Audit trail"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.rows = page.locator("#audit-results tbody tr")

    def narrow_to(self, entity: str, entity_id: int) -> None:
        self.page.get_by_label("Record type").select_option(entity)
        self.page.get_by_label("Record id").fill(str(entity_id))
        expect(self.page).to_have_url(re.compile(rf"entity={entity}&entity_id={entity_id}"))

    def row(self, action: str) -> Locator:
        return self.rows.filter(has=self.page.locator("code", has_text=action))
