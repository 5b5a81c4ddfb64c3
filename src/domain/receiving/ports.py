"""Receiving ports."""

from datetime import datetime
from decimal import Decimal
from typing import Protocol

from domain.identity.models import Actor
from domain.purchasing.models import OrderStatus
from domain.receiving.models import (
    GoodsReceipt,
    OrderForReceipt,
    ReceiptDetail,
    ReceiptListQuery,
    ReceiptSummary,
)
from domain.shared.paging import Page


class ReceivingRepository(Protocol):
    """Goods receipts and the order quantities they move; every read for a person is limited to the record scope
    of the receipt's purchase order."""

    def order_for_receipt(self, order_id: int, actor: Actor, *, lock: bool = False) -> OrderForReceipt | None:
        """The order and its lines if the order is in the actor's scope, else None. `lock` holds the order row until
        the transaction ends, so receipts of one order queue and each sees the quantities the previous one left."""
        ...
    def by_form_token(self, form_token: str) -> GoodsReceipt | None:
        """The receipt a form made already (double submit), or None."""
        ...
    def add(self, receipt: GoodsReceipt) -> int:
        """Store the receipt with its lines; returns its id."""
        ...
    def receive_line(self, order_line_id: int, accepted: Decimal, rejected: Decimal, most_accepted: Decimal) -> bool:
        """Add to the line's accepted and received quantities in one conditional UPDATE, unless its accepted total
        would pass `most_accepted`; False (nothing written) then."""
        ...
    def set_order_status(self, order_id: int, status: OrderStatus, now: datetime) -> None:
        """Record the order's status after a receipt (its version moves on: the order changed)."""
        ...
    def get(self, receipt_id: int, actor: Actor) -> ReceiptDetail | None:
        """The receipt with its lines if its order is in the actor's scope, else None."""
        ...
    def search(self, query: ReceiptListQuery, actor: Actor) -> Page[ReceiptSummary]:
        """One keyset page, newest first, of the receipts of orders in the actor's scope that match the query."""
        ...
    def export_rows(self, query: ReceiptListQuery, actor: Actor) -> Page[ReceiptDetail]:
        """The same page as `search`, each receipt with its notes and lines (read for the page at once)."""
        ...
