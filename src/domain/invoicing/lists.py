"""The supplier invoice list's registration with the list tools: saved views and export (no bulk actions:
resolving exceptions needs a reason per invoice and the four-eyes rule, in the exception queue).

Views keep the search and the status, "only ready to pay" and order filters; they need invoice.read like the
list (invoices follow their order's scope). The export needs purchase.export plus a fresh sign-in and is
audited as supplier_invoice.exported.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.identity.permissions import Permission
from domain.invoicing.models import InvoiceListQuery, InvoiceStatus, InvoiceView, MatchStatus
from domain.lists.cells import amount, day
from domain.lists.models import ListSpec
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec, filter_id
from domain.unit_of_work import UnitOfWork

INVOICE_LIST = ListSpec("invoices", Permission.INVOICE_READ, ("q", "status", "ready", "order"))
COLUMNS = ("number", "invoice_date", "supplier", "order", "status", "ready_to_pay", "currency", "net_total",
           "tax_total", "gross_total", "lines", "lines_off", "recorded_by", "recorded_on", "resolution_reason",
           "resolved_by", "resolved_on")


def filters_of(query: InvoiceListQuery) -> dict[str, Any]:
    """The list query's filters as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "status": query.status.value if query.status else None,
            "ready_to_pay": query.ready_to_pay, "order_id": query.order_id}


def query_of(filters: Mapping[str, Any], per_page: int) -> InvoiceListQuery:
    """The list query back from `filters_of`, values checked again."""
    status = str(filters.get("status"))
    return InvoiceListQuery(
        text=str(filters.get("text") or "")[:100],
        status=InvoiceStatus(status) if status in InvoiceStatus.__members__.values() else None,
        ready_to_pay=filters.get("ready_to_pay") is True, order_id=filter_id(filters.get("order_id")),
        per_page=per_page)


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered invoice list in the actor's scope, newest first."""
    page = uow.invoices.export_rows(replace(query_of(request.filters, request.size), after=request.after),
                                    request.actor)
    return ExportBatch([_row(view, request.labels) for view in page.items], page.next_cursor)


def _row(view: InvoiceView, labels: Mapping[str, Any]) -> list[object]:
    invoice = view.invoice
    off = sum(1 for line in view.lines if line.match.status is not MatchStatus.MATCHED)
    return [invoice.number, day(invoice.invoice_date), view.supplier_name, view.order_number,
            labels["statuses"].get(invoice.status.value, invoice.status.value),
            labels["answers"][str(invoice.status.ready_to_pay)], invoice.currency, amount(invoice.totals.net),
            amount(invoice.totals.tax), amount(invoice.totals.gross), len(view.lines), off, view.recorder_name,
            day(invoice.created_at), invoice.resolution_reason or "", view.resolver_name, day(invoice.resolved_at)]


INVOICE_EXPORT = ExportSpec(INVOICE_LIST, "supplier_invoice", Permission.PURCHASE_EXPORT,
                            tuple(ExportColumn(key) for key in COLUMNS), filters_of, read_batch)
