"""The contract list page: what it renders from its arguments, and its registration with the list tools."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from domain.contracts import services
from domain.contracts.lists import CONTRACT_EXPORT, CONTRACT_LIST
from web.contracts.forms import KINDS, STATUSES, contract_query
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target
from web.listing import query_string
from web.lists.context import list_tools
from web.lists.registry import ExportUi, ListPage


def contract_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows, filters and list tools from one read transaction (the customer page's section needs no views)."""
    query = contract_query(args)
    found = services.list_contracts(query, actor=current_actor(), uow=deps().reader(), with_owner_filter=full,
                                    with_views=hx_target() != "customer-contracts")
    tools = list_tools(CONTRACT_PAGE, args, found.views, full=full)
    return {"page": found.page, "query": query, "owners": found.owners, "base": tools.base, "tools": tools,
            "page_link": lambda **cursor: query_string(args, CONTRACT_LIST.params, **cursor)}


def _export_values() -> dict[str, dict[str, str]]:
    return {"statuses": {k: str(v) for k, v in STATUSES.items()}, "kinds": {k: str(v) for k, v in KINDS.items()}}


CONTRACT_PAGE = ListPage(
    CONTRACT_LIST, "contract", "/contracts", "contracts.index", "contracts/index.html", "contracts/_results.html",
    contract_context, contract_query,
    export=ExportUi(CONTRACT_EXPORT, {
        "number": _l("Contract number"), "title": _l("Title"), "kind": _l("Kind"), "party": _l("Party"),
        "amount": _l("Amount"), "currency": _l("Currency"), "status": _l("Status"), "owner": _l("Owner"),
        "end_on": _l("Ends on"), "created": _l("Created")}, _export_values))
