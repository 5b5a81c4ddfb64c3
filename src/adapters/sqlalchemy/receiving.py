"""SQL repository for goods receipts and the order quantities they move. Receipts follow the record scope of
their purchase order; the order tables are read and updated here through receiving's own read models."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Select, exists, insert, or_, select, update

from adapters.sqlalchemy import keyset
from adapters.sqlalchemy.keyset import newest_first
from adapters.sqlalchemy.purchase_orders import order_scope
from adapters.sqlalchemy.tables import (
    goods_receipt_lines as grl,
    goods_receipts as gr,
    purchase_order_lines as pol,
    purchase_orders as po,
    suppliers,
    users,
)
from domain.identity.models import Actor
from domain.purchasing.models import OrderStatus
from domain.receiving.models import (
    GoodsReceipt,
    OrderForReceipt,
    OrderLineForReceipt,
    ReceiptDetail,
    ReceiptLine,
    ReceiptLineView,
    ReceiptListQuery,
    ReceiptSummary,
)
from domain.shared.paging import Page

# Every real quantity is a whole number of thousandths; SQLite adds NUMERIC as doubles, so compare with half a
# thousandth of slack (exact on PostgreSQL either way).
HALF_STEP = Decimal("0.0005")

_SUMMARY = select(
    gr.c.id, gr.c.number, gr.c.order_id, po.c.number.label("order_number"), suppliers.c.name.label("supplier_name"),
    gr.c.received_on, users.c.display_name.label("receiver_name"),
    exists().where(grl.c.receipt_id == gr.c.id, grl.c.rejected_quantity > 0).label("rejected"), gr.c.created_at,
).join(po, po.c.id == gr.c.order_id).join(suppliers, suppliers.c.id == po.c.supplier_id).join(
    users, users.c.id == gr.c.received_by)

_LINES = select(grl, pol.c.position, pol.c.item, pol.c.specification, pol.c.unit, pol.c.quantity).join(
    pol, pol.c.id == grl.c.order_line_id)



class SqlReceivingRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def order_for_receipt(self, order_id: int, actor: Actor, *, lock: bool = False) -> OrderForReceipt | None:
        statement = select(po.c.id, po.c.number, suppliers.c.name, po.c.status).join(
            suppliers, suppliers.c.id == po.c.supplier_id).where(po.c.id == order_id, order_scope(actor))
        row = self._db.execute(statement.with_for_update(of=po) if lock else statement).first()
        if row is None:
            return None
        lines = self._db.execute(select(pol).where(pol.c.order_id == order_id).order_by(pol.c.position))
        return OrderForReceipt(row.id, row.number, row.name, OrderStatus(row.status), tuple(
            OrderLineForReceipt(r.id, r.position, r.item, r.specification, r.unit, r.quantity, r.received_quantity,
                                r.accepted_quantity) for r in lines))

    def by_form_token(self, form_token: str) -> GoodsReceipt | None:
        row = self._db.execute(select(gr).where(gr.c.form_token == form_token)).first()
        if row is None:
            return None
        lines = self._db.execute(select(grl).where(grl.c.receipt_id == row.id).order_by(grl.c.id))
        return GoodsReceipt(row.id, row.number, row.order_id, row.received_on, row.received_by, row.notes,
                            row.created_at, tuple(ReceiptLine(r.order_line_id, r.received_quantity,
                                                              r.accepted_quantity, r.rejected_quantity,
                                                              r.rejection_reason) for r in lines), row.form_token)

    def add(self, receipt: GoodsReceipt) -> int:
        receipt_id = int(self._db.execute(insert(gr).values(
            number=receipt.number, order_id=receipt.order_id, received_on=receipt.received_on,
            received_by=receipt.received_by, notes=receipt.notes, created_at=receipt.created_at,
            form_token=receipt.form_token).returning(gr.c.id)).scalar_one())
        self._db.execute(insert(grl), [
            {"receipt_id": receipt_id, "order_line_id": line.order_line_id, "received_quantity": line.received,
             "accepted_quantity": line.accepted, "rejected_quantity": line.rejected,
             "rejection_reason": line.rejection_reason} for line in receipt.lines])
        return receipt_id

    def receive_line(self, order_line_id: int, accepted: Decimal, rejected: Decimal, most_accepted: Decimal) -> bool:
        # One conditional UPDATE: PostgreSQL re-checks the condition on the newest row version when writers queue,
        # SQLite runs it under the write lock, so two receipts can never together accept beyond the limit.
        result = self._db.execute(update(pol).where(
            pol.c.id == order_line_id, pol.c.accepted_quantity + accepted <= most_accepted + HALF_STEP,
        ).values(accepted_quantity=pol.c.accepted_quantity + accepted,
                 received_quantity=pol.c.received_quantity + accepted + rejected))
        return result.rowcount == 1

    def set_order_status(self, order_id: int, status: OrderStatus, now: datetime) -> None:
        self._db.execute(update(po).where(po.c.id == order_id).values(
            status=status.value, updated_at=now, version=po.c.version + 1))

    def get(self, receipt_id: int, actor: Actor) -> ReceiptDetail | None:
        row = self._db.execute(_SUMMARY.add_columns(gr.c.notes).where(gr.c.id == receipt_id,
                                                                      order_scope(actor))).first()
        if row is None:
            return None
        lines = self._db.execute(_LINES.where(grl.c.receipt_id == receipt_id).order_by(pol.c.position))
        return _detail(row, tuple(_line_view(r) for r in lines))

    def search(self, query: ReceiptListQuery, actor: Actor) -> Page[ReceiptSummary]:
        statement = _filtered(_SUMMARY.where(order_scope(actor)), query)
        return newest_first(self._db, statement, gr.c.created_at, gr.c.id, query.after, query.before,
                            query.per_page, _summary)

    def export_rows(self, query: ReceiptListQuery, actor: Actor) -> Page[ReceiptDetail]:
        statement = _filtered(_SUMMARY.add_columns(gr.c.notes).where(order_scope(actor)), query)
        page = keyset.newest_first(self._db, statement, gr.c.created_at, gr.c.id, query.after, query.before,
                                   query.per_page, lambda row: _detail(row, ()))
        lines: dict[int, list[ReceiptLineView]] = {receipt.id: [] for receipt in page.items}
        if lines:
            for row in self._db.execute(_LINES.where(grl.c.receipt_id.in_(lines)).order_by(grl.c.receipt_id,
                                                                                             pol.c.position)):
                lines[row.receipt_id].append(_line_view(row))
        return Page([replace(r, lines=tuple(lines[r.id])) for r in page.items], page.next_cursor, page.prev_cursor)


def _filtered(statement: Select[Any], query: ReceiptListQuery) -> Select[Any]:
    if query.order_id:
        statement = statement.where(gr.c.order_id == query.order_id)
    if query.received_from:
        statement = statement.where(gr.c.received_on >= query.received_from)
    if query.received_to:
        statement = statement.where(gr.c.received_on <= query.received_to)
    if query.rejected_only:
        statement = statement.where(exists().where(grl.c.receipt_id == gr.c.id, grl.c.rejected_quantity > 0))
    if query.text:
        number = query.text.upper()
        statement = statement.where(or_(gr.c.number == number, po.c.number == number,
                                        suppliers.c.name.icontains(query.text, autoescape=True)))
    return statement


def _summary(row: Row[Any]) -> ReceiptSummary:
    return ReceiptSummary(row.id, row.number, row.order_id, row.order_number, row.supplier_name, row.received_on,
                          row.receiver_name, bool(row.rejected), row.created_at)


def _detail(row: Row[Any], lines: tuple[ReceiptLineView, ...]) -> ReceiptDetail:
    return ReceiptDetail(row.id, row.number, row.order_id, row.order_number, row.supplier_name, row.received_on,
                         row.receiver_name, row.notes, row.created_at, lines)


def _line_view(row: Row[Any]) -> ReceiptLineView:
    return ReceiptLineView(row.position, row.item, row.specification, row.unit, row.quantity, row.received_quantity,
                           row.accepted_quantity, row.rejected_quantity, row.rejection_reason)
