"""Approval rules, requests, tasks and delegations: what the engine stores and shows."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo


class StepMode(StrEnum):
    ALL = "all"  # every approver of the step must approve
    ANY = "any"  # the first approval completes the step and closes the others' tasks


class ApproverKind(StrEnum):
    USER = "user"  # a named user
    ROLE = "role"  # holders of a role in the document's department, else its nearest ancestor that has some
    MANAGER = "manager"  # the department's manager, walking up the tree


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class TaskStatus(StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    CLOSED = "closed"  # no longer needed: a sibling decided an "any of" step, or the request was rejected


@dataclass(frozen=True)
class RuleStep:
    position: int
    mode: StepMode
    kind: ApproverKind
    role_key: str | None = None
    user_id: int | None = None


@dataclass
class ApprovalRule:
    """Document type × amount band [min, max) × department (None: company-wide) → ordered steps."""

    id: int | None
    name: str
    document_type: str
    department_id: int | None
    min_amount: Decimal
    max_amount: Decimal | None
    steps: list[RuleStep] = field(default_factory=list)
    active: bool = True
    version: int = 1

    def covers(self, amount: Decimal) -> bool:
        return self.min_amount <= amount and (self.max_amount is None or amount < self.max_amount)

    def overlaps(self, other: "ApprovalRule") -> bool:
        below_other_max = other.max_amount is None or self.min_amount < other.max_amount
        return below_other_max and (self.max_amount is None or other.min_amount < self.max_amount)


@dataclass
class ApprovalRequest:
    """One submission of a document; the title and amount are what the approvers were asked to approve."""

    id: int | None
    document_type: str
    document_id: int
    rule_id: int
    title: str
    amount: Decimal
    currency: str
    department_id: int | None
    requested_by: int
    created_at: datetime
    status: RequestStatus = RequestStatus.PENDING
    current_step: int = 1
    decided_at: datetime | None = None


@dataclass
class ApprovalTask:
    id: int | None
    request_id: int
    step: int
    assignee_id: int
    status: TaskStatus = TaskStatus.OPEN
    on_behalf_of: int | None = None  # the approver the assignee stands in for (delegation)
    decided_at: datetime | None = None
    comment: str = ""


@dataclass
class Delegation:
    """While away (starts_on..ends_on, both inclusive), `delegate_id` receives `user_id`'s approvals."""

    id: int | None
    user_id: int
    delegate_id: int
    starts_on: date
    ends_on: date
    created_at: datetime
    ended_at: datetime | None = None

    def active_on(self, day: date) -> bool:
        return self.ended_at is None and self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class InboxItem:
    """One open task in an approver's inbox."""

    task_id: int
    document_type: str
    document_id: int
    title: str
    amount: Decimal
    currency: str
    requester: str
    submitted_at: datetime
    step: int
    on_behalf_of: str | None
    link: str = ""
    notice: str | None = None  # what the approver should know first, e.g. "budget.exceeded" (see DocumentHandler)


@dataclass(frozen=True)
class TrailEntry:
    """One approver's part in a request, for the document's timeline."""

    request_id: int
    requested_by: str
    requested_at: datetime
    request_status: RequestStatus
    step: int
    approver: str
    on_behalf_of: str | None
    status: TaskStatus
    decided_at: datetime | None
    comment: str


# Delegation dates are calendar days of the company, which works in China Standard Time; a UTC date
# would end a delegation "until Friday" at 08:00 on Friday.
BUSINESS_TIME = ZoneInfo("Asia/Shanghai")


def business_day(moment: datetime) -> date:
    """The company's calendar day at `moment`."""
    return moment.astimezone(BUSINESS_TIME).date()
