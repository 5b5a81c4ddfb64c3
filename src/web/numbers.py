"""Quantities and unit prices as pages show them and forms echo them back (amounts use the `money` filter)."""

from decimal import Decimal

from flask import Flask

from domain.procurement.amounts import plain


def quantity(value: object) -> str:
    """10.000 → 10, 2.500 → 2.5: quantities (and percentages) without trailing zeros; "" for none."""
    return plain(Decimal(str(value))) if value not in (None, "") else ""


def unit_price(value: object) -> str:
    """A unit price with two to four decimals: 3 → 3.00, 0.0035 → 0.0035, 12.5 → 12.50."""
    whole = quantity(value)
    if not whole:
        return ""
    decimals = len(whole.split(".")[1]) if "." in whole else 0
    return f"{Decimal(whole):,.{max(decimals, 2)}f}"


def register_number_filters(app: Flask) -> None:
    app.add_template_filter(quantity, "quantity")
    app.add_template_filter(unit_price, "unit_price")
