"""The goods receipt list's registration with the list tools: saved views and export (no bulk actions: a receipt
is a record of what arrived and is never changed).

Views keep the search and the order, received from/until and "only with rejected goods" filters; they need
purchase_order.read like the list (receipts follow their order's scope). The export needs purchase.export plus a
fresh sign-in and is audited as goods_receipt.exported. It writes one row per receipt line, so the quantities
(ordered, received, accepted, rejected, why rejected) can be summed and filtered in a spreadsheet.
"""

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from domain.identity.permissions import Permission
from domain.lists.cells import day, quantity
from domain.lists.models import ListSpec
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec, filter_id
from domain.receiving.models import ReceiptDetail, ReceiptListQuery
from domain.shared.dates import parse_day
from domain.unit_of_work import UnitOfWork

RECEIPT_LIST = ListSpec("receipts", Permission.ORDER_READ, ("q", "order", "from", "to", "rejected"))
COLUMNS = ("number", "received_on", "order", "supplier", "received_by", "position", "item", "specification", "unit",
           "ordered", "received", "accepted", "rejected", "rejection_reason", "notes")


def filters_of(query: ReceiptListQuery) -> dict[str, Any]:
    """The list query's filters as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "order_id": query.order_id, "rejected_only": query.rejected_only,
            "from": day(query.received_from) or None, "to": day(query.received_to) or None}


def query_of(filters: Mapping[str, Any], per_page: int) -> ReceiptListQuery:
    """The list query back from `filters_of`, values checked again."""
    days = {key: parse_day(str(filters.get(key) or ""), key, {}) for key in ("from", "to")}
    return ReceiptListQuery(text=str(filters.get("text") or "")[:100], order_id=filter_id(filters.get("order_id")),
                            received_from=days["from"], received_to=days["to"],
                            rejected_only=filters.get("rejected_only") is True, per_page=per_page)


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered receipt list in the actor's scope, newest first, a row per receipt line."""
    page = uow.receiving.export_rows(replace(query_of(request.filters, request.size), after=request.after),
                                     request.actor)
    return ExportBatch([row for receipt in page.items for row in _rows(receipt)], page.next_cursor)


def _rows(r: ReceiptDetail) -> Iterator[list[object]]:
    head = [r.number, day(r.received_on), r.order_number, r.supplier_name, r.receiver_name]
    for line in r.lines:
        yield [*head, line.position, line.item, line.specification, line.unit, quantity(line.ordered),
               quantity(line.received), quantity(line.accepted), quantity(line.rejected), line.rejection_reason,
               r.notes]


RECEIPT_EXPORT = ExportSpec(RECEIPT_LIST, "goods_receipt", Permission.PURCHASE_EXPORT,
                            tuple(ExportColumn(key) for key in COLUMNS), filters_of, read_batch)
