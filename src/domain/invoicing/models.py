"""Supplier invoices (供应商发票) and their three-way match against order and receipts."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.procurement.amounts import LineAmounts
from domain.purchasing.models import OrderStatus


class InvoiceStatus(StrEnum):
    """An invoice is matched (ready to pay) when every line is within tolerance; otherwise it waits in the
    exception queue until finance accepts it (with a reason: ready to pay) or rejects it."""

    MATCHED = "matched"
    EXCEPTION = "exception"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def ready_to_pay(self) -> bool:
        return self in (InvoiceStatus.MATCHED, InvoiceStatus.ACCEPTED)


class MatchStatus(StrEnum):
    """The outcome of one invoice line's three-way match; a line with several problems keeps them all in its
    detail and shows the first (quantity before price before VAT)."""

    MATCHED = "matched"
    NOT_RECEIVED = "not_received"  # nothing accepted on the order line yet
    QUANTITY_OVER = "quantity_over"  # invoiced in total more than accepted, beyond the quantity tolerance
    PRICE_OVER = "price_over"  # unit price above the order's, beyond the price tolerance
    TAX_RATE = "tax_rate_mismatch"  # another VAT rate than the order's


# Orders an invoice may be recorded against: sent to the supplier (goods may follow the invoice), received, closed.
INVOICEABLE = frozenset({OrderStatus.SENT, OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED, OrderStatus.CLOSED})


@dataclass(frozen=True)
class LineMatch:
    """A line's match: its status, every problem found, and what was compared (JSON-safe strings)."""

    status: MatchStatus
    issues: tuple[MatchStatus, ...]
    detail: dict[str, Any]


@dataclass(frozen=True)
class OrderLineForInvoice:
    """An order line as invoicing needs it: what was ordered, accepted and invoiced so far, at which price."""

    id: int
    position: int
    item: str
    specification: str
    unit: str
    ordered: Decimal
    accepted: Decimal
    invoiced: Decimal  # on invoices not rejected
    unit_price: Decimal  # before tax
    tax_rate: int

    @property
    def uninvoiced(self) -> Decimal:
        """Accepted but not invoiced yet (never below zero): what the next invoice is expected to bill."""
        return max(self.accepted - self.invoiced, Decimal("0.000"))


@dataclass(frozen=True)
class OrderForInvoice:
    id: int
    number: str
    supplier_id: int
    supplier_name: str
    status: OrderStatus
    currency: str
    lines: tuple[OrderLineForInvoice, ...]

    def line(self, line_id: int) -> OrderLineForInvoice | None:
        return next((line for line in self.lines if line.id == line_id), None)


@dataclass(frozen=True)
class InvoiceLine:
    order_line_id: int
    quantity: Decimal
    unit_price: Decimal
    tax_rate: int
    amounts: LineAmounts
    match: LineMatch


@dataclass(frozen=True)
class SupplierInvoice:
    id: int | None
    number: str  # the supplier's invoice number, unique per supplier
    supplier_id: int
    order_id: int
    invoice_date: date
    currency: str
    totals: LineAmounts
    status: InvoiceStatus
    recorded_by: int
    created_at: datetime
    updated_at: datetime
    lines: tuple[InvoiceLine, ...] = ()
    resolution_reason: str | None = None
    resolved_by: int | None = None
    resolved_at: datetime | None = None
    version: int = 1
    form_token: str | None = None


@dataclass(frozen=True)
class InvoiceLineView:
    """An invoice line with its order line's item, for the invoice page and the exception queue."""

    order_line_id: int
    position: int
    item: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: int
    amounts: LineAmounts
    match: LineMatch


@dataclass(frozen=True)
class InvoiceView:
    """An invoice as people read it: names instead of ids, lines with their items."""

    invoice: SupplierInvoice
    supplier_name: str
    order_number: str
    recorder_name: str
    resolver_name: str
    lines: tuple[InvoiceLineView, ...]


@dataclass(frozen=True)
class InvoiceSummary:
    """One row of the invoice list (read model)."""

    id: int
    number: str
    supplier_name: str
    order_id: int
    order_number: str
    invoice_date: date
    gross_total: Decimal
    currency: str
    status: InvoiceStatus
    created_at: datetime


@dataclass(frozen=True)
class InvoiceListQuery:
    """Search, filters and keyset cursor of the invoice list (newest first), as parsed from the URL."""

    text: str = ""
    status: InvoiceStatus | None = None
    ready_to_pay: bool = False
    order_id: int | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50
