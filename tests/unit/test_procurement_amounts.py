"""Quantities, prices, VAT rates and line totals: exact decimals, half-up to the fen per line."""

from decimal import Decimal

import pytest

from domain.procurement.amounts import (
    InvalidNumber,
    LineAmounts,
    estimated_amount,
    line_amounts,
    parse_quantity,
    parse_tax_rate,
    parse_unit_price,
    totals,
)

D = Decimal


@pytest.mark.parametrize(("text", "value"), [("3", D("3.000")), ("2.5", D("2.500")), ("１，２００.125", D("1200.125")),
                                             ("0.001", D("0.001")), (" 7 ", D("7.000"))])
def test_quantities_are_read_exactly(text: str, value: Decimal) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize(("text", "code"), [("", "quantity.invalid"), ("abc", "quantity.invalid"),
                                            ("0", "quantity.not_positive"), ("-1", "quantity.not_positive"),
                                            ("1.0001", "quantity.decimals"), ("1000000001", "quantity.too_large"),
                                            ("1e3", "quantity.invalid"), ("NaN", "quantity.invalid")])
def test_bad_quantities_name_the_reason(text: str, code: str) -> None:
    with pytest.raises(InvalidNumber) as refused:
        parse_quantity(text)
    assert refused.value.code == code


def test_unit_prices_keep_four_decimals_and_may_be_zero_unless_refused() -> None:
    assert parse_unit_price("¥0.0035") == D("0.0035")
    assert parse_unit_price("0") == D("0")
    with pytest.raises(InvalidNumber) as refused:
        parse_unit_price("0", allow_zero=False)
    assert refused.value.code == "price.not_positive"
    with pytest.raises(InvalidNumber):
        parse_unit_price("1.23456")


@pytest.mark.parametrize("text", ["13", "9", "6", "3", "0", "13%", "１３"])
def test_the_vat_rates_are_accepted(text: str) -> None:
    assert parse_tax_rate(text) in (13, 9, 6, 3, 0)


@pytest.mark.parametrize("text", ["17", "16", "10", "", "x", "-13"])
def test_other_rates_are_refused(text: str) -> None:
    with pytest.raises(InvalidNumber) as refused:
        parse_tax_rate(text)
    assert refused.value.code == "tax_rate.invalid"


@pytest.mark.parametrize(("quantity", "price", "rate", "net", "tax", "gross"), [
    ("3", "33.3333", 13, "100.00", "13.00", "113.00"),  # 99.9999 → 100.00 before tax
    ("1", "0.05", 13, "0.05", "0.01", "0.06"),  # tax 0.0065 rounds half-up to 0.01
    ("1", "0.0384", 13, "0.04", "0.01", "0.05"),  # net 0.0384 → 0.04, then tax 0.0052 → 0.01
    ("7", "0.0035", 13, "0.02", "0.00", "0.02"),  # 0.0245 → 0.02; tax 0.0026 → 0.00
    ("2", "12.345", 9, "24.69", "2.22", "26.91"),  # tax 2.2221
    ("1", "10.50", 6, "10.50", "0.63", "11.13"),
    ("1", "16.50", 3, "16.50", "0.50", "17.00"),  # tax 0.495 → 0.50: half-up, not half-even
    ("4", "25", 0, "100.00", "0.00", "100.00"),
])
def test_line_amounts_round_half_up_per_line(quantity: str, price: str, rate: int, net: str, tax: str,
                                             gross: str) -> None:
    assert line_amounts(D(quantity), D(price), rate) == LineAmounts(D(net), D(tax), D(gross))


def test_totals_are_the_sums_of_the_rounded_lines() -> None:
    lines = [line_amounts(D("1"), D("0.05"), 13) for _ in range(3)]  # 0.0065 tax each

    assert totals(lines) == LineAmounts(D("0.15"), D("0.03"), D("0.18"))  # not 0.0195 → 0.02 on the total


def test_estimated_amounts_round_half_up_and_refuse_what_cannot_be_stored() -> None:
    assert estimated_amount(D("3"), D("0.0050")) == D("0.02")  # 0.015 → 0.02
    with pytest.raises(InvalidNumber) as refused:
        estimated_amount(D("1000000000"), D("1000000"))
    assert refused.value.code == "amount.too_large"
