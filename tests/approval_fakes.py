"""In-memory fakes of the approval ports (FakeUnitOfWork exposes them as `approvals` and `delegations`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from domain.approvals.models import HANDLERS, Outcome, register_document
from domain.approvals.records import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalTask,
    Delegation,
    InboxItem,
    TaskStatus,
)
from domain.identity.models import Actor
from domain.unit_of_work import UnitOfWork
from tests.fake_rows import insert_row

if TYPE_CHECKING:
    from tests.fakes import FakeUserRepository

TEST_DOCUMENT = "registered_document"


@dataclass
class RecordingHandler:
    """A document type of the tests: records the outcomes the engine reports."""

    decided: list[tuple[int, Outcome]] = field(default_factory=list)

    def on_decided(self, document_id: int, outcome: Outcome, *, actor: Actor, uow: UnitOfWork,
                   now: datetime, override: bool = False) -> None:
        self.decided.append((document_id, outcome))

    def link(self, document_id: int) -> str:
        return f"/test-documents/{document_id}"

    def notice(self, document_id: int, uow: UnitOfWork) -> str | None:
        return None


@contextmanager
def registered_document() -> Iterator[RecordingHandler]:
    """Register the test document type for the duration of a test."""
    recording = RecordingHandler()
    register_document(TEST_DOCUMENT, recording)
    try:
        yield recording
    finally:
        del HANDLERS[TEST_DOCUMENT]


class FakeDelegationRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Delegation] = {}

    def current(self, user_id: int, on: date) -> Delegation | None:
        found = sorted((d for d in self.rows.values() if d.user_id == user_id and d.ends_on >= on and not d.ended_at),
                       key=lambda d: (d.starts_on, d.id or 0))
        return replace(found[0]) if found else None

    def add(self, delegation: Delegation) -> int:
        return insert_row(self.rows, delegation)

    def end(self, delegation_id: int, at: datetime) -> None:
        self.rows[delegation_id].ended_at = at

    def delegators(self, delegate_id: int, on: date) -> set[int]:
        return {d.user_id for d in self.rows.values() if d.delegate_id == delegate_id and d.active_on(on)}


class FakeApprovalRepository:
    """Mirrors the SQL adapter: rules read whole, tasks decided at most once, the inbox ordered by task id."""

    def __init__(self, users: "FakeUserRepository", delegations: FakeDelegationRepository) -> None:
        self.rule_rows: dict[int, ApprovalRule] = {}
        self.requests: dict[int, ApprovalRequest] = {}
        self.tasks: dict[int, ApprovalTask] = {}
        self._users = users
        self._delegations = delegations

    def rules(self, document_type: str | None = None) -> list[ApprovalRule]:
        found = [r for r in self.rule_rows.values() if document_type is None or r.document_type == document_type]
        return [replace(r, steps=list(r.steps)) for r in sorted(found, key=lambda r: r.id or 0)]

    def get_rule(self, rule_id: int) -> ApprovalRule | None:
        rule = self.rule_rows.get(rule_id)
        return replace(rule, steps=list(rule.steps)) if rule else None

    def add_rule(self, rule: ApprovalRule) -> int:
        new_id = len(self.rule_rows) + 1
        self.rule_rows[new_id] = replace(rule, id=new_id, steps=list(rule.steps))
        return new_id

    def update_rule(self, rule: ApprovalRule, expected_version: int) -> bool:
        if self.rule_rows[rule.id or 0].version != expected_version:
            return False
        self.rule_rows[rule.id or 0] = replace(rule, steps=list(rule.steps))
        return True

    def role_holders(self, role_key: str, department_id: int | None) -> list[int]:
        return sorted(i for i, u in self._users.users.items()
                      if u.is_active and role_key in u.roles and u.department_id == department_id)

    def add_request(self, request: ApprovalRequest) -> int:
        return insert_row(self.requests, request)

    def get_request(self, request_id: int) -> ApprovalRequest | None:
        request = self.requests.get(request_id)
        return replace(request) if request else None

    def save_request(self, request: ApprovalRequest) -> None:
        self.requests[request.id or 0] = replace(request)

    def requests_for(self, document_type: str, document_id: int) -> list[ApprovalRequest]:
        return [replace(r) for r in self.requests.values()
                if r.document_type == document_type and r.document_id == document_id]

    def add_task(self, task: ApprovalTask) -> int:
        return insert_row(self.tasks, task)

    def get_task(self, task_id: int) -> ApprovalTask | None:
        task = self.tasks.get(task_id)
        return replace(task) if task else None

    def tasks_of(self, request_id: int) -> list[ApprovalTask]:
        return sorted((replace(t) for t in self.tasks.values() if t.request_id == request_id),
                      key=lambda t: (t.step, t.id or 0))

    def close_task(self, task: ApprovalTask) -> bool:
        if self.tasks[task.id or 0].status is not TaskStatus.OPEN:
            return False
        self.tasks[task.id or 0] = replace(task)
        return True

    def inbox(self, user_id: int, on: date, after: int | None, limit: int) -> list[InboxItem]:
        mine = [t for t in self._open_for(user_id, on) if (t.id or 0) > (after or 0)][:limit]
        return [self._item(t, user_id) for t in mine]

    def open_task_count(self, user_id: int, on: date) -> int:
        return len(self._open_for(user_id, on))

    def open_tasks(self, user_id: int) -> list[ApprovalTask]:
        """Test helper: the user's own open tasks."""
        return [t for t in self.tasks.values() if t.assignee_id == user_id and t.status is TaskStatus.OPEN]

    def _open_for(self, user_id: int, on: date) -> list[ApprovalTask]:
        whose = {user_id} | self._delegations.delegators(user_id, on)
        return sorted((t for t in self.tasks.values() if t.status is TaskStatus.OPEN and t.assignee_id in whose),
                      key=lambda t: t.id or 0)

    def _item(self, task: ApprovalTask, user_id: int) -> InboxItem:
        request = self.requests[task.request_id]
        behalf = task.assignee_id if task.assignee_id != user_id else task.on_behalf_of
        names = self._users.names({request.requested_by, behalf or 0})
        return InboxItem(task.id or 0, request.document_type, request.document_id, request.title, request.amount,
                         request.currency, names.get(request.requested_by, ""), request.created_at, task.step,
                         names.get(behalf) if behalf else None)
