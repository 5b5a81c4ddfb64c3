"""Field rules for suppliers; errors are codes the web layer translates. Imports call `supplier_fields` too."""

import re
from collections.abc import Mapping

from domain.customers.credit_code import checked_credit_code
from domain.customers.models import REGIONS
from domain.shared.errors import ValidationFailed
from domain.suppliers.models import CATEGORIES, SupplierFields

LIMITS = {"name": 200, "address": 300, "payment_terms": 200, "bank_name": 100, "notes": 4000}
_BANK_ACCOUNT = re.compile(r"^[0-9][0-9 -]*[0-9]$")
BANK_DIGITS = (8, 32)  # Chinese corporate accounts have 12 to 25 digits; IBAN-like numbers stay below 32


def supplier_fields(raw: Mapping[str, str]) -> SupplierFields:
    """Validate and normalise a supplier's values; raises ValidationFailed naming every bad field."""
    errors: dict[str, str] = {}
    text = {field: _text(raw, field, limit, errors) for field, limit in LIMITS.items()}
    if not text["name"]:
        errors["name"] = "required"
    code = checked_credit_code(raw.get("credit_code", ""), errors)
    category = _choice(raw, "category", CATEGORIES, errors)
    region = _choice(raw, "region", REGIONS, errors)
    account = bank_account(raw.get("bank_account", ""), errors)
    if errors:
        raise ValidationFailed(errors)
    return SupplierFields(text["name"], code, category, region, text["address"], text["payment_terms"],
                          text["bank_name"], account, text["notes"])


def bank_account(value: str, errors: dict[str, str]) -> str | None:
    """The account as entered without surrounding space (digits, with spaces or dashes between groups)."""
    value = " ".join(value.split())
    digits = sum(ch.isdigit() for ch in value)
    if value and (not _BANK_ACCOUNT.match(value) or not BANK_DIGITS[0] <= digits <= BANK_DIGITS[1]):
        errors["bank_account"] = "bank_account.invalid"
    return value or None


def _text(raw: Mapping[str, str], field: str, limit: int, errors: dict[str, str]) -> str:
    value = raw.get(field, "").strip() if field == "notes" else " ".join(raw.get(field, "").split())
    if len(value) > limit:
        errors[field] = "too_long"
    return value


def _choice(raw: Mapping[str, str], field: str, allowed: tuple[str, ...], errors: dict[str, str]) -> str:
    value = raw.get(field, "").strip()
    if value not in allowed:
        errors[field] = "required" if not value else "choice.invalid"
    return value
