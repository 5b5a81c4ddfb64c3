"""The supplier list page: what it renders from one set of list arguments, read in one transaction, and its
registration with the list tools (saved views, export, bulk qualify and suspend)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l, ngettext

from domain.contracts.reminders import local_today
from domain.lists.models import BulkOutcome
from domain.suppliers import services
from domain.suppliers.bulk import SUPPLIER_BULK
from domain.suppliers.lists import SUPPLIER_EXPORT, SUPPLIER_LIST
from web.deps import deps
from web.guard import current_actor
from web.i18n import REGIONS
from web.listing import query_string
from web.lists.context import list_tools
from web.lists.registry import BulkButton, BulkGroup, BulkInput, BulkUi, ExportUi, ListPage
from web.suppliers.forms import CATEGORY_NAMES, FIELD_NAMES, STATUSES, supplier_query


def supplier_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows (with their document alerts as of today) and the saved views, from one read transaction."""
    query, today = supplier_query(args), local_today(deps().clock)
    found = services.list_suppliers(query, today, actor=current_actor(), uow=deps().reader(), with_views=True)
    tools = list_tools(SUPPLIER_PAGE, args, found.views, full=full)
    return {"page": found.page, "query": query, "today": today, "base": tools.base, "tools": tools,
            "page_link": lambda **cursor: query_string(args, SUPPLIER_LIST.params, **cursor)}


def _qualify(value: str, count: int) -> str:
    question: str = ngettext("Qualify %(num)d supplier? It can then receive orders.",
                             "Qualify %(num)d suppliers? They can then receive orders.", count)
    return question


def _suspend(value: str, count: int) -> str:
    question: str = ngettext("Suspend %(num)d supplier because “%(reason)s”? It gets no new orders until qualified "
                             "again.", "Suspend %(num)d suppliers because “%(reason)s”? They get no new orders until "
                             "qualified again.", count, reason=value.strip())
    return question


def _unchanged(count: int) -> str:
    hint: str = ngettext("%(num)d selected supplier stays as it is:", "%(num)d selected suppliers stay as they are:",
                         count)
    return hint


def _done(outcome: BulkOutcome) -> str:
    changed: str = ngettext("%(num)d supplier changed.", "%(num)d suppliers changed.", outcome.changed)
    if not outcome.not_changed:
        return changed
    left: str = ngettext("%(num)d selected supplier was left as it was.",
                         "%(num)d selected suppliers were left as they were.", outcome.not_changed)
    return f"{changed} {left}"


SUPPLIER_BULK_UI = BulkUi(
    SUPPLIER_BULK,
    (BulkGroup((BulkButton("qualify", _l("Qualify"), _qualify), BulkButton("suspend", _l("Suspend"), _suspend)),
               BulkInput("status_reason", _l("Reason (required to suspend)"), "reasons", free_text=True)),),
    legend=_l("Selected suppliers"), select_all=_l("Select all suppliers on this page"), unchanged=_unchanged,
    nothing=_l("Nothing to change: qualify pending or suspended suppliers, suspend qualified ones."), done=_done,
    errors={"selection.empty": _l("Select at least one supplier: tick its box, or press x on its row."),
            "selection.too_many": _l("Select at most 500 suppliers at a time; narrow the filters or split the "
                                     "change."),
            "supplier.reason_required": _l("Type the reason for the suspension next to the buttons, then suspend "
                                           "again.")})


def _export_values() -> dict[str, dict[str, str]]:
    return {"statuses": {k: str(v) for k, v in STATUSES.items()},
            "categories": {k: str(v) for k, v in CATEGORY_NAMES.items()},
            "regions": {k: str(v) for k, v in REGIONS.items()},
            "documents": {"expiring": str(_l("Document expiring")), "expired": str(_l("Document expired"))}}


SUPPLIER_PAGE = ListPage(
    SUPPLIER_LIST, "supplier", "/suppliers", "suppliers.index", "suppliers/index.html", "suppliers/_results.html",
    supplier_context, supplier_query,
    export=ExportUi(SUPPLIER_EXPORT, {
        "name": FIELD_NAMES["name"], "credit_code": FIELD_NAMES["credit_code"], "category": FIELD_NAMES["category"],
        "status": FIELD_NAMES["status"], "status_reason": _l("Status reason"), "region": FIELD_NAMES["region"],
        "address": FIELD_NAMES["address"], "payment_terms": FIELD_NAMES["payment_terms"],
        "bank_name": FIELD_NAMES["bank_name"], "bank_account": _l("Bank account (masked)"),
        "documents": _l("Documents"), "next_expiry": _l("Next document expiry"), "registered": _l("Registered")},
        _export_values),
    bulk=SUPPLIER_BULK_UI)
