"""Money: amounts entered by people, and amounts written in Chinese capitals (大写金额) as on cheques and contracts."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.shared.errors import DomainError

MAX_AMOUNT = Decimal(10) ** 13
CENT = Decimal("0.01")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_WAN, _YI = 10**4, 10**8
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^\d+(\.\d+)?$")


class InvalidAmount(DomainError):
    """The text is not an amount we accept; `code` says why (amount.invalid, .decimals, .not_positive, .too_large)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_amount(text: str) -> Decimal:
    """A positive amount of at most 2 decimals and at most 10^13, from text with optional thousands commas,
    full-width digits and a leading ¥; raises InvalidAmount."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lstrip("¥").replace(" ", "")
    if cleaned.startswith("-"):
        raise InvalidAmount("amount.not_positive")
    if not (_PLAIN.match(cleaned) or _GROUPED.match(cleaned)):
        raise InvalidAmount("amount.invalid")
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:
        raise InvalidAmount("amount.invalid") from error
    if amount != amount.quantize(CENT):
        raise InvalidAmount("amount.decimals")
    if amount <= 0:
        raise InvalidAmount("amount.not_positive")
    if amount > MAX_AMOUNT:
        raise InvalidAmount("amount.too_large")
    return amount.quantize(CENT)


def chinese_capitals(amount: Decimal) -> str:
    """The amount in financial Chinese capitals: 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; 负 for negatives."""
    cents = int((abs(amount).quantize(CENT, ROUND_HALF_UP) * 100).to_integral_value())
    sign = "负" if amount < 0 and cents else ""
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if not jiao and not fen:
        return f"{sign}{_integer(yuan)}元整"
    head = f"{_integer(yuan)}元" if yuan else ""
    tail = (_DIGITS[jiao] + "角" if jiao else ("零" if yuan else "")) + (_DIGITS[fen] + "分" if fen else "")
    return sign + head + tail


def _integer(number: int) -> str:
    """Up to 万亿: a number above 10^8 reads as (number of 亿)亿 followed by the rest."""
    if number == 0:
        return "零"
    for size, unit in ((_YI, "亿"), (_WAN, "万")):
        if number >= size:
            high, low = divmod(number, size)
            gap = "零" if 0 < low < size // 10 else ""
            return _integer(high) + unit + gap + (_integer(low) if low else "")
    return _below_wan(number)


def _below_wan(number: int) -> str:
    text, pending_zero = "", False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit:
            text += ("零" if pending_zero else "") + _DIGITS[digit] + _PLACES[place]
            pending_zero = False
        elif text:
            pending_zero = True
    return text
