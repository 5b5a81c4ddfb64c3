"""The purchase order list page: everything it renders from one set of list arguments, read in one transaction,
and its registration with the list tools (saved views, export, bulk send)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l, ngettext

from domain.lists.models import BulkOutcome
from domain.purchasing import services
from domain.purchasing.bulk import ORDER_BULK
from domain.purchasing.lists import ORDER_EXPORT, ORDER_LIST
from web.deps import deps
from web.guard import current_actor
from web.listing import query_string
from web.lists.context import list_tools
from web.lists.registry import BulkButton, BulkGroup, BulkUi, ExportUi, ListPage
from web.orders.labels import FIELDS, STATUSES, amount, current_labels, order_query


def order_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows, filter choices and saved views from one read transaction; amounts formatted here, not per row; the
    label tables too, for the list tools' routes (another blueprint)."""
    query = order_query(args)
    found = services.list_orders(query, actor=current_actor(), uow=deps().reader(), with_filters=full,
                                 with_views=True)
    tools = list_tools(ORDER_PAGE, args, found.views, full=full)
    return current_labels() | {
        "page": found.page, "query": query, "buyers": found.buyers, "supplier_name": found.supplier_name,
        "amounts": [amount(o.gross_total) for o in found.page.items], "base": tools.base, "tools": tools,
        "page_link": lambda **cursor: query_string(args, ORDER_LIST.params, **cursor)}


def _send(value: str, count: int) -> str:
    question: str = ngettext("Send %(num)d order to its supplier?", "Send %(num)d orders to their suppliers?", count)
    return question


def _unchanged(count: int) -> str:
    hint: str = ngettext("%(num)d selected order stays as it is:", "%(num)d selected orders stay as they are:", count)
    return hint


def _done(outcome: BulkOutcome) -> str:
    sent: str = ngettext("%(num)d order sent.", "%(num)d orders sent.", outcome.changed)
    if not outcome.not_changed:
        return sent
    left: str = ngettext("%(num)d selected order was left as it was.",
                         "%(num)d selected orders were left as they were.", outcome.not_changed)
    return f"{sent} {left}"


ORDER_BULK_UI = BulkUi(
    ORDER_BULK, (BulkGroup((BulkButton("send", _l("Send to the suppliers"), _send),)),),
    legend=_l("Selected orders"), select_all=_l("Select all orders on this page"), unchanged=_unchanged,
    nothing=_l("Nothing to send: only approved orders to qualified suppliers can be sent."), done=_done,
    errors={"selection.empty": _l("Select at least one order: tick its box, or press x on its row."),
            "selection.too_many": _l("Select at most 500 orders at a time; narrow the filters or split the change.")})


def _export_values() -> dict[str, dict[str, str]]:
    return {"statuses": {k: str(v) for k, v in STATUSES.items()}}


ORDER_PAGE = ListPage(
    ORDER_LIST, "order", "/purchase-orders", "orders.index", "orders/index.html", "orders/_results.html",
    order_context, order_query,
    export=ExportUi(ORDER_EXPORT, {
        "number": FIELDS["number"], "title": FIELDS["title"], "supplier": FIELDS["supplier_id"],
        "supplier_credit_code": _l("Supplier credit code"), "status": _l("Status"), "buyer": FIELDS["buyer_id"],
        "department": _l("Department"), "contract": FIELDS["contract_id"], "currency": _l("Currency"),
        "net_total": _l("Net total"), "tax_total": _l("VAT"), "gross_total": FIELDS["gross_total"],
        "lines": FIELDS["lines"], "lines_received": _l("Lines received in full"),
        "lines_invoiced": _l("Lines invoiced in full"), "first_delivery_on": _l("First delivery date"),
        "sent_on": _l("Sent on"), "created": _l("Created"), "closed_reason": _l("Why cancelled or closed")},
        _export_values),
    bulk=ORDER_BULK_UI)
