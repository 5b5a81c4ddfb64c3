"""Sensitive values (phone numbers, e-mail, ID numbers, bank accounts): masks for display, keys for lookup.

They are stored encrypted; exact-match lookup goes through a keyed hash (blind index) of the
normalised value, and people without the reveal permission only ever see the mask.
"""

import re
from collections.abc import Mapping
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")


class SensitiveKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ID_NUMBER = "id_number"
    BANK_ACCOUNT = "bank_account"


_NON_DIGITS = re.compile(r"\D")
_PHONE_TERM = re.compile(r"^\+?[0-9][0-9 ()-]*$")
_KEEP_HEAD, _KEEP_TAIL = 3, 4
_MIN_PARTLY_SHOWN = 11  # below this, head + tail would give away most of the value


def mask(kind: SensitiveKind, value: str | None) -> str:
    """The value as shown to people without the reveal permission ("" when there is none)."""
    if not value:
        return ""
    return _MASKS[kind](value)


def normalise(kind: SensitiveKind, value: str) -> str:
    """The canonical form the blind index hashes, so any spelling of one value finds it."""
    if kind is SensitiveKind.PHONE:
        return _phone_digits(value)
    if kind is SensitiveKind.EMAIL:
        return value.strip().casefold()
    if kind is SensitiveKind.ID_NUMBER:
        return "".join(value.split()).upper()
    return _NON_DIGITS.sub("", value)


def lookup_kind(term: str) -> SensitiveKind | None:
    """The kind a search term could be an exact value of: a plausible phone number or an e-mail address."""
    term = term.strip()
    if "@" in term:
        return SensitiveKind.EMAIL
    if _PHONE_TERM.match(term) and 7 <= len(_phone_digits(term)) <= 15:
        return SensitiveKind.PHONE
    return None


def masked_values(values: Mapping[str, Any], sensitive: Mapping[str, SensitiveKind]) -> dict[str, Any]:
    """`values` with every sensitive field replaced by its mask (for audit records and exports)."""
    return {k: (mask(sensitive[k], v) or None) if k in sensitive else v for k, v in values.items()}


def keep_unentered(entered: D, stored: D, raw: Mapping[str, str], sensitive: Mapping[str, SensitiveKind]) -> D:
    """Sensitive fields are write-only: left empty they keep the stored value, unless `remove_<field>` is set."""
    kept = {f: getattr(stored, f) for f in sensitive
            if getattr(entered, f) is None and raw.get(f"remove_{f}", "") != "1"}
    return replace(entered, **kept)


def _phone_digits(value: str) -> str:
    digits = _NON_DIGITS.sub("", value)
    if value.strip().startswith("+") and digits.startswith("86"):
        return digits[2:]
    return digits[4:] if digits.startswith("0086") else digits


def _head_and_tail(value: str) -> str:
    if len(value) < _MIN_PARTLY_SHOWN:
        return "*" * len(value)
    return value[:_KEEP_HEAD] + "*" * (len(value) - _KEEP_HEAD - _KEEP_TAIL) + value[-_KEEP_TAIL:]


def _mask_email(value: str) -> str:
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    return local[0] + "***@" + domain


def _mask_bank_account(value: str) -> str:
    digits = _NON_DIGITS.sub("", value)
    return "**** **** **** " + digits[-4:] if len(digits) >= 8 else "*" * max(len(digits), 4)


_MASKS = {
    SensitiveKind.PHONE: lambda v: _head_and_tail(_phone_digits(v)) or "***",
    SensitiveKind.EMAIL: _mask_email,
    SensitiveKind.ID_NUMBER: lambda v: _head_and_tail(normalise(SensitiveKind.ID_NUMBER, v)) or "***",
    SensitiveKind.BANK_ACCOUNT: _mask_bank_account,
}
