"""Suppliers (供应商): the companies we buy from."""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from domain.customers.contacts import ContactFields
from domain.shared.sensitive import SensitiveKind, mask, masked_values


class SupplierStatus(StrEnum):
    """pending → qualified ↔ suspended; any → blacklisted (with a reason). Only qualified suppliers get orders."""

    PENDING = "pending"
    QUALIFIED = "qualified"
    SUSPENDED = "suspended"
    BLACKLISTED = "blacklisted"

    @property
    def orderable(self) -> bool:
        return self is SupplierStatus.QUALIFIED


CATEGORIES = ("raw_materials", "components", "equipment", "it_software", "services", "logistics", "office_supplies",
              "construction", "other")

SENSITIVE_FIELDS = {"bank_account": SensitiveKind.BANK_ACCOUNT}  # encrypted, masked, revealable


@dataclass(frozen=True)
class SupplierFields:
    """The editable fields of a supplier, already validated and normalised (see validation.supplier_fields)."""

    name: str
    credit_code: str | None
    category: str
    region: str
    address: str
    payment_terms: str
    bank_name: str
    bank_account: str | None
    notes: str

    def as_values(self) -> dict[str, Any]:
        return asdict(self)

    def masked(self, field: str) -> str:
        """The mask of a sensitive field's value ("" when empty)."""
        return mask(SENSITIVE_FIELDS[field], getattr(self, field))

    def audited(self) -> dict[str, Any]:
        """The values as audit records hold them: the bank account masked."""
        return masked_values(self.as_values(), SENSITIVE_FIELDS)


@dataclass
class Supplier:
    id: int | None
    fields: SupplierFields
    status: SupplierStatus
    created_by: int
    created_at: datetime
    updated_at: datetime
    status_reason: str | None = None  # why it was last qualified, suspended, blacklisted or restored
    version: int = 1
    form_token: str | None = None  # the create form's one-time token: a repeated submit finds this supplier

    @property
    def name(self) -> str:
        return self.fields.name


class DocumentAlert(StrEnum):
    """What the supplier list marks: a document that expires within the reminder horizon, or one that has."""

    EXPIRING = "expiring"
    EXPIRED = "expired"


class SupplierSummary(NamedTuple):
    """One row of the supplier list (read model)."""

    id: int
    name: str
    credit_code: str | None
    category: str
    status: str
    region: str
    created_on: date
    alert: DocumentAlert | None = None
    next_expiry: date | None = None  # the earliest expiry date of its live documents, when it is marked


class SupplierExportRow(NamedTuple):
    """One supplier as the list's export writes it (the bank account is masked by the export, never shown)."""

    name: str
    credit_code: str | None
    category: str
    status: str
    status_reason: str | None
    region: str
    address: str
    payment_terms: str
    bank_name: str
    bank_account: str | None
    created_on: date
    alert: DocumentAlert | None
    next_expiry: date | None


@dataclass(frozen=True)
class SupplierListQuery:
    """Search, filters and keyset cursor of the supplier list (newest first), as parsed from the URL."""

    text: str = ""
    status: SupplierStatus | None = None
    category: str | None = None
    documents: DocumentAlert | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50


@dataclass(frozen=True)
class SupplierContact:
    """A person at a supplier; the fields (and their validation) are the customer contacts'."""

    id: int | None
    supplier_id: int
    fields: ContactFields
    created_at: datetime
    updated_at: datetime
    version: int = 1
