"""The goods receipt list page: what it renders from one set of list arguments, read in one transaction, and its
registration with the list tools (saved views and export; receipts are never changed in bulk)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from domain.receiving import services
from domain.receiving.lists import RECEIPT_EXPORT, RECEIPT_LIST
from web.deps import deps
from web.guard import current_actor
from web.listing import query_string
from web.lists.context import list_tools
from web.lists.registry import ExportUi, ListPage
from web.receipts.forms import receipt_query


def receipt_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows and the saved views, from one read transaction."""
    query = receipt_query(args)
    found = services.list_receipts(query, actor=current_actor(), uow=deps().reader(), with_views=True)
    tools = list_tools(RECEIPT_PAGE, args, found.views, full=full)
    return {"page": found.page, "query": query, "base": tools.base, "tools": tools,
            "page_link": lambda **cursor: query_string(args, RECEIPT_LIST.params, **cursor)}


RECEIPT_PAGE = ListPage(
    RECEIPT_LIST, "receipt", "/receipts", "receipts.index", "receipts/index.html", "receipts/_results.html",
    receipt_context, receipt_query,
    export=ExportUi(RECEIPT_EXPORT, {
        "number": _l("Receipt"), "received_on": _l("Received on"), "order": _l("Purchase order"),
        "supplier": _l("Supplier"), "received_by": _l("Received by"), "position": _l("Line"), "item": _l("Item"),
        "specification": _l("Specification"), "unit": _l("Unit"), "ordered": _l("Ordered"),
        "received": _l("Received"), "accepted": _l("Accepted"), "rejected": _l("Rejected"),
        "rejection_reason": _l("Why rejected"), "notes": _l("Notes")}, dict))
