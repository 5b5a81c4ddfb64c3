"""SQL repository for purchase orders and their lines. The record scope is part of every order query."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from adapters.sqlalchemy.keyset import newest_first
from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import (
    contracts,
    departments,
    purchase_order_lines as pol,
    purchase_orders as po,
    suppliers,
    users,
)
from domain.identity.models import Actor
from domain.purchasing.models import (
    OrderExportRow,
    OrderLine,
    OrderListQuery,
    OrderStatus,
    OrderSummary,
    PurchaseOrder,
)
from domain.shared.paging import Page

_SUMMARY = select(po.c.id, po.c.number, po.c.title, suppliers.c.name.label("supplier_name"), po.c.gross_total,
                  po.c.currency, po.c.status, users.c.display_name.label("buyer_name"), po.c.created_at
                  ).join(suppliers, suppliers.c.id == po.c.supplier_id).join(users, users.c.id == po.c.buyer_id)
_EXPORT = select(po.c.id, po.c.number, po.c.title, suppliers.c.name.label("supplier_name"),
                 suppliers.c.credit_code, po.c.status, users.c.display_name.label("buyer_name"),
                 departments.c.name.label("department_name"), contracts.c.number.label("contract_number"),
                 po.c.currency, po.c.net_total, po.c.tax_total, po.c.gross_total, po.c.sent_at, po.c.created_at,
                 po.c.closed_reason).join(suppliers, suppliers.c.id == po.c.supplier_id).join(
    users, users.c.id == po.c.buyer_id).outerjoin(departments, departments.c.id == po.c.department_id).outerjoin(
    contracts, contracts.c.id == po.c.contract_id)
_SLACK = Decimal("0.0005")  # SQLite adds NUMERIC as doubles: half a thousandth below the ordered quantity is reached
_PROGRESS = select(pol.c.order_id, func.count(),
                   func.sum(case((pol.c.accepted_quantity + _SLACK >= pol.c.quantity, 1), else_=0)),
                   func.sum(case((pol.c.invoiced_quantity + _SLACK >= pol.c.quantity, 1), else_=0)),
                   func.min(pol.c.delivery_on)).group_by(pol.c.order_id)
_HITS = 2000  # beyond this many hits, walking the list in order stops sooner than sorting the hits
_SUPPLIER_HITS = 200  # suppliers whose name contains the term, as a list of ids (more: a subquery)
_TITLE_HITS = text("SELECT rowid FROM purchase_orders_fts WHERE purchase_orders_fts MATCH :q LIMIT :cap")
_LAST = "\U0010ffff"  # sorts after every character: the upper bound of a prefix range


def order_scope(actor: Actor) -> ColumnElement[bool]:
    """The rows of `purchase_orders` the actor may see (receipts and invoices follow their order)."""
    return record_scope(actor, "purchase_order", po.c.buyer_id, po.c.department_id)


class SqlPurchaseOrderRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, order: PurchaseOrder) -> int:
        values = _values(order) | {"number": order.number, "buyer_id": order.buyer_id,
                                   "department_id": order.department_id, "created_by": order.created_by,
                                   "created_at": order.created_at, "form_token": order.form_token}
        order.id = int(self._db.execute(insert(po).values(values).returning(po.c.id)).scalar_one())
        for line in order.lines:
            line.id = self._insert_line(order.id, line)
        return order.id

    def get(self, order_id: int, actor: Actor, *, lock: bool = False) -> PurchaseOrder | None:
        statement = select(po).where(po.c.id == order_id, order_scope(actor))
        return self._one(statement.with_for_update(of=po) if lock else statement)

    def get_unscoped(self, order_id: int) -> PurchaseOrder | None:
        return self._one(select(po).where(po.c.id == order_id))

    def get_by_form_token(self, form_token: str) -> PurchaseOrder | None:
        return self._one(select(po).where(po.c.form_token == form_token))

    def update(self, order: PurchaseOrder, expected_version: int) -> bool:
        result = self._db.execute(update(po).where(po.c.id == order.id, po.c.version == expected_version)
                                  .values(_values(order)))
        return result.rowcount == 1

    def replace_lines(self, order: PurchaseOrder) -> None:
        order_id = order.id or 0
        kept = [line.id for line in order.lines if line.id is not None]
        self._db.execute(delete(pol).where(pol.c.order_id == order_id, pol.c.id.not_in(kept)))
        # Positions are unique per order: move the kept lines out of the way before renumbering them.
        self._db.execute(update(pol).where(pol.c.order_id == order_id).values(position=-pol.c.id))
        for line in order.lines:
            if line.id is None:
                line.id = self._insert_line(order_id, line)
            else:
                self._db.execute(update(pol).where(pol.c.id == line.id, pol.c.order_id == order_id)
                                 .values(_line_values(line)))

    def search(self, query: OrderListQuery, actor: Actor) -> Page[OrderSummary]:
        statement = self._filtered(_SUMMARY.where(order_scope(actor)), query)
        return newest_first(self._db, statement, po.c.created_at, po.c.id, query.after, query.before,
                           query.per_page, _summary)

    def export_rows(self, query: OrderListQuery, actor: Actor) -> Page[OrderExportRow]:
        statement = self._filtered(_EXPORT.where(order_scope(actor)), query)
        page = newest_first(self._db, statement, po.c.created_at, po.c.id, query.after, query.before, query.per_page,
                            lambda row: row)
        ids = [row.id for row in page.items]
        progress = {row[0]: row[1:] for row in self._db.execute(_PROGRESS.where(pol.c.order_id.in_(ids)))} \
            if ids else {}
        return Page([_export_row(row, progress.get(row.id, (0, 0, 0, None))) for row in page.items],
                    page.next_cursor, page.prev_cursor)

    def of_supplier(self, supplier_id: int, actor: Actor, limit: int) -> list[OrderSummary]:
        rows = self._db.execute(_SUMMARY.where(po.c.supplier_id == supplier_id, order_scope(actor))
                                .order_by(po.c.created_at.desc(), po.c.id.desc()).limit(limit))
        return [_summary(row) for row in rows]

    def _one(self, statement: Select[Any]) -> PurchaseOrder | None:
        row = self._db.execute(statement).first()
        if row is None:
            return None
        lines = self._db.execute(select(pol).where(pol.c.order_id == row.id).order_by(pol.c.position))
        return _order(row, [_line(line) for line in lines])

    def _insert_line(self, order_id: int, line: OrderLine) -> int:
        values = _line_values(line) | {"order_id": order_id, "requisition_line_id": line.requisition_line_id}
        return int(self._db.execute(insert(pol).values(values).returning(pol.c.id)).scalar_one())

    def _filtered(self, statement: Select[Any], query: OrderListQuery) -> Select[Any]:
        if query.status:
            statement = statement.where(po.c.status == query.status.value)
        if query.supplier_id:
            statement = statement.where(po.c.supplier_id == query.supplier_id)
        if query.buyer_id:
            statement = statement.where(po.c.buyer_id == query.buyer_id)
        if query.text:
            statement = statement.where(self._number_match(query.text.upper()) if query.searches_number
                                        else self._text_match(query.text))
        return statement

    def _number_match(self, prefix: str) -> ColumnElement[bool]:
        """An exact number or a number prefix: few hits come from the number's index, many from the list's."""
        starts = po.c.number.startswith(prefix, autoescape=True)
        in_range = and_(po.c.number >= prefix, po.c.number < prefix + _LAST, starts)
        probe = select(po.c.id).where(in_range).limit(_HITS + 1).subquery()
        hits = self._db.execute(select(func.count()).select_from(probe)).scalar_one()
        return in_range if hits <= _HITS else starts

    def _text_match(self, term: str) -> ColumnElement[bool]:
        """The exact number, a supplier whose name contains the term (its ids resolved first), or the title.

        Few hits are read through indexes (the title's trigram index, the supplier index, the number) and sorted;
        many are found by walking the list in order, which then stops after a page. No search scans the table
        for long, except two-character terms rare in titles on SQLite (trigrams need three characters).
        """
        number = po.c.number == term.upper()
        names = select(suppliers.c.id).where(suppliers.c.name.icontains(term, autoescape=True))
        ids = list(self._db.execute(names.limit(_SUPPLIER_HITS + 1)).scalars())
        if self._db.dialect.name != "sqlite":  # pg_trgm serves ILIKE; the planner chooses with its statistics
            by_supplier = po.c.supplier_id.in_(ids if len(ids) <= _SUPPLIER_HITS else names)
            return or_(number, by_supplier, po.c.title.icontains(term, autoescape=True))
        titles = self._title_hits(term)
        if titles is not None and len(ids) <= _SUPPLIER_HITS and len(titles) + self._orders_of(ids) <= _HITS:
            return or_(number, po.c.id.in_(titles), po.c.supplier_id.in_(ids))
        walked = (po.c.supplier_id + 0).in_(ids if len(ids) <= _SUPPLIER_HITS else names)  # + 0: no index
        return or_(number, walked, po.c.title.contains(term, autoescape=True))  # LIKE ignores ASCII case

    def _title_hits(self, term: str) -> list[int] | None:
        """Ids of the orders whose title contains the term (trigram index), or None when there are too many to
        sort or the term is shorter than a trigram."""
        if len(term) < 3:
            return None
        phrase = '"' + term.replace('"', '""') + '"'
        hits = list(self._db.execute(_TITLE_HITS, {"q": phrase, "cap": _HITS + 1}).scalars())
        return hits if len(hits) <= _HITS else None

    def _orders_of(self, supplier_ids: list[int]) -> int:
        """How many orders the suppliers have, counted up to one more than a sortable number."""
        if not supplier_ids:
            return 0
        probe = select(po.c.id).where(po.c.supplier_id.in_(supplier_ids)).limit(_HITS + 1).subquery()
        return int(self._db.execute(select(func.count()).select_from(probe)).scalar_one())


def _summary(row: Row[Any]) -> OrderSummary:
    id_, number, title, supplier, gross, currency, status, buyer, created = row
    return OrderSummary(id_, number, title, supplier, gross, currency, status, buyer, created.date())


def _export_row(row: Row[Any], progress: Sequence[Any]) -> OrderExportRow:
    lines, received, invoiced, first_delivery = progress
    return OrderExportRow(row.number, row.title, row.supplier_name, row.credit_code, row.status, row.buyer_name,
                          row.department_name, row.contract_number, row.currency, row.net_total, row.tax_total,
                          row.gross_total, int(lines), int(received or 0), int(invoiced or 0), first_delivery,
                          row.sent_at, row.created_at, row.closed_reason)


def _values(order: PurchaseOrder) -> dict[str, Any]:
    return {"supplier_id": order.supplier_id, "title": order.title, "contract_id": order.contract_id,
            "currency": order.currency, "net_total": order.net_total, "tax_total": order.tax_total,
            "gross_total": order.gross_total, "status": order.status.value,
            "delivery_address": order.delivery_address, "payment_terms": order.payment_terms, "notes": order.notes,
            "sent_at": order.sent_at, "closed_reason": order.closed_reason, "updated_at": order.updated_at,
            "version": order.version}


def _line_values(line: OrderLine) -> dict[str, Any]:
    return {"position": line.position, "budget_id": line.budget_id, "item": line.item,
            "specification": line.specification, "quantity": line.quantity, "unit": line.unit,
            "unit_price": line.unit_price, "tax_rate": line.tax_rate, "net_amount": line.net_amount,
            "tax_amount": line.tax_amount, "gross_amount": line.gross_amount, "delivery_on": line.delivery_on}


def _line(row: Row[Any]) -> OrderLine:
    return OrderLine(row.id, row.position, row.item, row.specification, row.quantity, row.unit, row.unit_price,
                     row.tax_rate, row.delivery_on, row.budget_id, row.requisition_line_id, row.net_amount,
                     row.tax_amount, row.gross_amount, row.received_quantity, row.accepted_quantity,
                     row.invoiced_quantity)


def _order(row: Row[Any], lines: list[OrderLine]) -> PurchaseOrder:
    return PurchaseOrder(row.id, row.number, row.supplier_id, row.title, row.buyer_id, row.department_id,
                         OrderStatus(row.status), row.delivery_address, row.payment_terms, row.notes, row.created_by,
                         row.created_at, row.updated_at, row.contract_id, row.currency, lines, row.net_total,
                         row.tax_total, row.gross_total, row.sent_at, row.closed_reason, row.version, row.form_token)
