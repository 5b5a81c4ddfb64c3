"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (weighted sum modulo 31)."""
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """True for 18 characters of the code alphabet whose last one is the GB 32100 check character."""
    if len(code) != 18 or any(ch not in ALPHABET for ch in code):
        return False
    return check_character(code[:17]) == code[17]


def normalise_credit_code(code: str) -> str:
    """Upper case, no spaces, full-width letters and digits made half-width."""
    half = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in code)
    return "".join(half.split()).upper()


def checked_credit_code(value: str, errors: dict[str, str]) -> str | None:
    """The normalised code of a form (None when empty); records why under "credit_code" when it is invalid."""
    code = normalise_credit_code(value) or None
    if code and not is_valid_credit_code(code):
        errors["credit_code"] = "credit_code.invalid" if len(code) == 18 else "credit_code.length"
    return code
