"""Contacts (联系人): people at a customer. Phone and e-mail are sensitive like the customer's own."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from domain.customers.models import SENSITIVE_FIELDS
from domain.customers.validation import optional_contact
from domain.shared.errors import ValidationFailed
from domain.shared.sensitive import mask, masked_values

NAME_MAX, TITLE_MAX, NOTES_MAX = 100, 100, 2000


@dataclass(frozen=True)
class ContactFields:
    name: str
    title: str
    phone: str | None
    email: str | None
    notes: str

    def masked(self, field: str) -> str:
        """The mask of a sensitive field's value ("" when empty)."""
        return mask(SENSITIVE_FIELDS[field], getattr(self, field))

    def audited(self) -> dict[str, Any]:
        """The values as audit records hold them: sensitive ones masked."""
        return masked_values(asdict(self), SENSITIVE_FIELDS)


@dataclass(frozen=True)
class Contact:
    id: int | None
    customer_id: int
    fields: ContactFields
    created_at: datetime
    updated_at: datetime
    version: int = 1


def contact_fields(raw: Mapping[str, str]) -> ContactFields:
    """Validate and normalise a contact form; raises ValidationFailed naming every bad field."""
    errors: dict[str, str] = {}
    name = " ".join(raw.get("name", "").split())
    title = " ".join(raw.get("title", "").split())
    notes = raw.get("notes", "").strip()
    if not name:
        errors["name"] = "required"
    for field, value, limit in (("name", name, NAME_MAX), ("title", title, TITLE_MAX), ("notes", notes, NOTES_MAX)):
        if len(value) > limit:
            errors[field] = "too_long"
    phone, email = optional_contact(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    return ContactFields(name, title, phone, email, notes)
