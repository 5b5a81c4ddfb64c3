"""List URLs: parse filters from the query string in one place, and build links that keep them."""

from collections.abc import Mapping
from urllib.parse import urlencode

from domain.customers.models import SORTS, CustomerListQuery, CustomerStage

LIST_KEYS = ("q", "stage", "owner", "sort")


def customer_query(args: Mapping[str, str]) -> CustomerListQuery:
    """A CustomerListQuery from request args; unknown or malformed values fall back to defaults."""
    stage = args.get("stage", "")
    owner = args.get("owner", "")
    sort = args.get("sort", "-created")
    return CustomerListQuery(
        text=args.get("q", "").strip()[:100],
        stage=CustomerStage(stage) if stage in CustomerStage.__members__.values() else None,
        owner_id=int(owner) if owner.isdigit() and len(owner) < 12 else None,
        sort=sort if sort in SORTS else "-created",
        after=args.get("after") or None,
        before=args.get("before") or None,
    )


def query_string(args: Mapping[str, str], keys: tuple[str, ...] = LIST_KEYS, /, **changes: str | None) -> str:
    """`?...` with the current filters (`keys` of `args`) and `changes` applied; cursors appear only when passed in."""
    params = {k: args[k] for k in keys if args.get(k)}
    for key, value in changes.items():
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return "?" + urlencode(params)
