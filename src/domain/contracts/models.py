"""Contracts (合同) with customers: the record and its lifecycle states."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


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
