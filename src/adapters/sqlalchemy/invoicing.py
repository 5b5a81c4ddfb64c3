"""SQL repository for supplier invoices and the invoiced quantities of order lines. Invoices follow the record
scope of their purchase order."""

from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from adapters.sqlalchemy import keyset
from adapters.sqlalchemy.keyset import newest_first, oldest_first
from adapters.sqlalchemy.purchase_orders import order_scope
from adapters.sqlalchemy.scope import bound_scope, scope_shape, scope_values
from adapters.sqlalchemy.tables import (
    purchase_order_lines as pol,
    purchase_orders as po,
    supplier_invoice_lines as sil,
    supplier_invoices as si,
    suppliers,
    users,
)
from domain.identity.models import Actor
from domain.invoicing.matching import LineFacts, line_match
from domain.invoicing.models import (
    INVOICEABLE,
    InvoiceLine,
    InvoiceLineView,
    InvoiceListQuery,
    InvoiceStatus,
    InvoiceSummary,
    InvoiceView,
    OrderForInvoice,
    OrderLineForInvoice,
    SupplierInvoice,
)
from domain.procurement.amounts import LineAmounts
from domain.purchasing.models import OrderStatus
from domain.shared.paging import Page

resolver = aliased(users)
_ORDER = select(po.c.id, po.c.number, po.c.supplier_id, suppliers.c.name.label("supplier_name"), po.c.status,
                po.c.currency).join(suppliers, suppliers.c.id == po.c.supplier_id)
_HEADER = select(si, suppliers.c.name.label("supplier_name"), po.c.number.label("order_number"),
                 users.c.display_name.label("recorder_name"), resolver.c.display_name.label("resolver_name")).join(
    po, po.c.id == si.c.order_id).join(suppliers, suppliers.c.id == si.c.supplier_id).join(
    users, users.c.id == si.c.recorded_by).outerjoin(resolver, resolver.c.id == si.c.resolved_by)
_SUMMARY = select(si.c.id, si.c.number, suppliers.c.name.label("supplier_name"), si.c.order_id,
                  po.c.number.label("order_number"), si.c.invoice_date, si.c.gross_total, si.c.currency, si.c.status,
                  si.c.created_at).join(po, po.c.id == si.c.order_id).join(
    suppliers, suppliers.c.id == si.c.supplier_id)
_LINES = select(sil, pol.c.position, pol.c.item, pol.c.unit).join(pol, pol.c.id == sil.c.order_line_id)
READY = (InvoiceStatus.MATCHED.value, InvoiceStatus.ACCEPTED.value)


class SqlInvoiceRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def order_for_invoice(self, order_id: int, actor: Actor, *, lock: bool = False) -> OrderForInvoice | None:
        statement = _ORDER.where(po.c.id == order_id, order_scope(actor))
        row = self._db.execute(statement.with_for_update(of=po) if lock else statement).first()
        if row is None:
            return None
        lines = self._db.execute(select(pol).where(pol.c.order_id == order_id).order_by(pol.c.position))
        return _order(row, tuple(OrderLineForInvoice(
            r.id, r.position, r.item, r.specification, r.unit, r.quantity, r.accepted_quantity, r.invoiced_quantity,
            r.unit_price, r.tax_rate) for r in lines))

    def invoiceable_orders(self, text: str, actor: Actor, limit: int) -> list[OrderForInvoice]:
        statement = _ORDER.where(order_scope(actor), po.c.status.in_([s.value for s in INVOICEABLE]))
        if text:
            statement = statement.where(or_(po.c.number == text.upper(),
                                            suppliers.c.name.icontains(text, autoescape=True)))
        rows = self._db.execute(statement.order_by(po.c.created_at.desc(), po.c.id.desc()).limit(limit))
        return [_order(row, ()) for row in rows]

    def id_by_number(self, supplier_id: int, number: str) -> int | None:
        return self._db.execute(select(si.c.id).where(si.c.supplier_id == supplier_id,
                                                      si.c.number == number)).scalar()

    def by_form_token(self, form_token: str) -> SupplierInvoice | None:
        row = self._db.execute(_HEADER.where(si.c.form_token == form_token)).first()
        return self._views([row])[0].invoice if row else None

    def add(self, invoice: SupplierInvoice) -> int:
        invoice_id = int(self._db.execute(insert(si).values(
            number=invoice.number, supplier_id=invoice.supplier_id, order_id=invoice.order_id,
            invoice_date=invoice.invoice_date, currency=invoice.currency, net_total=invoice.totals.net,
            tax_total=invoice.totals.tax, gross_total=invoice.totals.gross, status=invoice.status.value,
            recorded_by=invoice.recorded_by, created_at=invoice.created_at, updated_at=invoice.updated_at,
            version=invoice.version, form_token=invoice.form_token).returning(si.c.id)).scalar_one())
        self._db.execute(insert(sil), [
            {"invoice_id": invoice_id, "order_line_id": line.order_line_id, "quantity": line.quantity,
             "unit_price": line.unit_price, "tax_rate": line.tax_rate, "net_amount": line.amounts.net,
             "tax_amount": line.amounts.tax, "gross_amount": line.amounts.gross,
             "match_status": line.match.status.value, "match_detail": line.match.detail} for line in invoice.lines])
        return invoice_id

    def bill_line(self, order_line_id: int, quantity: Decimal) -> LineFacts:
        # One atomic UPDATE … RETURNING: writers of the same line queue on its row (PostgreSQL) or the write lock
        # (SQLite), and each sees the total the previous one left.
        row = self._db.execute(update(pol).where(pol.c.id == order_line_id).values(
            invoiced_quantity=pol.c.invoiced_quantity + quantity).returning(
            pol.c.invoiced_quantity, pol.c.accepted_quantity, pol.c.unit_price, pol.c.tax_rate)).one()
        return LineFacts(row.accepted_quantity, row.invoiced_quantity - quantity, row.unit_price, row.tax_rate)

    def get(self, invoice_id: int, actor: Actor) -> InvoiceView | None:
        row = self._db.execute(_HEADER.where(si.c.id == invoice_id, order_scope(actor))).first()
        return self._views([row])[0] if row else None

    def resolve(self, invoice: SupplierInvoice, expected_version: int) -> bool:
        result = self._db.execute(update(si).where(si.c.id == invoice.id, si.c.version == expected_version).values(
            status=invoice.status.value, resolution_reason=invoice.resolution_reason,
            resolved_by=invoice.resolved_by, resolved_at=invoice.resolved_at, updated_at=invoice.updated_at,
            version=invoice.version))
        return result.rowcount == 1

    def search(self, query: InvoiceListQuery, actor: Actor) -> Page[InvoiceSummary]:
        statement = _filtered(_SUMMARY.where(order_scope(actor)), query)
        return newest_first(self._db, statement, si.c.created_at, si.c.id, query.after, query.before,
                            query.per_page, _summary)

    def export_rows(self, query: InvoiceListQuery, actor: Actor) -> Page[InvoiceView]:
        statement = _filtered(_HEADER.where(order_scope(actor)), query)
        page = keyset.newest_first(self._db, statement, si.c.created_at, si.c.id, query.after, query.before,
                                   query.per_page, lambda row: row)
        return Page(self._views(page.items), page.next_cursor, page.prev_cursor)

    def exceptions(self, after: str | None, limit: int, actor: Actor) -> list[InvoiceView]:
        statement = _HEADER.where(si.c.status == InvoiceStatus.EXCEPTION.value, order_scope(actor))
        rows = list(self._db.execute(oldest_first(statement, si.c.created_at, si.c.id, after).limit(limit)))
        return self._views(rows)

    def exception_count(self, actor: Actor, cap: int) -> int:
        statement = _exception_count(scope_shape(actor, "purchase_order"), cap)
        return int(self._db.execute(statement, scope_values(actor)).scalar_one())

    def _views(self, rows: list[Row[Any]]) -> list[InvoiceView]:
        """Headers with their lines, read in one query for all of them."""
        lines: dict[int, list[Row[Any]]] = {row.id: [] for row in rows}
        if lines:
            for line in self._db.execute(_LINES.where(sil.c.invoice_id.in_(lines)).order_by(pol.c.position)):
                lines[line.invoice_id].append(line)
        return [_view(row, lines[row.id]) for row in rows]


def _filtered(statement: Select[Any], query: InvoiceListQuery) -> Select[Any]:
    if query.status:
        statement = statement.where(si.c.status == query.status.value)
    if query.ready_to_pay:
        statement = statement.where(si.c.status.in_(READY))
    if query.order_id:
        statement = statement.where(si.c.order_id == query.order_id)
    if query.text:
        number = query.text.upper()
        statement = statement.where(or_(si.c.number == number, po.c.number == number,
                                        suppliers.c.name.icontains(query.text, autoescape=True)))
    return statement


def _order(row: Row[Any], lines: tuple[OrderLineForInvoice, ...]) -> OrderForInvoice:
    return OrderForInvoice(row.id, row.number, row.supplier_id, row.supplier_name, OrderStatus(row.status),
                           row.currency, lines)


def _summary(row: Row[Any]) -> InvoiceSummary:
    return InvoiceSummary(row.id, row.number, row.supplier_name, row.order_id, row.order_number, row.invoice_date,
                          row.gross_total, row.currency, InvoiceStatus(row.status), row.created_at)


def _view(row: Row[Any], lines: list[Row[Any]]) -> InvoiceView:
    views = tuple(InvoiceLineView(
        r.order_line_id, r.position, r.item, r.unit, r.quantity, r.unit_price, r.tax_rate,
        LineAmounts(r.net_amount, r.tax_amount, r.gross_amount), line_match(r.match_status, r.match_detail))
        for r in lines)
    invoice = SupplierInvoice(
        row.id, row.number, row.supplier_id, row.order_id, row.invoice_date, row.currency,
        LineAmounts(row.net_total, row.tax_total, row.gross_total), InvoiceStatus(row.status), row.recorded_by,
        row.created_at, row.updated_at,
        tuple(InvoiceLine(v.order_line_id, v.quantity, v.unit_price, v.tax_rate, v.amounts, v.match) for v in views),
        row.resolution_reason, row.resolved_by, row.resolved_at, row.version, row.form_token)
    return InvoiceView(invoice, row.supplier_name, row.order_number, row.recorder_name, row.resolver_name or "", views)


@cache
def _exception_count(shape: str, cap: int) -> Select[Any]:
    """The navigation's count (every full page) of one scope shape, built once (see bound_scope)."""
    waiting = select(si.c.id).join(po, po.c.id == si.c.order_id).where(
        si.c.status == InvoiceStatus.EXCEPTION.value, bound_scope(shape, po.c.buyer_id, po.c.department_id)
    ).limit(cap).subquery()
    return select(func.count()).select_from(waiting)
