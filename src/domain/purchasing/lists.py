"""The purchase order list's registration with the list tools: saved views and export (bulk send: bulk.py).

Views keep the search and the status, supplier and buyer filters; they need purchase_order.read like the list.
The export needs purchase.export plus a fresh sign-in, reads in the owner's order scope when it runs, and is
audited as purchase_order.exported.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.identity.permissions import Permission
from domain.lists.cells import amount, day
from domain.lists.models import ListSpec
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec, filter_id
from domain.purchasing.models import OrderExportRow, OrderListQuery, OrderStatus
from domain.unit_of_work import UnitOfWork

ORDER_LIST = ListSpec("purchase_orders", Permission.ORDER_READ, ("q", "status", "supplier", "buyer"))
COLUMNS = ("number", "title", "supplier", "supplier_credit_code", "status", "buyer", "department", "contract",
           "currency", "net_total", "tax_total", "gross_total", "lines", "lines_received", "lines_invoiced",
           "first_delivery_on", "sent_on", "created", "closed_reason")


def filters_of(query: OrderListQuery) -> dict[str, Any]:
    """The list query's filters as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "status": query.status.value if query.status else None,
            "supplier_id": query.supplier_id, "buyer_id": query.buyer_id, "number_prefix": query.number_prefix}


def query_of(filters: Mapping[str, Any], per_page: int) -> OrderListQuery:
    """The list query back from `filters_of`, values checked again."""
    status = str(filters.get("status"))
    return OrderListQuery(
        text=str(filters.get("text") or "")[:100],
        status=OrderStatus(status) if status in OrderStatus.__members__.values() else None,
        supplier_id=filter_id(filters.get("supplier_id")), buyer_id=filter_id(filters.get("buyer_id")),
        per_page=per_page, number_prefix=str(filters.get("number_prefix") or "")[:40])


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered order list in the actor's scope, newest first."""
    page = uow.purchase_orders.export_rows(replace(query_of(request.filters, request.size), after=request.after),
                                           request.actor)
    return ExportBatch([_row(o, request.labels["statuses"]) for o in page.items], page.next_cursor)


def _row(o: OrderExportRow, statuses: Mapping[str, str]) -> list[object]:
    return [o.number, o.title, o.supplier_name, o.supplier_credit_code or "", statuses.get(o.status, o.status),
            o.buyer_name, o.department_name or "", o.contract_number or "", o.currency, amount(o.net_total),
            amount(o.tax_total), amount(o.gross_total), o.lines, o.lines_received, o.lines_invoiced,
            day(o.first_delivery_on), day(o.sent_at), day(o.created_at), o.closed_reason or ""]


ORDER_EXPORT = ExportSpec(ORDER_LIST, "purchase_order", Permission.PURCHASE_EXPORT,
                          tuple(ExportColumn(key) for key in COLUMNS), filters_of, read_batch)
