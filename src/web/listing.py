"""List URLs: parse filters from the query string in one place, and build links that keep them."""

from collections.abc import Mapping
from urllib.parse import urlencode

from domain.customers.models import SORTS, CustomerListQuery, CustomerStage

LIST_KEYS = ("q", "stage", "owner", "tag", "sort", "col")
CURSOR_KEYS = ("after", "before")


def customer_query(args: Mapping[str, str]) -> CustomerListQuery:
    """A CustomerListQuery from request args; unknown or malformed values fall back to defaults."""
    stage = args.get("stage", "")
    sort = args.get("sort", "-created")
    return CustomerListQuery(
        text=args.get("q", "").strip()[:100],
        stage=CustomerStage(stage) if stage in CustomerStage.__members__.values() else None,
        owner_id=_id(args.get("owner", "")),
        tag_id=_id(args.get("tag", "")),
        sort=sort if sort in SORTS else "-created",
        after=args.get("after") or None,
        before=args.get("before") or None,
    )


def query_string(args: Mapping[str, str], keys: tuple[str, ...] = LIST_KEYS, /, **changes: str | None) -> str:
    """`?...` with the current filters (`keys` of `args`) and `changes` applied; cursors appear only when passed in."""
    params: dict[str, list[str]] = {k: values_of(args, k) for k in keys}
    params |= {k: [v] if v else [] for k, v in changes.items()}
    return "?" + urlencode([(k, v) for k, values in params.items() for v in values if v])


def values_of(args: Mapping[str, str], key: str) -> list[str]:
    """Every value of a repeatable parameter (a MultiDict's getlist), or the single value of a plain mapping."""
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(key)]
    return [args[key]] if key in args else []


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
