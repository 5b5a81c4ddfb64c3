"""Everything the customer list page renders, from one set of list arguments (GET query or a POSTed form)."""

from collections.abc import Mapping
from typing import Any

from flask import url_for

from domain.customers import services
from domain.customers.list_models import COLUMNS, LIST_PARAMS, active_view, canonical_query, columns_of
from domain.customers.list_tools import list_extras
from domain.identity.permissions import Permission
from web.deps import deps
from web.guard import current_actor
from web.listing import CURSOR_KEYS, LIST_KEYS, customer_query, query_string, values_of

STATE_KEYS = LIST_KEYS + CURSOR_KEYS  # what a POST from the list carries, to render the same list again


def list_context(args: Mapping[str, str], *, full: bool) -> dict[str, Any]:
    """Rows, filters, columns, view tabs and (for the full page) the choices of filters and bulk actions."""
    actor, d = current_actor(), deps()
    query = customer_query(args)
    found = services.list_customers(query, actor=actor, uow=d.reader(), with_owner_filter=full)
    columns = columns_of(values_of(args, "col"))
    extras = list_extras([c.id for c in found.page.items], with_tags="tags" in columns, with_choices=full,
                         actor=actor, uow=d.reader())
    current = canonical_query(_pairs(args))
    return {"page": found.page, "query": query, "owners": found.owners, "base": url_for("customers.index"),
            "columns": columns, "all_columns": COLUMNS, "row_tags": extras.tags, "tag_choices": extras.tag_choices,
            "views": extras.views, "active_view": active_view(extras.views, current), "current_query": current,
            "state": [(k, v) for k in STATE_KEYS for v in values_of(args, k) if v],
            "list_link": lambda **changes: query_string(args, **changes),
            "bulk_owners": _bulk_owners() if full else []}


def state_url(args: Mapping[str, str]) -> str:
    """The list URL showing what `args` (a POSTed list state) showed, cursor included."""
    return url_for("customers.index") + query_string(args, STATE_KEYS)


def _bulk_owners() -> list[tuple[int, str]]:
    actor = current_actor()
    if not actor.can(Permission.CUSTOMER_ASSIGN):
        return []
    return services.assignable_owners(actor=actor, uow=deps().reader())


def _pairs(args: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(k, v) for k in LIST_PARAMS for v in values_of(args, k)]
