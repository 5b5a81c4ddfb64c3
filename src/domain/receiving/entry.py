"""A goods receipt as typed on the form, checked against its order: pure functions, no storage.

Per line the clerk types received, accepted and rejected quantities. A blank rejected means none; a blank
accepted means everything received that was not rejected; a blank received means accepted + rejected. Whatever
is typed must add up (accepted + rejected = received). Lines left blank (or all zero) are not part of the receipt.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from domain.procurement.amounts import QUANTITY_STEP, InvalidNumber, parse_quantity
from domain.procurement.dates import past_day
from domain.procurement.tolerances import limit
from domain.receiving.errors import Allowance, OverReceipt
from domain.receiving.models import OrderForReceipt, ReceiptLine
from domain.shared.errors import ValidationFailed

REASON_MAX, NOTES_MAX = 200, 2000
ZERO = Decimal("0.000")
Errors = dict[str, str]


@dataclass(frozen=True)
class LineEntry:
    """One row of the receipt form, as typed."""

    line_id: str
    received: str = ""
    accepted: str = ""
    rejected: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ReceiptEntry:
    """The receipt form, as typed."""

    received_on: str
    notes: str = ""
    lines: tuple[LineEntry, ...] = field(default_factory=tuple)
    form_token: str = ""


@dataclass(frozen=True)
class CheckedReceipt:
    received_on: date
    notes: str
    lines: tuple[ReceiptLine, ...]


def check_receipt(entry: ReceiptEntry, order: OrderForReceipt, today: date) -> CheckedReceipt:
    """The receipt's date, notes and non-empty lines; ValidationFailed maps each bad field to its code."""
    errors: Errors = {}
    received_on, date_error = past_day(entry.received_on, today)
    if date_error:
        errors["received_on"] = date_error
    notes = _text(entry.notes)
    if len(notes) > NOTES_MAX:
        errors["notes"] = "too_long"
    lines = [line for row in entry.lines if (line := _line(row, order, errors)) is not None]
    if len({line.order_line_id for line in lines}) != len(lines):
        errors["lines"] = "choice.invalid"  # the same order line twice: a forged form
    if not lines and not errors:
        errors["lines"] = "receipt.nothing_received"
    if errors or received_on is None:
        raise ValidationFailed(errors)
    return CheckedReceipt(received_on, notes, tuple(lines))


def check_over_receipt(order: OrderForReceipt, lines: tuple[ReceiptLine, ...], tolerance: Decimal) -> None:
    """Raise OverReceipt when a line's accepted total would pass ordered × (1 + tolerance %)."""
    refused = {}
    for line in lines:
        ordered = order.line(line.order_line_id)
        assert ordered is not None  # check_receipt admits only the order's own lines
        if ordered.accepted + line.accepted > limit(ordered.ordered, tolerance):
            refused[ordered.id] = allowance(ordered.ordered, ordered.accepted, tolerance)
    if refused:
        raise OverReceipt(refused)


def allowance(ordered: Decimal, accepted: Decimal, tolerance: Decimal) -> Allowance:
    """What a line may still accept, to the thousandth and never below zero."""
    most = (limit(ordered, tolerance) - accepted).quantize(QUANTITY_STEP, ROUND_DOWN)
    return Allowance(ordered, accepted, tolerance, max(most, ZERO))


def _line(row: LineEntry, order: OrderForReceipt, errors: Errors) -> ReceiptLine | None:
    line = order.line(int(row.line_id)) if row.line_id.isdigit() and len(row.line_id) < 12 else None
    if line is None:
        errors["lines"] = "choice.invalid"  # a line of another order: a forged or outdated form
        return None
    typed = {name: _quantity(getattr(row, name), f"{name}-{line.id}", errors)
             for name in ("received", "accepted", "rejected")}
    if all(value is None for value in typed.values()) or any(f"{n}-{line.id}" in errors for n in typed):
        return None
    received, accepted, rejected = _inferred(typed["received"], typed["accepted"], typed["rejected"] or ZERO)
    if accepted < 0 or accepted + rejected != received:
        errors[f"received-{line.id}"] = "receipt.quantities_disagree"
        return None
    reason = _text(row.reason)
    if rejected > 0 and not reason:
        errors[f"reason-{line.id}"] = "receipt.reason_required"
    elif len(reason) > REASON_MAX:
        errors[f"reason-{line.id}"] = "too_long"
    return ReceiptLine(line.id, received, accepted, rejected, reason if rejected else "") if received else None


def _inferred(received: Decimal | None, accepted: Decimal | None, rejected: Decimal) -> tuple[Decimal, ...]:
    """Fill in the one blank quantity from the others (see the module docstring)."""
    if accepted is None:
        accepted = ZERO if received is None else received - rejected
    return (accepted + rejected if received is None else received), accepted, rejected


def _quantity(text: str, name: str, errors: Errors) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_quantity(text, allow_zero=True)
    except InvalidNumber as error:
        errors[name] = error.code
        return None


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()
