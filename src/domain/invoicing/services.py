"""Supplier invoices: the form's order, a live preview of amounts and match, recording an invoice (matched or into
the exception queue), the invoice list and page. Invoices follow their purchase order's record scope."""

from dataclasses import dataclass, replace
from datetime import datetime

from domain.audit.models import AuditEvent
from domain.contracts.reminders import local_today
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.invoicing.entry import CheckedInvoice, InvoiceEntry, TypedLine, check_invoice, read_lines
from domain.invoicing.errors import DuplicateInvoice
from domain.invoicing.lists import INVOICE_LIST
from domain.invoicing.matching import LineFacts, invoice_status, match_line
from domain.invoicing.models import (
    INVOICEABLE,
    InvoiceLine,
    InvoiceListQuery,
    InvoiceSummary,
    InvoiceView,
    LineMatch,
    OrderForInvoice,
    SupplierInvoice,
)
from domain.lists.models import Listed
from domain.lists.saved_views import visible_views
from domain.procurement.amounts import LineAmounts, totals
from domain.procurement.settings import current_tolerances
from domain.procurement.tolerances import Tolerances
from domain.shared.errors import InvalidTransition, NotFound
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Preview:
    """What the form would record now: each parsed line's amounts and match, the totals, and the errors so far."""

    order: OrderForInvoice
    lines: dict[int, tuple[LineAmounts, LineMatch]]
    totals: LineAmounts
    errors: dict[str, str]


def invoice_form(order_id: int, *, actor: Actor, uow: UnitOfWork) -> tuple[OrderForInvoice, Tolerances]:
    """The order to invoice (in scope, sent or later) and the tolerances in force."""
    require(actor, Permission.INVOICE_CREATE)
    with uow:
        return _invoiceable(order_id, actor, uow), current_tolerances(uow)


def choose_order(text: str, *, actor: Actor, uow: UnitOfWork) -> list[OrderForInvoice]:
    """Orders to record an invoice against, by order number or supplier name (the new invoice's first step)."""
    require(actor, Permission.INVOICE_CREATE)
    with uow:
        return uow.invoices.invoiceable_orders(text.strip()[:100], actor, 20)


def preview_invoice(order_id: int, entry: InvoiceEntry, *, actor: Actor, uow: UnitOfWork) -> Preview:
    """Amounts and match of the lines typed so far, against what the order shows now (nothing is stored)."""
    order, tolerances = invoice_form(order_id, actor=actor, uow=uow)
    lines, errors = read_lines(entry, order)
    matched = {line.line.id: (line.amounts, match_line(line.quantity, line.unit_price, line.tax_rate, LineFacts(
        line.line.accepted, line.line.invoiced, line.line.unit_price, line.line.tax_rate), tolerances))
        for line in lines}
    return Preview(order, matched, totals(line.amounts for line in lines), errors)


def record_invoice(order_id: int, entry: InvoiceEntry, *, actor: Actor, uow: UnitOfWork,
                   clock: Clock) -> SupplierInvoice:
    """Record a supplier invoice against an order, match every line, bill the order lines, audit it.

    The number is unique per supplier (DuplicateInvoice names the one recorded already). A repeated
    `form_token` returns the invoice it recorded already."""
    require(actor, Permission.INVOICE_CREATE)
    now = clock.now()
    with uow:
        twin = uow.invoices.by_form_token(entry.form_token) if entry.form_token else None
        if twin is not None and twin.recorded_by == actor.user_id:
            return twin
        order = _invoiceable(order_id, actor, uow, lock=True)
        checked = check_invoice(entry, order, local_today(clock))
        existing = uow.invoices.id_by_number(order.supplier_id, checked.number)
        if existing is not None:
            raise DuplicateInvoice(existing)
        tolerances = current_tolerances(uow)
        lines = tuple(_billed(line, tolerances, uow) for line in checked.lines)
        invoice = _new_invoice(order, checked, lines, actor, now, entry.form_token)
        invoice = replace(invoice, id=uow.invoices.add(invoice))
        uow.audit.append(AuditEvent("supplier_invoice.recorded", now, actor.user_id, actor.ip, "supplier_invoice",
                                    str(invoice.id), None, audited(invoice, order.number)))
        uow.commit()
    return invoice


def get_invoice(invoice_id: int, *, actor: Actor, uow: UnitOfWork) -> InvoiceView:
    """An invoice whose order is in the actor's scope, with its lines and their match; NotFound otherwise."""
    require(actor, Permission.INVOICE_READ)
    with uow:
        found = uow.invoices.get(invoice_id, actor)
    if found is None:
        raise NotFound()
    return found


def list_invoices(query: InvoiceListQuery, *, actor: Actor, uow: UnitOfWork,
                  with_views: bool = False) -> Listed[InvoiceSummary]:
    """One keyset page of the invoices of orders the actor may see, and (`with_views`) their saved views of the
    invoice list, in one read transaction."""
    require(actor, Permission.INVOICE_READ)
    with uow:
        return Listed(uow.invoices.search(query, actor), visible_views(INVOICE_LIST, actor, uow) if with_views else [])


def invoices_of_order(order_id: int, *, actor: Actor, uow: UnitOfWork,
                      per_page: int = 20) -> tuple[OrderForInvoice, Page[InvoiceSummary]]:
    """An order in scope with its latest invoices (the order page's section)."""
    require(actor, Permission.INVOICE_READ)
    with uow:
        order = uow.invoices.order_for_invoice(order_id, actor)
        if order is None:
            raise NotFound()
        return order, uow.invoices.search(InvoiceListQuery(order_id=order_id, per_page=per_page), actor)


def audited(invoice: SupplierInvoice, order_number: str) -> dict[str, object]:
    return {"number": invoice.number, "order": order_number, "supplier_id": invoice.supplier_id,
            "invoice_date": invoice.invoice_date.isoformat(), "net_total": f"{invoice.totals.net:.2f}",
            "tax_total": f"{invoice.totals.tax:.2f}", "gross_total": f"{invoice.totals.gross:.2f}",
            "status": invoice.status.value,
            "lines": [{"order_line_id": line.order_line_id, "quantity": str(line.quantity),
                       "unit_price": str(line.unit_price), "tax_rate": line.tax_rate,
                       "match_status": line.match.status.value} for line in invoice.lines]}


def _invoiceable(order_id: int, actor: Actor, uow: UnitOfWork, *, lock: bool = False) -> OrderForInvoice:
    order = uow.invoices.order_for_invoice(order_id, actor, lock=lock)
    if order is None:
        raise NotFound()
    if order.status not in INVOICEABLE:
        raise InvalidTransition("invoice.order_not_sent")
    return order


def _billed(line: TypedLine, tolerances: Tolerances, uow: UnitOfWork) -> InvoiceLine:
    facts = uow.invoices.bill_line(line.line.id, line.quantity)
    match = match_line(line.quantity, line.unit_price, line.tax_rate, facts, tolerances)
    return InvoiceLine(line.line.id, line.quantity, line.unit_price, line.tax_rate, line.amounts, match)


def _new_invoice(order: OrderForInvoice, checked: CheckedInvoice, lines: tuple[InvoiceLine, ...], actor: Actor,
                 now: datetime, form_token: str) -> SupplierInvoice:
    return SupplierInvoice(None, checked.number, order.supplier_id, order.id, checked.invoice_date, order.currency,
                           checked.totals, invoice_status(line.match for line in lines), actor.user_id, now, now,
                           lines, form_token=form_token or None)

