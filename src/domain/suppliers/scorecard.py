"""The supplier scorecard (供应商绩效): on-time delivery, rejection rate and price variance over a period.

The figures come from goods receipts and supplier invoices (filled by the receiving and invoicing modules);
the adapter reads the counts and sums, this module turns them into rates. Rates are percentages rounded
half-up to one decimal; a rate without a base (nothing received, no dated lines, nothing invoiced) is None,
shown as "no data yet", never as 0 %.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from domain.shared.dates import parse_day
from domain.shared.errors import ValidationFailed

PERCENT, CENT = Decimal("0.1"), Decimal("0.01")
LONGEST = timedelta(days=366 * 10)


@dataclass(frozen=True)
class Period:
    """Calendar days from `start` to `end`, both included."""

    start: date
    end: date


@dataclass(frozen=True)
class ScorecardCounts:
    """What the scorecard is computed from, for one supplier and period."""

    receipt_lines: int = 0  # goods-receipt lines of receipts received in the period
    dated_lines: int = 0  # of them, lines whose order line has a delivery date
    on_time_lines: int = 0  # of those, received on or before the delivery date
    received: Decimal = Decimal(0)  # Σ received quantity (accepted + rejected) of the receipt lines
    rejected: Decimal = Decimal(0)  # Σ rejected quantity
    invoice_lines: int = 0  # lines of invoices dated in the period and not rejected
    invoiced_net: Decimal = Decimal(0)  # Σ the invoice lines' net amounts
    ordered_value: Decimal = Decimal(0)  # Σ the order lines' unit price × the invoiced quantity


@dataclass(frozen=True)
class Scorecard:
    period: Period
    counts: ScorecardCounts
    on_time_rate: Decimal | None
    rejection_rate: Decimal | None
    price_variance: Decimal | None  # percent above (+) or below (−) the order prices
    price_difference: Decimal  # invoiced net − ordered value, in yuan


def compute(period: Period, counts: ScorecardCounts) -> Scorecard:
    """The rates of `counts`; each is None when its base is zero."""
    difference = counts.invoiced_net - counts.ordered_value
    return Scorecard(period, counts, percentage(counts.on_time_lines, counts.dated_lines),
                     percentage(counts.rejected, counts.received), percentage(difference, counts.ordered_value),
                     difference.quantize(CENT, ROUND_HALF_UP))


def percentage(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part ÷ whole in percent, half-up to 0.1; None without a base."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, ROUND_HALF_UP)


def default_period(today: date) -> Period:
    """The last twelve months up to and including today."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return Period(year_ago + timedelta(days=1), today)


def period_of(raw: Mapping[str, str], today: date) -> Period:
    """The period `from`–`to` of a request; empty values take the default. Raises ValidationFailed."""
    default = default_period(today)
    errors: dict[str, str] = {}
    start = parse_day(raw.get("from", ""), "from", errors) or default.start
    end = parse_day(raw.get("to", ""), "to", errors) or default.end
    if not errors and end < start:
        errors["to"] = "scorecard.end_before_start"
    elif not errors and end - start > LONGEST:
        errors["from"] = "scorecard.too_long"
    if errors:
        raise ValidationFailed(errors)
    return Period(start, end)
