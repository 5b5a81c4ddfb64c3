"""A supplier invoice as typed on the form, checked against its order: pure functions, no storage.

One row per order line; a row without a quantity is not billed. The unit price is before tax, the VAT rate one of
13, 9, 6, 3 or 0 %; amounts are computed per line (half-up to the fen) as on the 增值税 invoice itself. The gross
total printed on the paper invoice may be typed too: it must equal the computed one, which catches typing errors.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.invoicing.models import OrderForInvoice, OrderLineForInvoice
from domain.procurement.amounts import (
    InvalidNumber,
    LineAmounts,
    line_amounts,
    parse_quantity,
    parse_tax_rate,
    parse_unit_price,
    totals,
)
from domain.procurement.dates import past_day
from domain.shared.errors import ValidationFailed
from domain.shared.money import InvalidAmount, parse_amount
from domain.shared.numbering import NUMBER_MAX

Errors = dict[str, str]
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class InvoiceLineEntry:
    """One row of the invoice form, as typed."""

    line_id: str
    quantity: str = ""
    unit_price: str = ""
    tax_rate: str = ""


@dataclass(frozen=True)
class InvoiceEntry:
    """The invoice form, as typed."""

    number: str
    invoice_date: str
    printed_total: str = ""
    lines: tuple[InvoiceLineEntry, ...] = field(default_factory=tuple)
    form_token: str = ""


@dataclass(frozen=True)
class TypedLine:
    """A billed row that parsed, with its computed amounts."""

    line: OrderLineForInvoice
    quantity: Decimal
    unit_price: Decimal
    tax_rate: int
    amounts: LineAmounts


@dataclass(frozen=True)
class CheckedInvoice:
    number: str
    invoice_date: date
    lines: tuple[TypedLine, ...]
    totals: LineAmounts


def check_invoice(entry: InvoiceEntry, order: OrderForInvoice, today: date) -> CheckedInvoice:
    """The invoice's number, date and billed lines; ValidationFailed maps each bad field to its code."""
    lines, errors = read_lines(entry, order)
    number = invoice_number(entry.number)
    if not number:
        errors["number"] = "required"
    elif len(number) > NUMBER_MAX:
        errors["number"] = "too_long"
    invoice_date, date_error = past_day(entry.invoice_date, today)
    if date_error:
        errors["invoice_date"] = date_error
    computed = totals(line.amounts for line in lines)
    _check_printed_total(entry.printed_total, computed, errors)
    if not lines and not errors:
        errors["lines"] = "invoice.no_lines"
    if errors or invoice_date is None:
        raise ValidationFailed(errors)
    return CheckedInvoice(number, invoice_date, tuple(lines), computed)


def read_lines(entry: InvoiceEntry, order: OrderForInvoice) -> tuple[list[TypedLine], Errors]:
    """The rows that parse, and the errors of those that do not (the live preview shows both as you type)."""
    errors: Errors = {}
    lines = [line for row in entry.lines if (line := _line(row, order, errors)) is not None]
    if len({line.line.id for line in lines}) != len(lines):
        errors["lines"] = "choice.invalid"  # the same order line twice: a forged form
    return lines, errors


def invoice_number(text: str) -> str:
    """The supplier's invoice number as compared for duplicates: full-width folded, spaces collapsed, upper case."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().upper()


def _line(row: InvoiceLineEntry, order: OrderForInvoice, errors: Errors) -> TypedLine | None:
    line = order.line(int(row.line_id)) if row.line_id.isdigit() and len(row.line_id) < 12 else None
    if line is None:
        errors["lines"] = "choice.invalid"  # a line of another order: a forged or outdated form
        return None
    if not row.quantity.strip():
        if row.unit_price.strip():
            errors[f"quantity-{line.id}"] = "invoice.quantity_missing"
        return None
    quantity = _number(lambda: parse_quantity(row.quantity), f"quantity-{line.id}", errors)
    price = _number(lambda: parse_unit_price(row.unit_price), f"unit_price-{line.id}", errors)
    rate = _number(lambda: Decimal(parse_tax_rate(row.tax_rate)), f"tax_rate-{line.id}", errors) \
        if row.tax_rate.strip() else Decimal(line.tax_rate)
    if quantity is None or price is None or rate is None:
        return None
    try:
        amounts = line_amounts(quantity, price, int(rate))
    except InvalidNumber as error:
        errors[f"quantity-{line.id}"] = error.code
        return None
    return TypedLine(line, quantity, price, int(rate), amounts)


def _number(parse: Callable[[], Decimal], name: str, errors: Errors) -> Decimal | None:
    try:
        return parse()
    except InvalidNumber as error:
        errors[name] = error.code
        return None


def _check_printed_total(text: str, computed: LineAmounts, errors: Errors) -> None:
    if not text.strip():
        return
    try:
        printed = parse_amount(text)
    except InvalidAmount as error:
        errors["printed_total"] = error.code
        return
    if printed != computed.gross:
        errors["printed_total"] = "invoice.total_mismatch"

