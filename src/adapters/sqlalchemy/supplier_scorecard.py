"""The scorecard's counts, read straight from receipts, order lines and invoices (tables other modules fill)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, Numeric, case, func, select, type_coerce

from adapters.sqlalchemy.tables import (
    goods_receipt_lines,
    goods_receipts,
    purchase_order_lines,
    purchase_orders,
    supplier_invoice_lines,
    supplier_invoices,
)
from domain.invoicing.models import InvoiceStatus
from domain.suppliers.scorecard import ScorecardCounts

_receipt, _line, _order, _ordered = goods_receipts.c, goods_receipt_lines.c, purchase_orders.c, purchase_order_lines.c
_invoice, _invoiced = supplier_invoices.c, supplier_invoice_lines.c
_VALUE = Numeric(30, 7)  # unit price (4 decimals) × quantity (3 decimals), exact


class SqlSupplierScorecardReader:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def counts(self, supplier_id: int, start: date, end: date) -> ScorecardCounts:
        lines, dated, on_time, received, rejected = self._receipts(supplier_id, start, end)
        invoice_lines, invoiced_net, ordered_value = self._invoices(supplier_id, start, end)
        return ScorecardCounts(lines, dated, on_time, _decimal(received), _decimal(rejected), invoice_lines,
                               _decimal(invoiced_net), _decimal(ordered_value))

    def _receipts(self, supplier_id: int, start: date, end: date) -> tuple[int, int, int, object, object]:
        on_time = case((_receipt.received_on <= _ordered.delivery_on, 1), else_=0)  # NULL delivery dates: 0
        row = self._db.execute(
            select(func.count(), func.count(_ordered.delivery_on), func.coalesce(func.sum(on_time), 0),
                   func.sum(_line.received_quantity), func.sum(_line.rejected_quantity))
            .select_from(goods_receipt_lines.join(goods_receipts, _receipt.id == _line.receipt_id)
                         .join(purchase_orders, _order.id == _receipt.order_id)
                         .join(purchase_order_lines, _ordered.id == _line.order_line_id))
            .where(_order.supplier_id == supplier_id, _receipt.received_on.between(start, end))).one()
        return int(row[0]), int(row[1]), int(row[2]), row[3], row[4]

    def _invoices(self, supplier_id: int, start: date, end: date) -> tuple[int, object, object]:
        ordered_value = type_coerce(_ordered.unit_price * _invoiced.quantity, _VALUE)
        row = self._db.execute(
            select(func.count(), func.sum(_invoiced.net_amount), func.sum(ordered_value))
            .select_from(supplier_invoice_lines.join(supplier_invoices, _invoice.id == _invoiced.invoice_id)
                         .join(purchase_order_lines, _ordered.id == _invoiced.order_line_id))
            .where(_invoice.supplier_id == supplier_id, _invoice.invoice_date.between(start, end),
                   _invoice.status != InvoiceStatus.REJECTED.value)).one()
        return int(row[0]), row[1], row[2]


def _decimal(value: object) -> Decimal:
    """A sum as an exact Decimal (SQLite hands back floats, already rounded to the column's scale)."""
    return Decimal(0) if value is None else Decimal(str(value))
