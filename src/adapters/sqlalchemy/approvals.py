"""SQL repositories of the approval engine: rules and steps, requests and tasks, delegations."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Date,
    Integer,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)

from adapters.sqlalchemy.tables import (
    approval_requests as requests,
    approval_rule_steps as steps,
    approval_rules as rules,
    approval_tasks as tasks,
    delegations,
    user_roles,
    users,
)
from domain.approvals.records import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalTask,
    ApproverKind,
    Delegation,
    InboxItem,
    RequestStatus,
    RuleStep,
    StepMode,
    TaskStatus,
)

# A literal, not a bound parameter, so that the planners may use the partial index ix_approval_tasks_open.
OPEN = text("approval_tasks.status = 'open'")


class SqlApprovalRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def rules(self, document_type: str | None = None) -> list[ApprovalRule]:
        statement = select(rules).order_by(rules.c.document_type, rules.c.department_id, rules.c.min_amount,
                                           rules.c.id)
        if document_type is not None:
            statement = statement.where(rules.c.document_type == document_type)
        return self._with_steps(self._db.execute(statement).all())

    def get_rule(self, rule_id: int) -> ApprovalRule | None:
        found = self._with_steps(self._db.execute(select(rules).where(rules.c.id == rule_id)).all())
        return found[0] if found else None

    def add_rule(self, rule: ApprovalRule) -> int:
        rule_id = int(self._db.execute(insert(rules).values(_rule_values(rule)).returning(rules.c.id)).scalar_one())
        self._insert_steps(rule_id, rule.steps)
        return rule_id

    def update_rule(self, rule: ApprovalRule, expected_version: int) -> bool:
        result = self._db.execute(update(rules).where(rules.c.id == rule.id, rules.c.version == expected_version)
                                  .values(_rule_values(rule)))
        if result.rowcount != 1:
            return False
        self._db.execute(delete(steps).where(steps.c.rule_id == rule.id))
        self._insert_steps(rule.id or 0, rule.steps)
        return True

    def role_holders(self, role_key: str, department_id: int | None) -> list[int]:
        department = users.c.department_id.is_(None) if department_id is None \
            else users.c.department_id == department_id
        statement = select(users.c.id).join(user_roles, user_roles.c.user_id == users.c.id).where(
            user_roles.c.role == role_key, users.c.is_active, department).order_by(users.c.id)
        return list(self._db.execute(statement).scalars())

    def add_request(self, request: ApprovalRequest) -> int:
        values = {"document_type": request.document_type, "document_id": request.document_id,
                  "rule_id": request.rule_id, "title": request.title, "amount": request.amount,
                  "currency": request.currency, "department_id": request.department_id,
                  "requested_by": request.requested_by, "created_at": request.created_at} | _request_state(request)
        return int(self._db.execute(insert(requests).values(values).returning(requests.c.id)).scalar_one())

    def get_request(self, request_id: int) -> ApprovalRequest | None:
        row = self._db.execute(select(requests).where(requests.c.id == request_id)).first()
        return _to_request(row) if row else None

    def save_request(self, request: ApprovalRequest) -> None:
        self._db.execute(update(requests).where(requests.c.id == request.id).values(_request_state(request)))

    def requests_for(self, document_type: str, document_id: int) -> list[ApprovalRequest]:
        statement = select(requests).where(requests.c.document_type == document_type,
                                           requests.c.document_id == document_id).order_by(requests.c.id)
        return [_to_request(row) for row in self._db.execute(statement)]

    def add_task(self, task: ApprovalTask) -> int:
        values = {"request_id": task.request_id, "step": task.step} | _task_state(task)
        return int(self._db.execute(insert(tasks).values(values).returning(tasks.c.id)).scalar_one())

    def get_task(self, task_id: int) -> ApprovalTask | None:
        row = self._db.execute(select(tasks).where(tasks.c.id == task_id)).first()
        return _to_task(row) if row else None

    def tasks_of(self, request_id: int) -> list[ApprovalTask]:
        statement = select(tasks).where(tasks.c.request_id == request_id).order_by(tasks.c.step, tasks.c.id)
        return [_to_task(row) for row in self._db.execute(statement)]

    def close_task(self, task: ApprovalTask) -> bool:
        result = self._db.execute(update(tasks).where(tasks.c.id == task.id, tasks.c.status == TaskStatus.OPEN.value)
                                  .values(_task_state(task)))
        return result.rowcount == 1

    def inbox(self, user_id: int, on: date, after: int | None, limit: int) -> list[InboxItem]:
        statement = (select(tasks.c.id, tasks.c.step, tasks.c.assignee_id, tasks.c.on_behalf_of,
                            requests.c.document_type, requests.c.document_id, requests.c.title, requests.c.amount,
                            requests.c.currency, requests.c.created_at, users.c.display_name.label("requester"))
                     .join(requests, requests.c.id == tasks.c.request_id)
                     .join(users, users.c.id == requests.c.requested_by)
                     .where(_open_for(user_id, on), tasks.c.id > (after or 0)).order_by(tasks.c.id).limit(limit))
        rows = self._db.execute(statement).all()
        names = self._names({_stands_in_for(row, user_id) or 0 for row in rows} - {0})
        return [InboxItem(row.id, row.document_type, row.document_id, row.title, row.amount, row.currency,
                          row.requester, row.created_at, row.step, names.get(_stands_in_for(row, user_id) or 0))
                for row in rows]

    def open_task_count(self, user_id: int, on: date) -> int:
        return int(self._db.execute(_OPEN_TASK_COUNT, {"user_id": user_id, "on": on}).scalar_one())

    def _with_steps(self, rows: Sequence[Row[Any]]) -> list[ApprovalRule]:
        ids = [row.id for row in rows]
        by_rule: dict[int, list[RuleStep]] = {rule_id: [] for rule_id in ids}
        for step in self._db.execute(select(steps).where(steps.c.rule_id.in_(ids)).order_by(steps.c.position)):
            by_rule[step.rule_id].append(RuleStep(step.position, StepMode(step.mode), ApproverKind(step.approver_kind),
                                                  step.role_key, step.user_id))
        return [ApprovalRule(row.id, row.name, row.document_type, row.department_id, row.min_amount, row.max_amount,
                             by_rule[row.id], row.active, row.version) for row in rows]

    def _insert_steps(self, rule_id: int, rule_steps: list[RuleStep]) -> None:
        if rule_steps:
            self._db.execute(insert(steps), [{"rule_id": rule_id, "position": s.position, "mode": s.mode.value,
                                              "approver_kind": s.kind.value, "role_key": s.role_key,
                                              "user_id": s.user_id} for s in rule_steps])

    def _names(self, user_ids: set[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        statement = select(users.c.id, users.c.display_name).where(users.c.id.in_(user_ids))
        return {row.id: row.display_name for row in self._db.execute(statement)}


class SqlDelegationRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def current(self, user_id: int, on: date) -> Delegation | None:
        row = self._db.execute(select(delegations).where(
            delegations.c.user_id == user_id, delegations.c.ends_on >= on, delegations.c.ended_at.is_(None))
            .order_by(delegations.c.starts_on, delegations.c.id).limit(1)).first()
        return Delegation(row.id, row.user_id, row.delegate_id, row.starts_on, row.ends_on, row.created_at,
                          row.ended_at) if row else None

    def add(self, delegation: Delegation) -> int:
        return int(self._db.execute(insert(delegations).values(
            user_id=delegation.user_id, delegate_id=delegation.delegate_id, starts_on=delegation.starts_on,
            ends_on=delegation.ends_on, created_at=delegation.created_at).returning(delegations.c.id)).scalar_one())

    def end(self, delegation_id: int, at: datetime) -> None:
        self._db.execute(update(delegations).where(delegations.c.id == delegation_id).values(ended_at=at))


def _open_for(user_id: int | BindParameter[int], on: date | BindParameter[date]) -> ColumnElement[bool]:
    """Open tasks assigned to the user, or to someone whose delegation to the user runs on `on`."""
    delegators = select(delegations.c.user_id).where(
        delegations.c.delegate_id == user_id, delegations.c.starts_on <= on, delegations.c.ends_on >= on,
        delegations.c.ended_at.is_(None))
    # One IN list (me plus my delegators) instead of an OR: the index is searched per id, not scanned.
    me = select(user_id if isinstance(user_id, BindParameter) else literal(user_id))
    return and_(OPEN, tasks.c.assignee_id.in_(me.union_all(delegators)))


# The navigation counts on every full page: built once, so SQLAlchemy memoizes its cache key.
_OPEN_TASK_COUNT = select(func.count()).select_from(tasks).where(
    _open_for(bindparam("user_id", type_=Integer), bindparam("on", type_=Date)))


def _stands_in_for(row: Row[Any], user_id: int) -> int | None:
    return int(row.assignee_id) if row.assignee_id != user_id else row.on_behalf_of


def _rule_values(rule: ApprovalRule) -> dict[str, Any]:
    return {"name": rule.name, "document_type": rule.document_type, "department_id": rule.department_id,
            "min_amount": rule.min_amount, "max_amount": rule.max_amount, "active": rule.active,
            "version": rule.version}


def _request_state(request: ApprovalRequest) -> dict[str, Any]:
    return {"status": request.status.value, "current_step": request.current_step, "decided_at": request.decided_at}


def _task_state(task: ApprovalTask) -> dict[str, Any]:
    return {"assignee_id": task.assignee_id, "on_behalf_of": task.on_behalf_of, "status": task.status.value,
            "decided_at": task.decided_at, "comment": task.comment}


def _to_request(row: Row[Any]) -> ApprovalRequest:
    return ApprovalRequest(row.id, row.document_type, row.document_id, row.rule_id, row.title, row.amount,
                           row.currency, row.department_id, row.requested_by, row.created_at,
                           RequestStatus(row.status), row.current_step, row.decided_at)


def _to_task(row: Row[Any]) -> ApprovalTask:
    return ApprovalTask(row.id, row.request_id, row.step, row.assignee_id, TaskStatus(row.status), row.on_behalf_of,
                        row.decided_at, row.comment)
