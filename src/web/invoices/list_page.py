"""The supplier invoice list page: what it renders from one set of list arguments, read in one transaction, and
its registration with the list tools (saved views and export; exceptions are resolved one by one in the queue)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from domain.invoicing import services
from domain.invoicing.lists import INVOICE_EXPORT, INVOICE_LIST
from web.deps import deps
from web.guard import current_actor
from web.invoices.forms import STATUSES, invoice_query
from web.listing import query_string
from web.lists.context import list_tools
from web.lists.registry import ExportUi, ListPage


def invoice_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows and the saved views, from one read transaction."""
    query = invoice_query(args)
    found = services.list_invoices(query, actor=current_actor(), uow=deps().reader(), with_views=True)
    tools = list_tools(INVOICE_PAGE, args, found.views, full=full)
    return {"page": found.page, "query": query, "base": tools.base, "tools": tools,
            "page_link": lambda **cursor: query_string(args, INVOICE_LIST.params, **cursor)}


def _export_values() -> dict[str, dict[str, str]]:
    return {"statuses": {k: str(v) for k, v in STATUSES.items()}, "answers": {"True": str(_l("Yes")),
                                                                               "False": str(_l("No"))}}


INVOICE_PAGE = ListPage(
    INVOICE_LIST, "invoice", "/invoices", "invoices.index", "invoices/index.html", "invoices/_results.html",
    invoice_context, invoice_query,
    export=ExportUi(INVOICE_EXPORT, {
        "number": _l("Invoice number"), "invoice_date": _l("Invoice date"), "supplier": _l("Supplier"),
        "order": _l("Purchase order"), "status": _l("Status"), "ready_to_pay": _l("Ready to pay"),
        "currency": _l("Currency"), "net_total": _l("Net total"), "tax_total": _l("VAT"),
        "gross_total": _l("Gross total"), "lines": _l("Lines"), "lines_off": _l("Lines outside the tolerances"),
        "recorded_by": _l("Recorded by"), "recorded_on": _l("Recorded on"),
        "resolution_reason": _l("Why accepted or rejected"), "resolved_by": _l("Resolved by"),
        "resolved_on": _l("Resolved on")}, _export_values))
