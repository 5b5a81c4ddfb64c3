"""Quantities, unit prices, tax rates and line totals of requisitions, orders and supplier invoices.

Everything is an exact Decimal. A line's net amount is quantity × unit price (before tax), its tax is
net × rate; each is rounded half-up to the fen per line (四舍五入, as on a 增值税 invoice), and the gross is
net + tax. A document's totals are the sums of its lines' rounded amounts, so they always add up on paper.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.shared.errors import DomainError
from domain.shared.money import MAX_AMOUNT

TAX_RATES = (13, 9, 6, 3, 0)  # VAT rates in percent: goods, transport/construction, services, small-scale, exempt
CENT = Decimal("0.01")
QUANTITY_STEP = Decimal("0.001")  # kilograms to the gram, metres to the millimetre
PRICE_STEP = Decimal("0.0001")  # unit prices to the hundredth of a fen (screws at ¥0.0035)
# At most 15 significant digits, so every value is exact even where SQLite keeps NUMERIC as a double.
QUANTITY_MAX = Decimal(10) ** 9
PRICE_MAX = Decimal(10) ** 9
_NUMBER = re.compile(r"^(\d+(\.\d*)?|\.\d+|\d{1,3}(,\d{3})+(\.\d*)?)$")


class InvalidNumber(DomainError):
    """Text that is not an acceptable quantity, price or rate; `code` names why (quantity.decimals, …)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class LineAmounts:
    """Net (before tax), tax and gross amounts, each to the fen."""

    net: Decimal
    tax: Decimal
    gross: Decimal

    def __add__(self, other: "LineAmounts") -> "LineAmounts":
        return LineAmounts(self.net + other.net, self.tax + other.tax, self.gross + other.gross)


ZERO = LineAmounts(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def parse_quantity(text: str, *, allow_zero: bool = False) -> Decimal:
    """A quantity above zero (or zero, when allowed: nothing rejected) with at most 3 decimals; raises InvalidNumber
    (quantity.invalid, .decimals, …)."""
    return _parse(text, "quantity", QUANTITY_STEP, QUANTITY_MAX, allow_zero=allow_zero)


def parse_unit_price(text: str, *, allow_zero: bool = True) -> Decimal:
    """A unit price of at most 4 decimals (zero allowed for free items unless refused); raises InvalidNumber."""
    return _parse(text, "price", PRICE_STEP, PRICE_MAX, allow_zero=allow_zero)


def parse_tax_rate(text: str) -> int:
    """One of the VAT rates 13, 9, 6, 3 or 0 (percent, an optional % sign); raises InvalidNumber (tax_rate.invalid)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().rstrip("%").strip()
    if not cleaned.isdigit() or int(cleaned) not in TAX_RATES:
        raise InvalidNumber("tax_rate.invalid")
    return int(cleaned)


def plain(value: Decimal) -> str:
    """A quantity or price as people write it: no trailing zeros, never an exponent (2.500 → 2.5, 1E+1 → 10)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: Decimal) -> Decimal:
    """`value` rounded half-up to the fen."""
    return value.quantize(CENT, ROUND_HALF_UP)


def line_amounts(quantity: Decimal, unit_price: Decimal, tax_rate: int) -> LineAmounts:
    """Net = quantity × unit price, tax = net × rate, each half-up to the fen; gross = net + tax.

    Raises InvalidNumber (amount.too_large) beyond 10^13, the largest amount stored exactly."""
    net = _bounded(money(quantity * unit_price))
    tax = money(net * tax_rate / 100)
    return LineAmounts(net, tax, _bounded(net + tax))


def estimated_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """A requisition line's amount: quantity × estimated unit price (tax included), half-up to the fen."""
    return _bounded(money(quantity * unit_price))


def totals(lines: Iterable[LineAmounts]) -> LineAmounts:
    """A document's totals: the sums of its lines' rounded amounts."""
    total = ZERO
    for line in lines:
        total = total + line
    return total


def _bounded(amount: Decimal) -> Decimal:
    if amount > MAX_AMOUNT:
        raise InvalidNumber("amount.too_large")
    return amount


def _parse(text: str, kind: str, step: Decimal, limit: Decimal, *, allow_zero: bool) -> Decimal:
    cleaned = unicodedata.normalize("NFKC", text or "").strip().lstrip("¥").replace(" ", "")
    if cleaned.startswith("-"):
        raise InvalidNumber(f"{kind}.not_positive")
    if not _NUMBER.match(cleaned):
        raise InvalidNumber(f"{kind}.invalid")
    try:
        value = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:
        raise InvalidNumber(f"{kind}.invalid") from error
    if value != value.quantize(step):
        raise InvalidNumber(f"{kind}.decimals")
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidNumber(f"{kind}.not_positive")
    if value > limit:
        raise InvalidNumber(f"{kind}.too_large")
    return value.quantize(step)
