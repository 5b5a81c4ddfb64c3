from decimal import Decimal

import pytest

from domain.shared.money import InvalidAmount, chinese_capitals, parse_amount


@pytest.mark.parametrize(("amount", "capitals"), [
    ("10000.00", "壹万元整"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100200.05", "壹拾万零贰佰元零伍分"),
    ("0.5", "伍角"),
    ("0.05", "伍分"),
    ("1000000", "壹佰万元整"),
    ("0", "零元整"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("10.50", "壹拾元伍角"),
    ("101", "壹佰零壹元整"),
    ("1001", "壹仟零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1100", "壹仟壹佰元整"),
    ("100000000", "壹亿元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("101000000", "壹亿零壹佰万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000100000000", "壹万零壹亿元整"),
    ("10000000000000", "壹拾万亿元整"),
    ("9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-12.3", "负壹拾贰元叁角"),
    ("3.005", "叁元零壹分"),
])
def test_chinese_capitals(amount: str, capitals: str) -> None:
    assert chinese_capitals(Decimal(amount)) == capitals


@pytest.mark.parametrize(("text", "amount"), [
    ("12345.67", "12345.67"), ("12,345.67", "12345.67"), ("１２３４５．６", "12345.60"), ("¥ 1,000", "1000.00"),
    ("0.01", "0.01"), ("10000000000000", "10000000000000.00"), (" 5 ", "5.00"), ("１，０００", "1000.00"),
])
def test_parse_amount_accepts(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "code"), [
    ("", "amount.invalid"), ("abc", "amount.invalid"), ("1,23", "amount.invalid"), ("1.2.3", "amount.invalid"),
    ("1e5", "amount.invalid"), ("1.234", "amount.decimals"), ("0", "amount.not_positive"),
    ("-5", "amount.not_positive"), ("0.00", "amount.not_positive"), ("10000000000000.01", "amount.too_large"),
    ("NaN", "amount.invalid"), ("12,34,567", "amount.invalid"),
])
def test_parse_amount_refuses(text: str, code: str) -> None:
    with pytest.raises(InvalidAmount) as refused:
        parse_amount(text)

    assert refused.value.code == code
