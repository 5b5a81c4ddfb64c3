"""Customers (客户) and their follow-ups (跟进记录)."""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from domain.shared.sensitive import SensitiveKind, mask


class CustomerStage(StrEnum):
    LEAD = "lead"
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    LOST = "lost"


class CustomerLevel(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class FollowUpKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    EMAIL = "email"
    WECHAT = "wechat"
    NOTE = "note"


INDUSTRIES = ("manufacturing", "technology", "retail", "logistics", "construction", "finance",
              "healthcare", "energy", "education", "agriculture", "services", "other")

REGIONS = ("beijing", "shanghai", "tianjin", "chongqing", "guangdong", "zhejiang", "jiangsu", "shandong",
           "fujian", "hubei", "hunan", "sichuan", "henan", "hebei", "anhui", "liaoning", "shaanxi",
           "hong_kong", "taiwan", "asia_pacific", "europe", "north_america", "other")


SENSITIVE_FIELDS = {"phone": SensitiveKind.PHONE, "email": SensitiveKind.EMAIL}  # encrypted, masked, revealable


@dataclass(frozen=True)
class CustomerFields:
    """The editable fields of a customer, already validated and normalised."""

    name: str
    credit_code: str | None
    industry: str
    region: str
    stage: CustomerStage
    owner_id: int
    phone: str | None
    email: str | None
    level: CustomerLevel | None = None

    def as_values(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}

    def masked(self, field: str) -> str:
        """The mask of a sensitive field's value ("" when empty)."""
        return mask(SENSITIVE_FIELDS[field], getattr(self, field))


@dataclass
class Customer:
    id: int | None
    fields: CustomerFields
    department_id: int | None
    created_at: datetime
    updated_at: datetime
    created_by: int
    version: int = 1
    archived_at: datetime | None = None
    form_token: str | None = None

    @property
    def name(self) -> str:
        return self.fields.name

    @property
    def owner_id(self) -> int:
        return self.fields.owner_id


class CustomerSummary(NamedTuple):
    """One row of the customer list (read model; a tuple because a page builds fifty of them)."""

    id: int
    name: str
    credit_code: str | None
    stage: str
    region: str
    owner_name: str
    created_on: date
    next_action_on: date | None = None  # earliest open follow-up action; before today = overdue


@dataclass(frozen=True)
class FollowUp:
    id: int | None
    customer_id: int
    author_id: int
    kind: FollowUpKind
    content: str
    next_action_on: date | None
    created_at: datetime
    author_name: str = ""
    done_at: datetime | None = None


SORTS = ("-created", "created", "name", "-name")


@dataclass(frozen=True)
class CustomerListQuery:
    """Filters, sort and keyset cursor of the customer list, as parsed from the URL."""

    text: str = ""
    stage: CustomerStage | None = None
    owner_id: int | None = None
    tag_id: int | None = None
    sort: str = "-created"
    after: str | None = None
    before: str | None = None
    per_page: int = 50


class DueFollowUp(NamedTuple):
    """One row of "my follow-ups": an open next action and the customer it is for."""

    id: int
    customer_id: int
    customer_name: str
    kind: str
    content: str
    next_action_on: date


class DuplicateCandidate(NamedTuple):
    """A customer that is probably the one being entered, and why: "credit_code", "phone" and/or "name"."""

    id: int
    name: str
    reasons: tuple[str, ...]
