"""Contracts (合同): the record, its party (a customer or a supplier) and its lifecycle states."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from domain.suppliers.models import SupplierStatus


class ContractKind(StrEnum):
    """Who the party is: a customer (销售合同, sales contract) or a supplier (采购合同, purchase contract)."""

    SALES = "sales"
    PURCHASE = "purchase"

    @property
    def party_field(self) -> str:
        """The field naming the party: `customer_id` or `supplier_id`."""
        return "supplier_id" if self is ContractKind.PURCHASE else "customer_id"

    @classmethod
    def of(cls, supplier_id: int | None) -> "ContractKind":
        return cls.PURCHASE if supplier_id is not None else cls.SALES


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
    customer_id: int | None  # the party of a sales contract; exactly one of customer_id and supplier_id is set
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
    supplier_id: int | None = None  # the party of a purchase contract

    @property
    def kind(self) -> ContractKind:
        return ContractKind.of(self.supplier_id)

    @property
    def party_id(self) -> int:
        return party_of(self.customer_id, self.supplier_id)


CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP")
# The terms an amendment may change, in the order the diff lists them. Amount and party (customer or supplier) are
# among them: once approved they change only through amendments (the party within the contract's kind).
TERM_FIELDS = ("title", "customer_id", "supplier_id", "amount", "currency", "signed_on", "start_on", "end_on",
               "payment_terms", "notes")


@dataclass(frozen=True)
class ContractTerms:
    """The agreed terms of a contract, validated and normalised (form input, amendment snapshots)."""

    title: str
    customer_id: int | None
    amount: Decimal
    currency: str
    signed_on: date | None
    start_on: date | None
    end_on: date | None
    payment_terms: str
    notes: str
    supplier_id: int | None = None

    @classmethod
    def of(cls, contract: Contract) -> "ContractTerms":
        return cls(**{name: getattr(contract, name) for name in TERM_FIELDS})

    @property
    def kind(self) -> ContractKind:
        return ContractKind.of(self.supplier_id)

    @property
    def party_id(self) -> int:
        return party_of(self.customer_id, self.supplier_id)

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
    party_name: str  # the customer's or the supplier's name
    amount: Decimal
    currency: str
    status: str
    owner_name: str
    end_on: date | None
    created_at: datetime
    kind: str = ContractKind.SALES.value


class SupplierParty(NamedTuple):
    """A supplier as a contract's party: enough to name it and to tell whether it may be chosen."""

    id: int
    name: str
    status: SupplierStatus
    credit_code: str | None = None


@dataclass(frozen=True)
class ContractListQuery:
    """Search, filters and keyset cursor of the contract list (newest first), as parsed from the URL."""

    text: str = ""
    status: ContractStatus | None = None
    owner_id: int | None = None
    customer_id: int | None = None
    kind: ContractKind | None = None
    supplier_id: int | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50


def party_of(customer_id: int | None, supplier_id: int | None) -> int:
    """The party's id, whichever table it is in (0 only for terms that failed validation)."""
    return supplier_id if supplier_id is not None else customer_id or 0


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value
