"""Receipt and three-way-match tolerances (percent), set by finance on the procurement settings page.

Defaults, when nothing is stored: 0 % over-receipt (never accept more than was ordered), 0 % invoice quantity
(never pay for more than was accepted) and 2 % invoice price (small rounding or freight differences pass; larger
ones wait for finance). A limit is base × (1 + percent / 100), exact: a value exactly at the limit passes.
"""

import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from domain.procurement.amounts import InvalidNumber

PERCENT_STEP = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tolerances:
    """Each tolerance in percent, 0 to 100 with at most 2 decimals."""

    over_receipt: Decimal = Decimal("0.00")
    invoice_quantity: Decimal = Decimal("0.00")
    invoice_price: Decimal = Decimal("2.00")

    def as_values(self) -> dict[str, str]:
        """The tolerances as stored and audited: "2.00"."""
        return {name: f"{value:.2f}" for name, value in self._items()}

    def fingerprint(self) -> str:
        """What the settings form saw when it was opened (its optimistic lock)."""
        return "|".join(self.as_values().values())

    def _items(self) -> list[tuple[str, Decimal]]:
        return [(item.name, getattr(self, item.name)) for item in fields(self)]


DEFAULTS = Tolerances()
KEYS = tuple(DEFAULTS.as_values())


def parse_percent(text: str) -> Decimal:
    """A percentage from 0 to 100 with at most 2 decimals (an optional % sign); raises InvalidNumber
    (required, percent.invalid, percent.decimals, percent.range)."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip().rstrip("%").strip()
    if not cleaned:
        raise InvalidNumber("required")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise InvalidNumber("percent.invalid") from error
    if not value.is_finite():
        raise InvalidNumber("percent.invalid")
    if value != value.quantize(PERCENT_STEP):
        raise InvalidNumber("percent.decimals")
    if not 0 <= value <= HUNDRED:
        raise InvalidNumber("percent.range")
    return value.quantize(PERCENT_STEP)


def tolerances_from(stored: dict[str, str]) -> Tolerances:
    """The stored tolerances; a key that is missing (or unreadable) takes its default."""
    values = {}
    for key, default in zip(KEYS, DEFAULTS._items(), strict=True):
        try:
            values[key] = parse_percent(stored[key]) if key in stored else default[1]
        except InvalidNumber:
            values[key] = default[1]
    return Tolerances(**values)


def within(value: Decimal, base: Decimal, percent: Decimal) -> bool:
    """Whether `value` is at most `base` plus `percent` of it (exactly at the limit passes)."""
    return value <= limit(base, percent)


def limit(base: Decimal, percent: Decimal) -> Decimal:
    """base × (1 + percent / 100), exact."""
    return base + base * percent / HUNDRED
