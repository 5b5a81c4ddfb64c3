"""How pages show quantities and unit prices: no trailing zeros on quantities, two to four decimals on prices."""

from decimal import Decimal

from web.numbers import quantity, unit_price as price


def test_quantities_drop_trailing_zeros() -> None:
    assert [quantity(Decimal(v)) for v in ("10.000", "2.500", "0.125", "1000")] == ["10", "2.5", "0.125", "1000"]
    assert quantity(None) == ""


def test_prices_keep_two_decimals_and_show_up_to_four() -> None:
    assert [price(Decimal(v)) for v in ("3.0000", "12.5000", "0.0035", "1234.5678")] == [
        "3.00", "12.50", "0.0035", "1,234.5678"]
