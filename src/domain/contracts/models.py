"""Contracts (合同) with customers: the record and its lifecycle states."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple


class ContractStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    RENEWED = "renewed"


@dataclass
class Contract:
    id: int | None
    number: str
    title: str
    customer_id: int
    amount: Decimal
    currency: str
    signed_on: date | None
    start_on: date | None
    end_on: date | None
    owner_id: int
    department_id: int | None
    payment_terms: str
    notes: str
    status: ContractStatus
    created_by: int
    created_at: datetime
    updated_at: datetime
    amendment: int = 0
    predecessor_id: int | None = None
    end_reason: str | None = None
    version: int = 1
    form_token: str | None = None  # the create form's one-time token: a repeated submit finds this contract


CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP")
# The terms an amendment may change, in the order the diff lists them. Amount and party (customer) are among
# them: once approved they change only through amendments.
TERM_FIELDS = ("title", "customer_id", "amount", "currency", "signed_on", "start_on", "end_on", "payment_terms",
               "notes")


@dataclass(frozen=True)
class ContractTerms:
    """The agreed terms of a contract, validated and normalised (form input, amendment snapshots)."""

    title: str
    customer_id: int
    amount: Decimal
    currency: str
    signed_on: date | None
    start_on: date | None
    end_on: date | None
    payment_terms: str
    notes: str

    @classmethod
    def of(cls, contract: Contract) -> "ContractTerms":
        return cls(*(getattr(contract, name) for name in TERM_FIELDS))

    def as_values(self) -> dict[str, Any]:
        """JSON-safe values: money as a string with two decimals, dates in ISO form."""
        return {name: _plain(getattr(self, name)) for name in TERM_FIELDS}


@dataclass(frozen=True)
class FieldChange:
    """One line of an amendment's diff: the field, its previous and its new value (JSON-safe)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Amendment:
    """补充协议 n of a contract: why, what changed against version n-1, and the terms after it."""

    id: int | None
    contract_id: int
    number: int
    reason: str
    changes: tuple[FieldChange, ...]
    snapshot: dict[str, Any]
    created_by: int
    created_at: datetime
    author_name: str = ""


class ContractSummary(NamedTuple):
    """One row of the contract list (read model)."""

    id: int
    number: str
    title: str
    customer_name: str
    amount: Decimal
    currency: str
    status: str
    owner_name: str
    end_on: date | None
    created_at: datetime


@dataclass(frozen=True)
class ContractListQuery:
    """Search, filters and keyset cursor of the contract list (newest first), as parsed from the URL."""

    text: str = ""
    status: ContractStatus | None = None
    owner_id: int | None = None
    customer_id: int | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value
