"""In-memory fakes of the procurement ports (budgets now; suppliers, requisitions, orders, receipts and invoices
add theirs here)."""

from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.budgets.models import Budget, BudgetEntry, BudgetListQuery, LedgerLine
from domain.contracts.models import ContractKind, SupplierParty
from domain.customers.models import Customer, DuplicateCandidate
from domain.customers.names import name_key
from domain.identity.models import Actor
from domain.identity.permissions import Scope
from domain.invoicing.matching import LineFacts
from domain.invoicing.models import (
    INVOICEABLE,
    InvoiceLineView,
    InvoiceListQuery,
    InvoiceStatus,
    InvoiceSummary,
    InvoiceView,
    OrderForInvoice,
    OrderLineForInvoice,
    SupplierInvoice,
)
from domain.purchasing.models import OrderExportRow, OrderListQuery, OrderStatus, OrderSummary, PurchaseOrder
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.receiving.models import (
    GoodsReceipt,
    OrderForReceipt,
    OrderLineForReceipt,
    ReceiptDetail,
    ReceiptLineView,
    ReceiptListQuery,
    ReceiptSummary,
)
from domain.requisitions.models import (
    Requisition,
    RequisitionExportRow,
    RequisitionLine,
    RequisitionListQuery,
    RequisitionStatus,
    RequisitionSummary,
)
from domain.shared.paging import Page, decode_cursor
from domain.suppliers.documents import ExpiringDocument, SupplierDocument
from domain.suppliers.models import (
    Supplier,
    SupplierContact,
    SupplierExportRow,
    SupplierListQuery,
    SupplierStatus,
    SupplierSummary,
)
from domain.suppliers.scorecard import ScorecardCounts
from tests.fake_rows import FakeContactBook, insert_row

if TYPE_CHECKING:
    from tests.fakes import FakeUserRepository

class FakeBudgetRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Budget] = {}
        self.ledger: list[BudgetEntry] = []

    def add(self, budget: Budget) -> int:
        return insert_row(self.rows, budget)

    def get(self, budget_id: int) -> Budget | None:
        found = self.rows.get(budget_id)
        return replace(found) if found else None

    def update(self, budget: Budget, expected_version: int) -> bool:
        stored = self.rows.get(budget.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(budget, committed=stored.committed)
        return True

    def of_department(self, department_id: int, on: date | None = None) -> list[Budget]:
        found = [b for b in self.rows.values() if b.department_id == department_id and (on is None or b.covers(on))]
        return sorted((replace(b) for b in found), key=lambda b: (b.code, b.id or 0))

    def all(self, department_ids: list[int] | None = None) -> list[Budget]:
        found = [b for b in self.rows.values() if department_ids is None or b.department_id in department_ids]
        return sorted((replace(b) for b in found), key=lambda b: (-b.period_start.toordinal(), b.code, b.id or 0))

    def search(self, query: BudgetListQuery) -> list[Budget]:
        found = [b for b in self.all() if query.department_id in (None, b.department_id) and (
            query.year is None or b.period_start.year <= query.year <= b.period_end.year)]
        return found[:query.limit]

    def charge(self, budget_id: int, amount: Decimal, *, limit: bool) -> bool:
        budget = self.rows[budget_id]
        if limit and budget.committed + amount > budget.amount:
            return False
        budget.committed += amount
        return True

    def add_entry(self, entry: BudgetEntry) -> int:
        self.ledger.append(replace(entry, id=len(self.ledger) + 1))
        return len(self.ledger)

    def entries(self, budget_id: int, limit: int = 200) -> list[BudgetEntry]:
        return [e for e in reversed(self.ledger) if e.budget_id == budget_id][:limit]

    def ledger_lines(self, budget_id: int, limit: int = 200) -> list[LedgerLine]:
        return [LedgerLine(e, f"{e.document_type}-{e.document_id}", "", "") for e in self.entries(budget_id, limit)]

    def outstanding(self, document_type: str, document_id: int) -> dict[tuple[int, int | None], Decimal]:
        held: dict[tuple[int, int | None], Decimal] = {}
        for e in self.ledger:
            if e.document_type == document_type and e.document_id == document_id:
                held[(e.budget_id, e.line_id)] = held.get((e.budget_id, e.line_id), Decimal(0)) + e.amount
        return {key: amount for key, amount in held.items() if amount}


# --- requisitions -------------------------------------------------------------------------------------------
class FakeRequisitionRepository:
    """Scope as the SQL adapter applies it: the requester is the owner; department subtree (plus own), all, none."""

    def __init__(self, users: "FakeUserRepository") -> None:
        self.rows: dict[int, Requisition] = {}
        self._users = users
        self._line_ids = 0

    def add(self, requisition: Requisition) -> int:
        new_id = insert_row(self.rows, requisition)
        self.replace_lines(new_id, requisition.lines)
        return new_id

    def get_by_form_token(self, form_token: str) -> Requisition | None:
        return next((replace(r) for r in self.rows.values() if r.form_token == form_token), None)

    def get(self, requisition_id: int, actor: Actor) -> Requisition | None:
        found = self.rows.get(requisition_id)
        return replace(found) if found and self._visible(found, actor) else None

    def get_unscoped(self, requisition_id: int, *, with_lines: bool = True) -> Requisition | None:
        found = self.rows.get(requisition_id)
        if found is None:
            return None
        return replace(found) if with_lines else replace(found, lines=())

    def update(self, requisition: Requisition, expected_version: int) -> bool:
        stored = self.rows.get(requisition.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(requisition, lines=stored.lines)
        return True

    def replace_lines(self, requisition_id: int, lines: tuple[RequisitionLine, ...]) -> tuple[RequisitionLine, ...]:
        numbered = []
        for line in lines:
            self._line_ids += 1
            numbered.append(replace(line, id=self._line_ids))
        self.rows[requisition_id].lines = tuple(numbered)
        return tuple(numbered)

    def search(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionSummary]:
        found = sorted((r for r in self.rows.values() if self._visible(r, actor) and self._matches(r, query)),
                       key=lambda r: (r.created_at, r.id or 0), reverse=True)
        names = self._users.names({r.requester_id for r in found})
        return Page([RequisitionSummary(r.id or 0, r.number, r.title, "", names.get(r.requester_id, ""),
                                        r.estimated_total, r.currency, r.status.value, r.needed_by, r.created_at)
                     for r in found[:query.per_page]], None, None)

    def export_rows(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionExportRow]:
        rows = [self.rows[summary.id] for summary in self.search(query, actor).items]
        names = self._users.names({r.requester_id for r in rows})
        return Page([RequisitionExportRow(r.number, r.title, r.purpose, "", names.get(r.requester_id, ""),
                                          r.status.value, r.estimated_total, r.currency, "", r.needed_by,
                                          len(r.lines), r.submitted_at, r.decided_at, r.created_at, r.closed_reason)
                     for r in rows], None, None)

    def _matches(self, requisition: Requisition, query: RequisitionListQuery) -> bool:
        text = query.text.lower()
        return (query.status in (None, requisition.status) and query.department_id in (None, requisition.department_id)
                and query.requester_id in (None, requisition.requester_id)
                and (not text or requisition.number.lower() == text or text in requisition.title.lower()))

    def _visible(self, requisition: Requisition, actor: Actor) -> bool:
        scope = actor.scope("requisition")
        if scope is Scope.ALL:
            return True
        if requisition.requester_id == actor.user_id:
            return scope is not None
        return scope is Scope.DEPARTMENT and actor.department_id is not None and self._users.within(
            requisition.department_id, actor.department_id)
# Purchase contracts: the party directory over the fake customers and a few suppliers of its own.
class FakePartyDirectory:
    def __init__(self, customers: Mapping[int, Customer]) -> None:
        self._customers = customers
        self.supplier_rows: dict[int, SupplierParty] = {}

    def add_supplier(self, name: str, status: SupplierStatus = SupplierStatus.QUALIFIED) -> int:
        new_id = len(self.supplier_rows) + 1
        self.supplier_rows[new_id] = SupplierParty(new_id, name, status)
        return new_id

    def names(self, kind: ContractKind, ids: set[int]) -> dict[int, str]:
        if kind is ContractKind.PURCHASE:
            return {i: self.supplier_rows[i].name for i in ids if i in self.supplier_rows}
        return {i: self._customers[i].name for i in ids if i in self._customers}

    def supplier(self, supplier_id: int) -> SupplierParty | None:
        return self.supplier_rows.get(supplier_id)

    def suppliers(self, text: str, limit: int) -> list[SupplierParty]:
        found = [s for s in self.supplier_rows.values() if text.lower() in s.name.lower() or s.credit_code == text]
        return sorted(found, key=lambda s: (s.name, s.id))[:limit]
# --- Receiving and invoicing: orders as receiving and invoicing see them, receipts, invoices, tolerances ---------


@dataclass
class FakeOrderLine:
    id: int
    position: int
    item: str
    ordered: Decimal
    unit_price: Decimal = Decimal("10.0000")
    tax_rate: int = 13
    received: Decimal = Decimal("0")
    accepted: Decimal = Decimal("0")
    invoiced: Decimal = Decimal("0")
    unit: str = "pcs"


@dataclass
class FakeOrder:
    id: int
    number: str
    status: OrderStatus
    lines: list[FakeOrderLine]
    buyer_id: int = 1
    department_id: int | None = None
    supplier_id: int = 1
    supplier_name: str = "Acme Supplies"
    currency: str = "CNY"
    version: int = 1

    def visible_to(self, actor: Actor) -> bool:
        scope = actor.scope("purchase_order")
        if scope is Scope.ALL:
            return True
        if scope is Scope.DEPARTMENT and self.department_id is not None:
            return self.department_id == actor.department_id or self.buyer_id == actor.user_id
        return scope is not None and self.buyer_id == actor.user_id


class FakeOrderBook:
    """The purchase orders receiving and invoicing read and update (the orders slice owns their creation)."""

    def __init__(self) -> None:
        self.orders: dict[int, FakeOrder] = {}

    def add(self, order: FakeOrder) -> FakeOrder:
        self.orders[order.id] = order
        return order

    def visible(self, order_id: int, actor: Actor) -> FakeOrder | None:
        order = self.orders.get(order_id)
        return order if order is not None and order.visible_to(actor) else None

    def line(self, line_id: int) -> FakeOrderLine:
        return next(line for order in self.orders.values() for line in order.lines if line.id == line_id)

    def order_of_line(self, line_id: int) -> FakeOrder:
        return next(order for order in self.orders.values() if any(line.id == line_id for line in order.lines))


class FakeReceivingRepository:
    def __init__(self, book: FakeOrderBook) -> None:
        self.book = book
        self.receipts: dict[int, GoodsReceipt] = {}

    def order_for_receipt(self, order_id: int, actor: Actor, *, lock: bool = False) -> OrderForReceipt | None:
        order = self.book.visible(order_id, actor)
        if order is None:
            return None
        return OrderForReceipt(order.id, order.number, order.supplier_name, order.status, tuple(
            OrderLineForReceipt(line.id, line.position, line.item, "", line.unit, line.ordered, line.received,
                                line.accepted) for line in order.lines))

    def by_form_token(self, form_token: str) -> GoodsReceipt | None:
        return next((r for r in self.receipts.values() if r.form_token == form_token), None)

    def add(self, receipt: GoodsReceipt) -> int:
        return insert_row(self.receipts, receipt)

    def receive_line(self, order_line_id: int, accepted: Decimal, rejected: Decimal, most_accepted: Decimal) -> bool:
        line = self.book.line(order_line_id)
        if line.accepted + accepted > most_accepted:
            return False
        line.accepted += accepted
        line.received += accepted + rejected
        return True

    def set_order_status(self, order_id: int, status: OrderStatus, now: datetime) -> None:
        order = self.book.orders[order_id]
        order.status, order.version = status, order.version + 1

    def get(self, receipt_id: int, actor: Actor) -> ReceiptDetail | None:
        receipt = self.receipts.get(receipt_id)
        order = self.book.visible(receipt.order_id, actor) if receipt else None
        if receipt is None or order is None:
            return None
        lines = tuple(ReceiptLineView(self.book.line(r.order_line_id).position, self.book.line(r.order_line_id).item,
                                      "", "pcs", self.book.line(r.order_line_id).ordered, r.received, r.accepted,
                                      r.rejected, r.rejection_reason) for r in receipt.lines)
        return ReceiptDetail(receipt_id, receipt.number, order.id, order.number, order.supplier_name,
                             receipt.received_on, "", receipt.notes, receipt.created_at, lines)

    def search(self, query: ReceiptListQuery, actor: Actor) -> Page[ReceiptSummary]:
        found = [ReceiptSummary(r.id or 0, r.number, r.order_id, order.number, order.supplier_name, r.received_on, "",
                                any(line.rejected for line in r.lines), r.created_at)
                 for r in reversed(self.receipts.values())
                 if (order := self.book.visible(r.order_id, actor)) and query.order_id in (None, r.order_id)]
        return Page(found[:query.per_page], None, None)

    def export_rows(self, query: ReceiptListQuery, actor: Actor) -> Page[ReceiptDetail]:
        return Page([detail for summary in self.search(query, actor).items
                     if (detail := self.get(summary.id, actor)) is not None], None, None)


class FakeInvoiceRepository:
    def __init__(self, book: FakeOrderBook) -> None:
        self.book = book
        self.invoices: dict[int, SupplierInvoice] = {}

    def order_for_invoice(self, order_id: int, actor: Actor, *, lock: bool = False) -> OrderForInvoice | None:
        order = self.book.visible(order_id, actor)
        return _invoice_order(order) if order else None

    def invoiceable_orders(self, text: str, actor: Actor, limit: int) -> list[OrderForInvoice]:
        return [_invoice_order(o) for o in self.book.orders.values()
                if o.visible_to(actor) and o.status in INVOICEABLE and text.upper() in (o.number, "")][:limit]

    def id_by_number(self, supplier_id: int, number: str) -> int | None:
        return next((i.id for i in self.invoices.values() if (i.supplier_id, i.number) == (supplier_id, number)), None)

    def by_form_token(self, form_token: str) -> SupplierInvoice | None:
        return next((i for i in self.invoices.values() if i.form_token == form_token), None)

    def add(self, invoice: SupplierInvoice) -> int:
        return insert_row(self.invoices, invoice)

    def bill_line(self, order_line_id: int, quantity: Decimal) -> LineFacts:
        line = self.book.line(order_line_id)
        line.invoiced += quantity
        return LineFacts(line.accepted, line.invoiced - quantity, line.unit_price, line.tax_rate)

    def get(self, invoice_id: int, actor: Actor) -> InvoiceView | None:
        invoice = self.invoices.get(invoice_id)
        order = self.book.visible(invoice.order_id, actor) if invoice else None
        return _invoice_view(invoice, order, self.book) if invoice and order else None

    def resolve(self, invoice: SupplierInvoice, expected_version: int) -> bool:
        stored = self.invoices.get(invoice.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.invoices[stored.id or 0] = invoice
        return True

    def search(self, query: InvoiceListQuery, actor: Actor) -> Page[InvoiceSummary]:
        found = [InvoiceSummary(i.id or 0, i.number, order.supplier_name, order.id, order.number, i.invoice_date,
                                i.totals.gross, i.currency, i.status, i.created_at)
                 for i in reversed(self.invoices.values())
                 if (order := self.book.visible(i.order_id, actor)) and query.order_id in (None, i.order_id)
                 and query.status in (None, i.status) and (not query.ready_to_pay or i.status.ready_to_pay)]
        return Page(found[:query.per_page], None, None)

    def export_rows(self, query: InvoiceListQuery, actor: Actor) -> Page[InvoiceView]:
        return Page([view for summary in self.search(query, actor).items
                     if (view := self.get(summary.id, actor)) is not None], None, None)

    def exceptions(self, after: str | None, limit: int, actor: Actor) -> list[InvoiceView]:
        waiting = sorted((i for i in self.invoices.values() if i.status is InvoiceStatus.EXCEPTION),
                         key=lambda i: (i.created_at, i.id or 0))
        start = decode_cursor(after)
        views = [view for i in waiting if (view := self.get(i.id or 0, actor)) is not None
                 and (start is None or (i.created_at.isoformat(), i.id or 0) > (str(start[0]), start[1]))]
        return views[:limit]

    def exception_count(self, actor: Actor, cap: int) -> int:
        return min(cap, sum(1 for i in self.invoices.values()
                            if i.status is InvoiceStatus.EXCEPTION and self.get(i.id or 0, actor)))


def _invoice_order(order: FakeOrder) -> OrderForInvoice:
    return OrderForInvoice(order.id, order.number, order.supplier_id, order.supplier_name, order.status,
                           order.currency, tuple(OrderLineForInvoice(
                               line.id, line.position, line.item, "", line.unit, line.ordered, line.accepted,
                               line.invoiced, line.unit_price, line.tax_rate) for line in order.lines))


def _invoice_view(invoice: SupplierInvoice, order: FakeOrder, book: FakeOrderBook) -> InvoiceView:
    lines = tuple(InvoiceLineView(line.order_line_id, book.line(line.order_line_id).position,
                                  book.line(line.order_line_id).item, "pcs", line.quantity, line.unit_price,
                                  line.tax_rate, line.amounts, line.match) for line in invoice.lines)
    return InvoiceView(invoice, order.supplier_name, order.number, "", "", lines)


class FakeProcurementSettings:
    def __init__(self) -> None:
        self.stored: dict[str, str] = {}

    def values(self) -> dict[str, str]:
        return dict(self.stored)

    def put(self, key: str, value: str, updated_by: int, now: datetime) -> None:
        self.stored[key] = value
# --- suppliers ---------------------------------------------------------------------------------------------------


class FakeSupplierRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Supplier] = {}

    def add(self, supplier: Supplier) -> int:
        return insert_row(self.rows, supplier)

    def get(self, supplier_id: int) -> Supplier | None:
        found = self.rows.get(supplier_id)
        return replace(found) if found else None

    def get_by_form_token(self, form_token: str) -> Supplier | None:
        return next((replace(s) for s in self.rows.values() if s.form_token == form_token), None)

    def update(self, supplier: Supplier, expected_version: int) -> bool:
        stored = self.rows.get(supplier.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(supplier)
        return True

    def credit_code_holder(self, credit_code: str) -> int | None:
        return next((i for i, s in self.rows.items() if s.fields.credit_code == credit_code), None)

    def get_many(self, supplier_ids: list[int]) -> dict[int, Supplier]:
        return {i: found for i in supplier_ids if (found := self.get(i))}

    def add_many(self, batch: list[Supplier]) -> list[int]:
        return [self.add(supplier) for supplier in batch]

    def update_many(self, batch: list[Supplier], expected_versions: list[int]) -> int:
        return sum(self.update(s, v) for s, v in zip(batch, expected_versions, strict=True))

    def duplicates(self, key: str, credit_code: str | None, exclude_id: int | None,
                   limit: int) -> list[DuplicateCandidate]:
        found = []
        for i, s in sorted(self.rows.items()):
            reasons = tuple(r for r, hit in (("credit_code", bool(credit_code) and s.fields.credit_code == credit_code),
                                            ("name", bool(key) and name_key(s.name) == key)) if hit)
            if reasons and i != exclude_id:
                found.append(DuplicateCandidate(i, s.name, reasons))
        return found[:limit]

    def search(self, query: SupplierListQuery, today: date) -> Page[SupplierSummary]:
        found = [s for s in self.rows.values() if (query.status is None or s.status is query.status)
                 and (query.category is None or s.fields.category == query.category)
                 and query.text.casefold() in s.name.casefold()]
        found.sort(key=lambda s: (s.created_at, s.id or 0), reverse=True)
        items = [SupplierSummary(s.id or 0, s.name, s.fields.credit_code, s.fields.category, s.status.value,
                                 s.fields.region, s.created_at.date()) for s in found[:query.per_page]]
        return Page(items, None, None)

    def export_rows(self, query: SupplierListQuery, today: date) -> Page[SupplierExportRow]:
        rows = [self.rows[summary.id] for summary in self.search(query, today).items]
        return Page([SupplierExportRow(s.name, s.fields.credit_code, s.fields.category, s.status.value,
                                       s.status_reason, s.fields.region, s.fields.address, s.fields.payment_terms,
                                       s.fields.bank_name, s.fields.bank_account, s.created_at.date(), None, None)
                     for s in rows], None, None)


class FakeSupplierContactRepository(FakeContactBook[SupplierContact]):
    owner = "supplier_id"

    def for_supplier(self, supplier_id: int) -> list[SupplierContact]:
        return self.of_owner(supplier_id)


class FakeSupplierDocumentRepository:
    """Documents plus reminders keyed by (document id, days before) → acknowledged at; reads the fake suppliers."""

    def __init__(self, suppliers: FakeSupplierRepository) -> None:
        self.rows: dict[int, SupplierDocument] = {}
        self.reminders: dict[tuple[int, int], datetime | None] = {}
        self._suppliers = suppliers

    def add(self, document: SupplierDocument) -> int:
        return insert_row(self.rows, document)

    def get(self, document_id: int, supplier_id: int) -> SupplierDocument | None:
        found = self.rows.get(document_id)
        return found if found and found.supplier_id == supplier_id and found.removed_at is None else None

    def for_supplier(self, supplier_id: int) -> list[SupplierDocument]:
        return [d for d in self.rows.values() if d.supplier_id == supplier_id and d.removed_at is None]

    def mark_removed(self, document_id: int, at: datetime) -> bool:
        if self.rows[document_id].removed_at is not None:
            return False
        self.rows[document_id] = replace(self.rows[document_id], removed_at=at)
        return True

    def expiring(self, today: date, until: date) -> list[ExpiringDocument]:
        return [ExpiringDocument(i, d.supplier_id, d.fields.expires_on,
                                 frozenset(days for (doc, days) in self.reminders if doc == i))
                for i, d in sorted(self.rows.items()) if d.removed_at is None and d.fields.expires_on
                and today <= d.fields.expires_on <= until
                and self._suppliers.rows[d.supplier_id].status is not SupplierStatus.BLACKLISTED]

    def record_reminder(self, document_id: int, days_before: int, at: datetime) -> bool:
        if (document_id, days_before) in self.reminders:
            return False
        self.reminders[(document_id, days_before)] = None
        return True

    def acknowledge(self, document_id: int, user_id: int, at: datetime) -> int:
        keys = [key for key, done in self.reminders.items() if key[0] == document_id and done is None]
        self.reminders.update(dict.fromkeys(keys, at))
        return len(keys)


class FakeSupplierScorecardReader:
    """Answers every supplier and period with `counts`, and records what it was asked."""

    def __init__(self) -> None:
        self.counts_given = ScorecardCounts()
        self.asked: list[tuple[int, date, date]] = []

    def counts(self, supplier_id: int, start: date, end: date) -> ScorecardCounts:
        self.asked.append((supplier_id, start, end))
        return self.counts_given
# --- Purchase orders (orders slice) -------------------------------------------------------------------------------

class FakePurchaseOrderRepository:
    """Orders kept whole; the record scope as the SQL adapter applies it (buyer, department, or all)."""

    def __init__(self) -> None:
        self.rows: dict[int, PurchaseOrder] = {}
        self.line_ids = 0

    def add(self, order: PurchaseOrder) -> int:
        order.id = len(self.rows) + 1
        self._number_lines(order)
        self.rows[order.id] = deepcopy(order)
        return order.id

    def get(self, order_id: int, actor: Actor, *, lock: bool = False) -> PurchaseOrder | None:
        order = self.rows.get(order_id)
        return deepcopy(order) if order is not None and _sees(actor, order) else None

    def get_unscoped(self, order_id: int) -> PurchaseOrder | None:
        order = self.rows.get(order_id)
        return deepcopy(order) if order else None

    def get_by_form_token(self, form_token: str) -> PurchaseOrder | None:
        return next((deepcopy(o) for o in self.rows.values() if o.form_token == form_token), None)

    def update(self, order: PurchaseOrder, expected_version: int) -> bool:
        stored = self.rows.get(order.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[order.id or 0] = replace(deepcopy(order), lines=stored.lines)
        return True

    def replace_lines(self, order: PurchaseOrder) -> None:
        self._number_lines(order)
        self.rows[order.id or 0].lines = deepcopy(order.lines)

    def search(self, query: OrderListQuery, actor: Actor) -> Page[OrderSummary]:
        found = [o for o in self.rows.values() if _sees(actor, o) and (not query.status or o.status == query.status)
                 and (not query.supplier_id or o.supplier_id == query.supplier_id)]
        found.sort(key=lambda o: (o.created_at, o.id or 0), reverse=True)
        return Page([_summary(o) for o in found[:query.per_page]], None, None)

    def of_supplier(self, supplier_id: int, actor: Actor, limit: int) -> list[OrderSummary]:
        return self.search(OrderListQuery(supplier_id=supplier_id, per_page=limit), actor).items

    def export_rows(self, query: OrderListQuery, actor: Actor) -> Page[OrderExportRow]:
        orders = [self.rows[summary.id] for summary in self.search(query, actor).items]
        return Page([OrderExportRow(o.number, o.title, f"Supplier {o.supplier_id}", None, o.status.value,
                                    f"Buyer {o.buyer_id}", None, None, o.currency, o.net_total, o.tax_total,
                                    o.gross_total, len(o.lines),
                                    sum(1 for line in o.lines if line.accepted_quantity >= line.quantity), 0, None,
                                    o.sent_at, o.created_at, o.closed_reason) for o in orders], None, None)

    def _number_lines(self, order: PurchaseOrder) -> None:
        for line in order.lines:
            if line.id is None:
                self.line_ids += 1
                line.id = self.line_ids


class FakeOrderSources:
    """Suppliers, requisition lines and framework contracts as orders see them; reservations as conditional
    updates. Requisition scope: all, or the actor's own department (no subtree in the fakes)."""

    def __init__(self, orders: FakePurchaseOrderRepository) -> None:
        self.suppliers: dict[int, SupplierFacts] = {}
        self.lines: dict[int, RequisitionLineFacts] = {}
        self.contracts: dict[int, FrameworkContract] = {}
        self.locked: list[list[int]] = []
        self._orders = orders

    def supplier(self, supplier_id: int) -> SupplierFacts | None:
        return self.suppliers.get(supplier_id)

    def suppliers_named(self, text: str, limit: int) -> list[SupplierFacts]:
        found = [s for s in self.suppliers.values() if text.lower() in s.name.lower()]
        return sorted(found, key=lambda s: (not s.status.orderable, s.name, s.id))[:limit]

    def orderable_lines(self, actor: Actor, limit: int) -> list[RequisitionLineFacts]:
        return [f for f in self.lines.values() if f.orderable and _sees_requisition(actor, f)][:limit]

    def requisition_lines(self, line_ids: set[int], actor: Actor | None) -> dict[int, RequisitionLineFacts]:
        return {i: f for i, f in self.lines.items() if i in line_ids and (actor is None or _sees_requisition(actor, f))}

    def lines_of_requisition(self, requisition_id: int) -> list[RequisitionLineFacts]:
        return [f for f in self.lines.values() if f.requisition_id == requisition_id]

    def lock_requisitions(self, requisition_ids: list[int]) -> None:
        self.locked.append(list(requisition_ids))

    def reserve(self, requisition_line_id: int, quantity: Decimal) -> bool:
        fact = self.lines[requisition_line_id]
        if not fact.requisition_status.orderable or fact.ordered_quantity + quantity > fact.quantity:
            return False
        self.lines[requisition_line_id] = replace(fact, ordered_quantity=fact.ordered_quantity + quantity)
        return True

    def release(self, requisition_line_id: int, quantity: Decimal) -> None:
        fact = self.lines[requisition_line_id]
        self.lines[requisition_line_id] = replace(fact, ordered_quantity=max(fact.ordered_quantity - quantity,
                                                                             Decimal(0)))

    def set_requisition_status(self, requisition_id: int, status: RequisitionStatus, now: datetime) -> None:
        for line_id, fact in list(self.lines.items()):
            if fact.requisition_id == requisition_id:
                self.lines[line_id] = replace(fact, requisition_status=status)

    def framework_contracts(self, supplier_id: int, excluding_order: int | None) -> list[FrameworkContract]:
        return [c for c in (self.framework_contract(i, excluding_order) for i in self.contracts)
                if c is not None and c.supplier_id == supplier_id and c.usable]

    def framework_contract(self, contract_id: int, excluding_order: int | None,
                           lock: bool = False) -> FrameworkContract | None:
        contract = self.contracts.get(contract_id)
        if contract is None:
            return None
        used = sum((o.gross_total for o in self._orders.rows.values() if o.contract_id == contract_id
                    and o.status is not OrderStatus.CANCELLED and o.id != excluding_order), Decimal("0.00"))
        return replace(contract, used=used)


def _sees(actor: Actor, order: PurchaseOrder) -> bool:
    scope = actor.scope("purchase_order")
    if scope is Scope.ALL:
        return True
    if scope is Scope.DEPARTMENT and order.department_id == actor.department_id:
        return True
    return scope is not None and order.buyer_id == actor.user_id


def _sees_requisition(actor: Actor, fact: RequisitionLineFacts) -> bool:
    scope = actor.scope("requisition")
    return scope is Scope.ALL or (scope is Scope.DEPARTMENT and fact.department_id == actor.department_id)


def _summary(order: PurchaseOrder) -> OrderSummary:
    return OrderSummary(order.id or 0, order.number, order.title, "", order.gross_total, order.currency,
                        order.status.value, "", order.created_at.date())
