"""Form input, list query and messages of the receipt pages (the rules themselves live in the domain)."""

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from domain.receiving.entry import LineEntry, ReceiptEntry
from domain.receiving.errors import OverReceipt
from domain.receiving.models import OrderForReceipt, ReceiptListQuery
from web.numbers import quantity

MAX_LINES = 500


def receipt_entry(form: MultiDict[str, str]) -> ReceiptEntry:
    """The receipt form as typed: one row per `line_id`, its fields named `received-<id>` and so on."""
    rows = tuple(LineEntry(line_id, *(form.get(f"{name}-{line_id}", "") for name in
                                      ("received", "accepted", "rejected", "reason")))
                 for line_id in form.getlist("line_id")[:MAX_LINES])
    return ReceiptEntry(form.get("received_on", ""), form.get("notes", ""), rows, form.get("form_token", "")[:64])


def typed_values(form: Mapping[str, str]) -> dict[str, str]:
    """What was typed, to put back into the form (the known fields only)."""
    names = ("received_on", "notes")
    return {k: str(v) for k, v in form.items() if k in names or k.split("-", 1)[0] in
            ("received", "accepted", "rejected", "reason")}


def over_receipt_messages(error: OverReceipt, order: OrderForReceipt) -> dict[str, str]:
    """Per line, how much more it may accept and why."""
    messages = {}
    for line_id, allowed in error.allowances.items():
        line = order.line(line_id)
        messages[f"accepted-{line_id}"] = _(
            "At most %(most)s %(unit)s more can be accepted on this line: ordered %(ordered)s, accepted so far "
            "%(accepted)s, over-receipt tolerance %(tolerance)s %%. Reject the surplus instead, with a reason.",
            most=quantity(allowed.most), unit=line.unit if line else "", ordered=quantity(allowed.ordered),
            accepted=quantity(allowed.accepted), tolerance=quantity(allowed.tolerance))
    return messages


def receipt_query(args: Mapping[str, str]) -> ReceiptListQuery:
    """A ReceiptListQuery from request args; unknown or malformed values fall back to defaults."""
    return ReceiptListQuery(text=args.get("q", "").strip()[:100], order_id=_id(args.get("order", "")),
                            received_from=_day(args.get("from", "")), received_to=_day(args.get("to", "")),
                            rejected_only=args.get("rejected") == "1",
                            after=args.get("after") or None, before=args.get("before") or None)



def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
