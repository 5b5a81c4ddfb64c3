"""The requisition list page: what it renders from one set of list arguments, read in one transaction, and its
registration with the list tools (saved views, export, bulk close)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l, ngettext

from domain.lists.models import BulkOutcome
from domain.requisitions import services
from domain.requisitions.bulk import REQUISITION_BULK
from domain.requisitions.lists import REQUISITION_EXPORT, REQUISITION_LIST
from domain.requisitions.models import RequisitionListQuery
from web.deps import deps
from web.guard import current_actor
from web.listing import query_string
from web.lists.context import list_tools
from web.lists.registry import BulkButton, BulkGroup, BulkInput, BulkUi, ExportUi, ListPage
from web.requisitions.forms import FIELD_NAMES, STATUSES, requisition_query


def requisition_query_of(args: Mapping[str, str]) -> RequisitionListQuery:
    """The list query for the signed-in user ("only mine" is theirs)."""
    return requisition_query(args, current_actor().user_id)


def requisition_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows, the department filter's choices and the saved views, from one read transaction."""
    query = requisition_query_of(args)
    found = services.list_requisitions(query, actor=current_actor(), uow=deps().reader(), with_filters=full,
                                       with_views=True)
    tools = list_tools(REQUISITION_PAGE, args, found.views, full=full)
    return {"page": found.page, "query": query, "departments": found.departments, "mine": args.get("mine") == "1",
            "base": tools.base, "tools": tools,
            "page_link": lambda **cursor: query_string(args, REQUISITION_LIST.params, **cursor)}


def _close(value: str, count: int) -> str:
    question: str = ngettext("Close %(num)d requisition because “%(reason)s”? What it still holds of its budget is "
                             "released.", "Close %(num)d requisitions because “%(reason)s”? What they still hold of "
                             "their budgets is released.", count, reason=value.strip())
    return question


def _unchanged(count: int) -> str:
    hint: str = ngettext("%(num)d selected requisition stays as it is:",
                         "%(num)d selected requisitions stay as they are:", count)
    return hint


def _done(outcome: BulkOutcome) -> str:
    closed: str = ngettext("%(num)d requisition closed.", "%(num)d requisitions closed.", outcome.changed)
    if not outcome.not_changed:
        return closed
    left: str = ngettext("%(num)d selected requisition was left as it was.",
                         "%(num)d selected requisitions were left as they were.", outcome.not_changed)
    return f"{closed} {left}"


REQUISITION_BULK_UI = BulkUi(
    REQUISITION_BULK,
    (BulkGroup((BulkButton("close", _l("Close"), _close),),
               BulkInput("close_reason", _l("Why close them"), "reasons", free_text=True)),),
    legend=_l("Selected requisitions"), select_all=_l("Select all requisitions on this page"),
    unchanged=_unchanged, done=_done,
    nothing=_l("Nothing to close: only approved, partly ordered or ordered requisitions can be closed."),
    errors={"selection.empty": _l("Select at least one requisition: tick its box, or press x on its row."),
            "selection.too_many": _l("Select at most 500 requisitions at a time; narrow the filters or split the "
                                     "change."),
            "required": _l("Type why the selected requisitions are closed next to the button, then close again.")})


def _export_values() -> dict[str, dict[str, str]]:
    return {"statuses": {k: str(v) for k, v in STATUSES.items()}}


REQUISITION_PAGE = ListPage(
    REQUISITION_LIST, "requisition", "/requisitions", "requisitions.index", "requisitions/index.html",
    "requisitions/_results.html", requisition_context, requisition_query_of,
    export=ExportUi(REQUISITION_EXPORT, {
        "number": FIELD_NAMES["number"], "title": FIELD_NAMES["title"], "purpose": FIELD_NAMES["purpose"],
        "department": FIELD_NAMES["department"], "requester": FIELD_NAMES["requester"], "status": _l("Status"),
        "estimated_total": FIELD_NAMES["estimated_total"], "currency": _l("Currency"),
        "budget": FIELD_NAMES["budget_id"], "needed_by": FIELD_NAMES["needed_by"], "lines": _l("Lines"),
        "submitted": _l("Submitted on"), "decided": _l("Decided on"), "created": _l("Raised"),
        "closed_reason": _l("Why closed")}, _export_values),
    bulk=REQUISITION_BULK_UI)
