"""Form values to and from the customer templates (validation itself lives in the domain)."""

from collections.abc import Mapping

from domain.customers.models import SENSITIVE_FIELDS, Customer
from domain.shared.sensitive import SensitiveKind, normalise

FIELDS = ("name", "credit_code", "industry", "region", "stage", "level", "owner_id", "phone", "email", "remove_phone",
          "remove_email")


def values_of(customer: Customer) -> dict[str, str]:
    """The customer's stored values as form strings; sensitive fields stay empty (they are write-only)."""
    return {k: "" if v is None or k in SENSITIVE_FIELDS else str(v) for k, v in customer.fields.as_values().items()}


def masks_of(customer: Customer) -> dict[str, str]:
    """The masks of the stored sensitive values, for placeholders and the conflict panel."""
    return {field: customer.fields.masked(field) for field in SENSITIVE_FIELDS}


def conflicting(raw: Mapping[str, str], current: Customer) -> dict[str, str]:
    """Fields whose saved value differs from what the form asks for; sensitive ones as masks."""
    saved = values_of(current)
    changed = {k: saved[k] for k in saved if k not in SENSITIVE_FIELDS and str(raw.get(k, "")) != saved[k]}
    return changed | {f: current.fields.masked(f) for f in SENSITIVE_FIELDS if _secret_differs(raw, current, f)}


def form_values(raw: Mapping[str, str]) -> dict[str, str]:
    """Only the known fields of a submitted form, so nothing else is echoed back."""
    return {k: str(raw.get(k, "")) for k in FIELDS}


def version_of(raw: Mapping[str, str]) -> int:
    value = str(raw.get("version", ""))
    return int(value) if value.isdigit() and len(value) < 10 else -1


def _secret_differs(raw: Mapping[str, str], current: Customer, field: str) -> bool:
    return secret_differs(raw, field, getattr(current.fields, field), SENSITIVE_FIELDS[field])


def secret_differs(raw: Mapping[str, str], field: str, stored: str | None, kind: SensitiveKind) -> bool:
    """Whether a write-only field's submission (a new value, or `remove_<field>`) differs from the stored value."""
    entered = str(raw.get(field, "")).strip()
    if raw.get(f"remove_{field}") == "1":
        return stored is not None
    return bool(entered) and normalise(kind, entered) != normalise(kind, stored or "")
