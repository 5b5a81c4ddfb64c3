"""Form values to and from the customer templates (validation itself lives in the domain)."""

from collections.abc import Mapping

from domain.customers.models import Customer

FIELDS = ("name", "credit_code", "industry", "region", "stage", "owner_id", "phone", "email")


def values_of(customer: Customer) -> dict[str, str]:
    """The customer's stored values as form strings."""
    return {k: "" if v is None else str(v) for k, v in customer.fields.as_values().items()}


def form_values(raw: Mapping[str, str]) -> dict[str, str]:
    """Only the known fields of a submitted form, so nothing else is echoed back."""
    return {k: str(raw.get(k, "")) for k in FIELDS}


def version_of(raw: Mapping[str, str]) -> int:
    value = str(raw.get("version", ""))
    return int(value) if value.isdigit() and len(value) < 10 else -1
