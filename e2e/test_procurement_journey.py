"""Procurement end to end, one story in real Chromium: an IT employee requisitions two items on the keyboard line
table, the department manager approves from the inbox, a buyer turns both lines into one order by keyboard, the
procurement manager approves it, the buyer sends it and records a partial receipt, a finance clerk records an
invoice priced above the tolerance, which lands in the exception queue, and a second finance user (four eyes)
accepts it with a reason, so it is ready to pay and the audit trail says who and why.

Only the people, departments, approval rules, the budget line and the qualified supplier are seeded; every step
after that goes through the pages. Each person has their own browser context; none may see a CSP violation or an
uncaught page error.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.integration.order_helpers import add_supplier

from domain.approvals.records import ApproverKind, RuleStep, StepMode
from e2e.procurement_pages import (
    ApprovalInbox,
    AuditTrail,
    BudgetPage,
    ExceptionQueue,
    InvoicePage,
    OrderBoard,
    OrderPage,
    Person,
    RequisitionForm,
    RequisitionPage,
)
from e2e.support import BrowserProblems, LiveServer

PASSWORD = "willow granite harbour 柳树"
SUPPLIER = "深圳云联科技有限公司"
TITLE = "新员工电脑 Laptops for new hires"
LAPTOP = "笔记本电脑 ThinkPad T14"
SET_UP = "上门安装调试"
INVOICE = "26442000000123456789"
# Who takes part: their key in the story, username, role and department ("head", "it" or "finance").
PEOPLE = {"employee": ("zhou.employee", "employee", "it"), "manager": ("ming.manager", "employee", "it"),
          "buyer": ("qiao.buyer", "buyer", "head"), "procurement": ("pan.procurement", "procurement_manager", "head"),
          "clerk": ("cai.finance", "finance", "finance"), "controller": ("fei.finance", "finance", "finance"),
          "auditor": ("shen.auditor", "auditor", "head")}


@dataclass
class Company:
    people: dict[str, Person]
    budget_id: int


@pytest.fixture
def company(browser: Browser, live_server: LiveServer) -> Iterator[Company]:
    """Head office with IT and Finance below it; requisitions go to IT's manager, orders to procurement."""
    head = live_server.add_department("华南贸易 总部 Head office")
    departments = {"head": head, "it": live_server.add_department("IT 信息部", parent=head),
                   "finance": live_server.add_department("Finance 财务部", parent=head)}
    problems, contexts, people = BrowserProblems(), list[BrowserContext](), {}
    for key, (username, role, department) in PEOPLE.items():
        context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="Asia/Shanghai")
        context.set_default_timeout(10_000)
        problems.watch(context)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm asks through window.confirm
        people[key] = Person(page, username, PASSWORD,
                             live_server.seed_user(username, role, departments[department], PASSWORD))
    it = departments["it"]
    live_server.make_manager("ming.manager", it)
    live_server.add_approval_rule("requisition", head, RuleStep(1, StepMode.ANY, ApproverKind.MANAGER))
    live_server.add_approval_rule("purchase_order", head,
                                  RuleStep(1, StepMode.ANY, ApproverKind.ROLE, role_key="procurement_manager"))
    finance_id = live_server.user_id("cai.finance")
    budget = live_server.add_budget(it, "IT-HW", "IT 设备 equipment", "60000", finance_id)
    add_supplier(live_server.engine, SUPPLIER, by=finance_id)
    yield Company(people, budget)
    problems.assert_none([page for context in contexts for page in context.pages])
    for context in contexts:
        context.close()


def test_requisition_to_order_to_receipt_to_invoice_exception_resolved(company: Company) -> None:
    people = {name: person.sign_in() for name, person in company.people.items()}

    requisition = raise_requisition_with_two_lines(people["employee"].page)
    approve_from_inbox(people["manager"].page, TITLE)
    requisition_is_approved_and_committed(requisition, people["clerk"].page, company)

    order = order_both_lines_by_keyboard(people["buyer"].page)
    approve_from_inbox(people["procurement"].page, TITLE)
    send_the_approved_order(people["buyer"].page, order, people["clerk"].page, company)
    requisition_is_ordered(requisition)

    receive_part_of_the_laptops(people["buyer"].page, order)
    invoice = invoice_above_price_tolerance(people["clerk"].page, order)
    accept_the_exception_as_the_second_finance_user(people["controller"].page, invoice)
    the_audit_trail_names_who_accepted_and_why(people["auditor"].page, invoice)


def raise_requisition_with_two_lines(page: Page) -> RequisitionPage:
    form = RequisitionForm.open(page)
    form.fill_header(TITLE, "五名新同事一月入职 / five colleagues start in January",
                     (date.today() + timedelta(days=20)).isoformat(), "IT-HW · IT 设备 equipment · 60,000.00 left")
    expect(form.totals).to_contain_text("60,000.00 left now")

    form.type_first_line(LAPTOP, "i7 / 32 GB / 1 TB", "5", "台", "8,500")
    expect(form.line_amount(1)).to_have_text("42,500.00")
    expect(form.totals).to_contain_text("17,500.00 after this requisition")
    form.type_next_line(SET_UP, "含数据迁移 data migration", "5", "次", "300")
    expect(form.line_amount(2)).to_have_text("1,500.00")
    expect(form.totals).to_contain_text("44,000.00")
    expect(form.totals).to_contain_text("16,000.00 after this requisition")

    requisition = form.save_by_keyboard()
    expect(requisition.heading).to_contain_text("Draft")
    assert requisition.number.startswith("PR-")
    expect(requisition.main).to_contain_text("肆万肆仟元整")
    requisition.submit()
    return requisition


def approve_from_inbox(page: Page, title: str) -> None:
    ApprovalInbox.open(page).approve_by_keyboard(title)


def requisition_is_approved_and_committed(requisition: RequisitionPage, finance: Page, company: Company) -> None:
    requisition.reload()
    expect(requisition.heading).to_contain_text("Approved")
    expect(requisition.main).to_contain_text("16,000.00 left (this requisition's commitment included)")
    budget = BudgetPage.at(finance, f"/budgets/{company.budget_id}")
    expect(budget.fact("Committed")).to_have_text("CNY 44,000.00")
    expect(budget.fact("Remaining")).to_contain_text("CNY 16,000.00")
    expect(budget.ledger.filter(has_text=requisition.number)).to_have_count(2)  # one per line


def order_both_lines_by_keyboard(page: Page) -> OrderPage:
    board = OrderBoard.open(page)
    board.select_every_line_by_keyboard()
    board.choose_supplier_by_keyboard("云联", SUPPLIER)
    form = board.draft_by_keyboard()
    expect(form.rows).to_have_count(2)

    form.price_line_by_keyboard(1, "7,300", "13")  # 5 × 7,300.00 = 36,500.00 + 13 % VAT 4,745.00
    expect(form.totals).to_contain_text("41,245.00")
    form.price_line_by_keyboard(2, "260", "6")  # a service: 5 × 260.00 = 1,300.00 + 6 % VAT 78.00
    expect(form.totals).to_contain_text("42,623.00")

    order = form.save_by_keyboard()
    expect(order.heading).to_contain_text("Draft")
    assert order.number.startswith("PO-")
    expect(order.main).to_contain_text("肆万贰仟陆佰贰拾叁元整")
    expect(order.fact("Gross total")).to_contain_text("net 37,800.00 + VAT 4,823.00")
    order.act("Submit for approval", "Pending approval")
    return order


def send_the_approved_order(page: Page, order: OrderPage, finance: Page, company: Company) -> None:
    order = OrderPage.at(page, order.url)
    expect(order.heading).to_contain_text("Approved")
    order.act("Mark as sent", "Sent to the supplier")
    # The requisition's hold on the budget went over to the order's gross on approval: 60,000 − 42,623.
    budget = BudgetPage.at(finance, f"/budgets/{company.budget_id}")
    expect(budget.fact("Remaining")).to_contain_text("CNY 17,377.00")
    expect(budget.ledger.filter(has_text=order.number)).to_have_count(2)


def requisition_is_ordered(requisition: RequisitionPage) -> None:
    requisition.reload()
    expect(requisition.heading).to_contain_text("Ordered")
    expect(requisition.lines.nth(0).locator("td").last).to_have_text("5 / 5")  # ordered of requested
    expect(requisition.lines.nth(1).locator("td").last).to_have_text("5 / 5")


def receive_part_of_the_laptops(page: Page, order: OrderPage) -> None:
    receipt = OrderPage.at(page, order.url).record_receipt().receive_by_keyboard(LAPTOP, "3")
    receipt_number = receipt.number
    expect(receipt.lines).to_have_count(1)  # nothing of the set-up service came
    expect(receipt.lines.first.locator("td")).to_have_text(["1", re.compile(LAPTOP), "5 台", "3", "3", "0", ""])
    back = receipt.open_order(order.number)
    expect(back.heading).to_contain_text("Partly received")
    expect(back.page.locator("#order-receipts")).to_contain_text(receipt_number)


def invoice_above_price_tolerance(page: Page, order: OrderPage) -> InvoicePage:
    form = OrderPage.at(page, order.url).record_invoice()
    form.type_number(INVOICE)
    form.type_line(1, LAPTOP, "3", "7,500")  # 2.7 % above the order's 7,300.00
    expect(form.preview).to_contain_text("price 7,500.00 is 2.7 % above the order's 7,300.00; tolerance 2 %")
    expect(form.preview).to_contain_text("25,425.00")  # 3 × 7,500.00 = 22,500.00 + 2,925.00 VAT
    invoice = form.record_by_keyboard()
    expect(invoice.heading).to_contain_text("Exception")
    expect(invoice.fact("Payment")).to_have_text("Waits for finance: not every line matches")

    queue = ExceptionQueue.open(page)
    mine = queue.item(INVOICE)
    expect(mine).to_contain_text("price 7,500.00 is 2.7 % above the order's 7,300.00; tolerance 2 %")
    expect(mine).to_contain_text("a colleague accepts it (four eyes)")
    expect(mine.get_by_label("Reason for accepting (required)")).to_have_count(0)
    return invoice


def accept_the_exception_as_the_second_finance_user(page: Page, invoice: InvoicePage) -> None:
    queue = ExceptionQueue.open(page)
    expect(queue.badge).to_have_text("Exceptions (1)")
    resolved = queue.accept_by_keyboard(INVOICE, "供应商已确认涨价，含加急运费 / supplier's price rise agreed by phone")
    expect(resolved).to_contain_text("ready to pay")
    expect(queue.badge).to_have_text("Exceptions")

    accepted = InvoicePage.at(page, invoice.url)
    expect(accepted.heading).to_contain_text("Accepted with reason")
    expect(accepted.fact("Payment")).to_have_text("Ready to pay")
    expect(accepted.fact("Resolved by")).to_contain_text("Fei Finance")
    expect(accepted.fact("Reason")).to_contain_text("供应商已确认涨价")


def the_audit_trail_names_who_accepted_and_why(page: Page, invoice: InvoicePage) -> None:
    trail = AuditTrail.open(page)
    trail.narrow_to("supplier_invoice", invoice.invoice_id)
    expect(trail.rows).to_have_count(2)
    expect(trail.row("supplier_invoice.recorded")).to_contain_text("Cai Finance")
    accepted = trail.row("supplier_invoice.accepted")
    expect(accepted).to_contain_text("Fei Finance")
    expect(accepted).to_contain_text("status: exception → accepted; reason: → 供应商已确认涨价")
