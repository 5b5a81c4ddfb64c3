"""Purchase requisitions (采购申请): a department's request to buy."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from domain.procurement.amounts import plain


class RequisitionStatus(StrEnum):
    """draft → submitted → approved / rejected (→ draft again) → partly ordered → ordered; closed ends it early."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for approval
    APPROVED = "approved"
    REJECTED = "rejected"
    PARTLY_ORDERED = "partly_ordered"
    ORDERED = "ordered"
    CLOSED = "closed"

    @property
    def orderable(self) -> bool:
        """Lines of approved requisitions may be put on purchase orders until they are fully ordered or closed."""
        return self in (RequisitionStatus.APPROVED, RequisitionStatus.PARTLY_ORDERED)


@dataclass(frozen=True)
class RequisitionLine:
    """One thing to buy; `amount` is quantity × estimated unit price (tax included), half-up to the fen."""

    id: int | None
    position: int
    item: str
    specification: str
    quantity: Decimal
    unit: str
    estimated_unit_price: Decimal
    amount: Decimal
    needed_by: date | None = None
    ordered_quantity: Decimal = Decimal("0")  # written by the purchase orders that take the line over

    def compact(self) -> str:
        """The line in one audit-friendly string: 'item (spec) 2 箱 × 12.5 = 25.00, by 2026-12-01'."""
        spec = f" ({self.specification})" if self.specification else ""
        by = f", by {self.needed_by.isoformat()}" if self.needed_by else ""
        return (f"{self.item}{spec} {plain(self.quantity)} {self.unit} × {plain(self.estimated_unit_price)}"
                f" = {self.amount:.2f}{by}")


@dataclass
class Requisition:
    id: int | None
    number: str
    title: str
    purpose: str
    department_id: int
    requester_id: int
    budget_id: int | None
    needed_by: date | None
    status: RequisitionStatus
    created_by: int
    created_at: datetime
    updated_at: datetime
    lines: tuple[RequisitionLine, ...] = field(default_factory=tuple)
    currency: str = "CNY"
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    closed_reason: str | None = None
    version: int = 1
    form_token: str | None = None  # the create form's one-time token: a repeated submit finds this requisition
    estimated_total: Decimal = Decimal("0.00")  # the sum of the lines' amounts: what approval commits of the budget


@dataclass(frozen=True)
class RequisitionDraft:
    """Validated, normalised content of the requisition form."""

    title: str
    purpose: str
    budget_id: int | None
    needed_by: date | None
    lines: tuple[RequisitionLine, ...]


class RequisitionSummary(NamedTuple):
    """One row of the requisition list (read model)."""

    id: int
    number: str
    title: str
    department_name: str
    requester_name: str
    estimated_total: Decimal
    currency: str
    status: str
    needed_by: date | None
    created_at: datetime


class RequisitionExportRow(NamedTuple):
    """One requisition as the list's export writes it."""

    number: str
    title: str
    purpose: str
    department_name: str
    requester_name: str
    status: str
    estimated_total: Decimal
    currency: str
    budget: str  # "CODE name" of its budget line, "" without one
    needed_by: date | None
    lines: int
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    closed_reason: str | None


@dataclass(frozen=True)
class RequisitionListQuery:
    """Search (number exact, title contains), filters and keyset cursor of the list, as parsed from the URL."""

    text: str = ""
    status: RequisitionStatus | None = None
    department_id: int | None = None
    requester_id: int | None = None  # "mine": the actor's own
    after: str | None = None
    before: str | None = None
    per_page: int = 50


def total_of(lines: tuple[RequisitionLine, ...]) -> Decimal:
    """A requisition's estimated total: the sum of its lines' rounded amounts."""
    return sum((line.amount for line in lines), Decimal("0.00"))

