"""Goods receipts (收货单): what arrived against a purchase order, line by line.

Per order line a receipt records what was received, what was accepted and what was rejected (accepted +
rejected = received). Rejected goods go back to the supplier, so they never count against the order: what is
still outstanding is ordered − accepted, and the over-receipt tolerance limits the accepted total only.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from domain.purchasing.models import OrderStatus


@dataclass(frozen=True)
class OrderLineForReceipt:
    """An order line as the receipt form and the over-receipt check need it."""

    id: int
    position: int
    item: str
    specification: str
    unit: str
    ordered: Decimal
    received: Decimal  # accepted + rejected, over every receipt so far
    accepted: Decimal

    @property
    def outstanding(self) -> Decimal:
        """What the supplier still owes: ordered − accepted (never below zero)."""
        return max(self.ordered - self.accepted, Decimal("0.000"))

    @property
    def open(self) -> bool:
        return self.outstanding > 0


@dataclass(frozen=True)
class OrderForReceipt:
    """A purchase order seen from the receiving dock: header facts and its lines in position order."""

    id: int
    number: str
    supplier_name: str
    status: OrderStatus
    lines: tuple[OrderLineForReceipt, ...]

    def line(self, line_id: int) -> OrderLineForReceipt | None:
        return next((line for line in self.lines if line.id == line_id), None)

    @property
    def open_lines(self) -> list[OrderLineForReceipt]:
        return [line for line in self.lines if line.open]

    @property
    def fully_received(self) -> bool:
        """Every line has accepted at least what was ordered."""
        return all(line.accepted >= line.ordered for line in self.lines)


@dataclass(frozen=True)
class ReceiptLine:
    order_line_id: int
    received: Decimal
    accepted: Decimal
    rejected: Decimal
    rejection_reason: str = ""


@dataclass(frozen=True)
class GoodsReceipt:
    id: int | None
    number: str
    order_id: int
    received_on: date
    received_by: int
    notes: str
    created_at: datetime
    lines: tuple[ReceiptLine, ...]
    form_token: str | None = None


@dataclass(frozen=True)
class ReceiptLineView:
    """A receipt line with its order line's item, for the receipt page."""

    position: int
    item: str
    specification: str
    unit: str
    ordered: Decimal
    received: Decimal
    accepted: Decimal
    rejected: Decimal
    rejection_reason: str


@dataclass(frozen=True)
class ReceiptDetail:
    id: int
    number: str
    order_id: int
    order_number: str
    supplier_name: str
    received_on: date
    receiver_name: str
    notes: str
    created_at: datetime
    lines: tuple[ReceiptLineView, ...]


@dataclass(frozen=True)
class ReceiptSummary:
    """One row of the receipt list (read model)."""

    id: int
    number: str
    order_id: int
    order_number: str
    supplier_name: str
    received_on: date
    receiver_name: str
    rejected: bool  # something on it was rejected
    created_at: datetime


@dataclass(frozen=True)
class ReceiptListQuery:
    """Search, filters and keyset cursor of the receipt list (newest first), as parsed from the URL."""

    text: str = ""
    order_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    rejected_only: bool = False
    after: str | None = None
    before: str | None = None
    per_page: int = 50
