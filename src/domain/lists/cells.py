"""Cells of exported rows as spreadsheets read them: plain ISO days, amounts and quantities, no grouping."""

from datetime import date, datetime
from decimal import Decimal


def day(value: date | None) -> str:
    """2026-03-01 ("" for none); a moment gives its (UTC) day, as the lists show it."""
    if value is None:
        return ""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def amount(value: Decimal) -> str:
    """1234.50: two decimals, no thousands separator, so a spreadsheet reads a number."""
    return f"{value:.2f}"


def quantity(value: Decimal) -> str:
    """2.5, 10, 0.125: up to three decimals without trailing zeros, never in exponent form."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
