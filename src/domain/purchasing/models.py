"""Purchase orders (采购订单): the order, its lines, the rows of the list and the list query."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from domain.procurement.amounts import LineAmounts, line_amounts, totals

NO_MONEY = Decimal("0.00")
NO_QUANTITY = Decimal("0.000")


class OrderStatus(StrEnum):
    """draft → pending approval → approved → sent → partly received → received → closed; rejected → draft;
    cancelled from draft, rejected, approved or sent while nothing was received."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    APPROVED = "approved"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def commits_budget(self) -> bool:
        """Approved orders hold their lines' gross on the budget until they are cancelled or closed."""
        return self in (OrderStatus.APPROVED, OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED)


@dataclass(frozen=True)
class OrderHeader:
    """The order's own terms as the buyer entered them, validated."""

    supplier_id: int
    title: str
    delivery_address: str
    payment_terms: str
    notes: str
    contract_id: int | None = None


@dataclass(frozen=True)
class LineInput:
    """One line as the buyer entered it, validated. `line_id` names a stored line being edited;
    `requisition_line_id` the approved requisition line it orders (None: a direct line)."""

    line_id: int | None
    requisition_line_id: int | None
    item: str
    specification: str
    quantity: Decimal
    unit: str
    unit_price: Decimal  # before tax
    tax_rate: int
    delivery_on: date | None
    budget_id: int | None
    row: int = 0  # the form row it came from, for messages next to its fields

    @property
    def amounts(self) -> LineAmounts:
        return line_amounts(self.quantity, self.unit_price, self.tax_rate)


@dataclass
class OrderLine:
    id: int | None
    position: int
    item: str
    specification: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    tax_rate: int
    delivery_on: date | None
    budget_id: int | None = None
    requisition_line_id: int | None = None
    net_amount: Decimal = NO_MONEY
    tax_amount: Decimal = NO_MONEY
    gross_amount: Decimal = NO_MONEY
    received_quantity: Decimal = NO_QUANTITY  # accepted + rejected, kept by the receiving module
    accepted_quantity: Decimal = NO_QUANTITY
    invoiced_quantity: Decimal = NO_QUANTITY

    @classmethod
    def of(cls, position: int, entered: LineInput) -> "OrderLine":
        """A line with its amounts computed half-up per line (domain.procurement.amounts)."""
        amounts = entered.amounts
        return cls(entered.line_id, position, entered.item, entered.specification, entered.quantity, entered.unit,
                   entered.unit_price, entered.tax_rate, entered.delivery_on, entered.budget_id,
                   entered.requisition_line_id, amounts.net, amounts.tax, amounts.gross)

    @property
    def amounts(self) -> LineAmounts:
        return LineAmounts(self.net_amount, self.tax_amount, self.gross_amount)


@dataclass
class PurchaseOrder:
    id: int | None
    number: str
    supplier_id: int
    title: str
    buyer_id: int
    department_id: int | None
    status: OrderStatus
    delivery_address: str
    payment_terms: str
    notes: str
    created_by: int
    created_at: datetime
    updated_at: datetime
    contract_id: int | None = None
    currency: str = "CNY"
    lines: list[OrderLine] = field(default_factory=list)
    net_total: Decimal = NO_MONEY
    tax_total: Decimal = NO_MONEY
    gross_total: Decimal = NO_MONEY
    sent_at: datetime | None = None
    closed_reason: str | None = None
    version: int = 1
    form_token: str | None = None

    def with_lines(self, lines: list[OrderLine]) -> "PurchaseOrder":
        """Take these lines and the totals they add up to (the sums of the lines' rounded amounts)."""
        total = totals(line.amounts for line in lines)
        self.lines, self.net_total, self.tax_total, self.gross_total = lines, total.net, total.tax, total.gross
        return self

    @property
    def header(self) -> OrderHeader:
        return OrderHeader(self.supplier_id, self.title, self.delivery_address, self.payment_terms, self.notes,
                           self.contract_id)

    @property
    def received_anything(self) -> bool:
        return any(line.received_quantity > 0 for line in self.lines)

    @property
    def invoiced_anything(self) -> bool:
        """True while an invoice that was not rejected bills one of the lines (rejecting releases its quantities)."""
        return any(line.invoiced_quantity > 0 for line in self.lines)


class OrderSummary(NamedTuple):
    """One row of the order list (read model; a tuple because a page builds fifty of them)."""

    id: int
    number: str
    title: str
    supplier_name: str
    gross_total: Decimal
    currency: str
    status: str
    buyer_name: str
    created_on: date


class OrderExportRow(NamedTuple):
    """One order as the list's export writes it: header, parties, amounts and how far its lines got."""

    number: str
    title: str
    supplier_name: str
    supplier_credit_code: str | None
    status: str
    buyer_name: str
    department_name: str | None
    contract_number: str | None
    currency: str
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    lines: int
    lines_received: int  # lines whose accepted quantity reached the ordered one
    lines_invoiced: int  # lines whose invoiced quantity reached the ordered one
    first_delivery_on: date | None
    sent_at: datetime | None
    created_at: datetime
    closed_reason: str | None


@dataclass(frozen=True)
class OrderListQuery:
    """Search, filters and keyset cursor of the order list (newest first), as parsed from the URL.

    `text` finds orders by number when it starts like one (`number_prefix`, the literal start of the numbering
    pattern, e.g. "PO-"): the exact number or every number it begins; otherwise by the exact number, a supplier
    whose name contains it, or a title that contains it."""

    text: str = ""
    status: OrderStatus | None = None
    supplier_id: int | None = None
    buyer_id: int | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50
    number_prefix: str = ""

    @property
    def searches_number(self) -> bool:
        prefix = self.number_prefix.upper()
        return bool(prefix) and len(self.text) > len(prefix) and self.text.upper().startswith(prefix)
