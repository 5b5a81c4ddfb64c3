"""The exception queue: invoices whose match failed wait here, oldest first, until finance accepts one (with a
reason: it becomes ready to pay) or rejects it (with a reason: its invoiced quantities are released, so a corrected
invoice can bill them). Whoever recorded an invoice may reject it but not accept it (four eyes on paying more)."""

import unicodedata
from dataclasses import replace

from domain.audit.models import AuditEvent
from domain.identity.access import require, require_not_creator
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.invoicing.models import InvoiceStatus, InvoiceView, SupplierInvoice
from domain.shared.errors import InvalidTransition, NotFound, StaleVersion, ValidationFailed
from domain.shared.paging import Page, encode_cursor
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

PER_PAGE = 20
REASON_MAX = 1000


def exception_queue(after: str | None, *, actor: Actor, uow: UnitOfWork) -> Page[InvoiceView]:
    """One page of the invoices in exception the actor may see, oldest first, each with its lines' mismatches."""
    require(actor, Permission.INVOICE_RESOLVE)
    with uow:
        rows = uow.invoices.exceptions(after, PER_PAGE + 1, actor)
    items = rows[:PER_PAGE]
    return Page(items, _cursor(items[-1]) if len(rows) > PER_PAGE else None, None)


def resolve_invoice(invoice_id: int, accept: bool, reason: str, expected_version: int, *, actor: Actor,
                    uow: UnitOfWork, clock: Clock) -> SupplierInvoice:
    """Accept (ready to pay) or reject an invoice in exception, with a reason; audited.

    InvalidTransition when it is no longer in exception, StaleVersion when it changed since the page was read,
    SegregationOfDuties when the actor recorded the invoice and would accept it."""
    require(actor, Permission.INVOICE_RESOLVE)
    reason = _reason(reason)
    now = clock.now()
    with uow:
        found = uow.invoices.get(invoice_id, actor)
        if found is None:
            raise NotFound()
        invoice = found.invoice
        if invoice.status is not InvoiceStatus.EXCEPTION:
            raise InvalidTransition("invoice.not_exception")
        if invoice.version != expected_version:
            raise StaleVersion(invoice.version)
        if accept:
            require_not_creator(actor, invoice.recorded_by)
        resolved = replace(invoice, status=InvoiceStatus.ACCEPTED if accept else InvoiceStatus.REJECTED,
                           resolution_reason=reason, resolved_by=actor.user_id, resolved_at=now, updated_at=now,
                           version=invoice.version + 1)
        if not uow.invoices.resolve(resolved, expected_version):
            raise StaleVersion(expected_version + 1)
        if not accept:
            for line in invoice.lines:
                uow.invoices.bill_line(line.order_line_id, -line.quantity)
        uow.audit.append(AuditEvent(f"supplier_invoice.{resolved.status.value}", now, actor.user_id, actor.ip,
                                    "supplier_invoice", str(invoice.id), {"status": invoice.status.value},
                                    {"status": resolved.status.value, "reason": reason}))
        uow.commit()
    return resolved


def _reason(text: str) -> str:
    reason = unicodedata.normalize("NFC", text or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "invoice.reason_required"})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": "too_long"})
    return reason


def _cursor(item: InvoiceView) -> str:
    return encode_cursor((item.invoice.created_at.isoformat(), item.invoice.id or 0))
