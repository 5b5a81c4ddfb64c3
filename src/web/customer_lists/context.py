"""The customer list page: everything it renders from one set of list arguments (GET query or a POSTed form),
read in one transaction, and its registration with the list tools (CUSTOMER_PAGE)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from domain.customers.export import CUSTOMER_EXPORT
from domain.customers.list_models import CUSTOMER_LIST
from domain.customers.list_tools import customer_list_page
from domain.lists.models import COLUMN_PARAM, columns_of
from web.customer_lists.bulk import CUSTOMER_BULK_UI
from web.deps import deps
from web.guard import current_actor
from web.i18n import REGIONS, STAGES
from web.listing import customer_query, query_string, values_of
from web.lists.context import Choices, list_tools
from web.lists.registry import ExportUi, ListPage


def list_context(args: Mapping[str, str], full: bool) -> dict[str, Any]:
    """Rows, filters, columns, the list tools and (for the full page) the choices of filters and bulk actions."""
    d = deps()
    query = customer_query(args)
    columns = columns_of(CUSTOMER_LIST, values_of(args, COLUMN_PARAM))
    found = customer_list_page(query, with_tags="tags" in columns, full=full, actor=current_actor(), uow=d.reader())
    choices: Choices | None = {"owners": found.bulk_owners, "tags": [(t.name, t.name) for t in found.tag_choices],
               "stages": [(k, str(v)) for k, v in STAGES.items()]} if full else None
    tools = list_tools(CUSTOMER_PAGE, args, found.views, full=full, choices=choices)
    return {"page": found.page, "query": query, "owners": found.owners, "base": tools.base, "columns": tools.columns,
            "row_tags": found.tags, "tag_choices": found.tag_choices, "tools": tools, "today": d.clock.now().date(),
            "list_link": lambda **changes: query_string(args, **changes)}


def _export_values() -> dict[str, dict[str, str]]:
    return {"stages": {k: str(v) for k, v in STAGES.items()}, "regions": {k: str(v) for k, v in REGIONS.items()}}


CUSTOMER_PAGE = ListPage(
    CUSTOMER_LIST, "customer", "/customers", "customers.index", "customers/index.html", "customers/_results.html",
    list_context, customer_query,
    column_labels={"credit_code": _l("Credit code"), "region": _l("Region"), "owner": _l("Owner"),
                   "created": _l("Created"), "tags": _l("Tags")},
    save_label=_l("Save these filters, sort and columns as"),
    export=ExportUi(CUSTOMER_EXPORT, {
        "name": _l("Name"), "credit_code": _l("Unified social credit code"), "stage": _l("Stage"),
        "region": _l("Region"), "owner": _l("Owner"), "created": _l("Created"), "phone": _l("Phone"),
        "email": _l("E-mail"), "tags": _l("Tags")}, _export_values),
    bulk=CUSTOMER_BULK_UI)
