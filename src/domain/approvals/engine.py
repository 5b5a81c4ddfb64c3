"""The approval engine: routes a document through the matching rule's steps and records every decision.

`start_approval` runs inside the document's own transaction (the submit); `decide` is its own transaction
and tells the document's handler the final outcome inside it. Every step is audited on the document.
"""

from dataclasses import replace
from datetime import datetime

from domain.administration.models import Department
from domain.approvals.errors import AlreadyDecided, AlreadyPending, NoApprover
from domain.approvals.models import HANDLERS, ApprovalSubject, Outcome
from domain.approvals.records import (
    ApprovalRequest,
    ApprovalRule,
    ApprovalTask,
    RequestStatus,
    RuleStep,
    StepMode,
    TaskStatus,
    TrailEntry,
    business_day,
)
from domain.approvals.routing import approvers, matching_rule
from domain.audit.models import AuditEvent, Values
from domain.identity.access import require_not_creator
from domain.identity.models import Actor
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

COMMENT_MAX = 1000


def start_approval(subject: ApprovalSubject, *, actor: Actor, uow: UnitOfWork, now: datetime) -> Outcome:
    """Route a submitted document: APPROVED at once when no rule applies, else PENDING with step 1 open.

    Runs in the caller's transaction and does not commit. Raises NoApprover when a step would find nobody
    but the requester, and AlreadyPending when the document waits for approval already.
    """
    if subject.document_type not in HANDLERS:
        raise LookupError(f"no approval handler registered for {subject.document_type!r}")
    if any(r.status is RequestStatus.PENDING for r in uow.approvals.requests_for(subject.document_type,
                                                                                 subject.document_id)):
        raise AlreadyPending()
    department = uow.departments.get(subject.department_id) if subject.department_id is not None else None
    rule = matching_rule(uow.approvals.rules(subject.document_type), subject.amount, department)
    if rule is None:
        uow.audit.append(_event("approval.not_required", subject.document_type, subject.document_id, actor, now,
                                {"amount": str(subject.amount), "currency": subject.currency}))
        return Outcome.APPROVED
    for step in rule.steps:
        if not approvers(step, department, {subject.requested_by}, uow):
            raise NoApprover(step.position)
    request = _new_request(subject, rule, now)
    request.id = uow.approvals.add_request(request)
    uow.audit.append(_event("approval.requested", subject.document_type, subject.document_id, actor, now,
                            {"request_id": request.id, "rule_id": rule.id, "rule": rule.name,
                             "amount": str(subject.amount), "currency": subject.currency}))
    _open_step(request, rule.steps[0], actor, uow, now)
    return Outcome.PENDING


def decide(task_id: int, approve: bool, comment: str, *, actor: Actor, uow: UnitOfWork, clock: Clock,
           override: bool = False) -> Outcome:
    """Approve or reject one task of mine (or of whoever delegates to me today); a rejection needs a comment.

    Raises NotFound for anybody else's task, AlreadyDecided when the task was closed meanwhile. A completed
    step opens the next; the final outcome goes to the document's handler in this same transaction, with
    `override` (the approver goes beyond a stop budget on purpose) for documents that commit budget.
    """
    note = comment.strip()[:COMMENT_MAX]
    if not approve and not note:
        raise ValidationFailed({"comment": "approval.comment_required"})
    now = clock.now()
    with uow:
        task, on_behalf_of = _my_task(task_id, actor, uow, now)
        request = _request(task.request_id, uow)
        require_not_creator(actor, request.requested_by)
        status = TaskStatus.APPROVED if approve else TaskStatus.REJECTED
        decided = replace(task, status=status, assignee_id=actor.user_id, on_behalf_of=on_behalf_of,
                          decided_at=now, comment=note)
        if not uow.approvals.close_task(decided):
            raise AlreadyDecided()
        uow.audit.append(_event(f"approval.{status.value}", request.document_type, request.document_id, actor, now,
                                {"request_id": request.id, "task_id": task.id, "step": task.step,
                                 "on_behalf_of": on_behalf_of, "comment": note}))
        outcome = _advance(request, decided, actor, uow, now, override)
        uow.commit()
    return outcome


def approval_trail(document_type: str, document_id: int, *, actor: Actor, uow: UnitOfWork) -> list[TrailEntry]:
    """Every approver's part in every submission of the document, oldest first, for its timeline.

    The trail is part of the document: call it from the document's page after the document's own read
    check (record scope), with a fresh read-only unit of work.
    """
    with uow:
        requests = uow.approvals.requests_for(document_type, document_id)
        tasks = {r.id: uow.approvals.tasks_of(r.id or 0) for r in requests}
        people = {r.requested_by for r in requests} | {t.assignee_id for ts in tasks.values() for t in ts} \
            | {t.on_behalf_of for ts in tasks.values() for t in ts if t.on_behalf_of}
        names = uow.users.names(people)
    return [TrailEntry(r.id or 0, names.get(r.requested_by, "?"), r.created_at, r.status, t.step,
                       names.get(t.assignee_id, "?"), names.get(t.on_behalf_of) if t.on_behalf_of else None,
                       t.status, t.decided_at, t.comment)
            for r in requests for t in tasks[r.id]]


def _new_request(subject: ApprovalSubject, rule: ApprovalRule, now: datetime) -> ApprovalRequest:
    return ApprovalRequest(None, subject.document_type, subject.document_id, rule.id or 0, subject.title[:200],
                           subject.amount, subject.currency, subject.department_id, subject.requested_by, now,
                           current_step=rule.steps[0].position)


def _open_step(request: ApprovalRequest, step: RuleStep, actor: Actor, uow: UnitOfWork, now: datetime) -> None:
    """Create the step's tasks, routed to a delegate where the approver is away today."""
    department = _department(request.department_id, uow)
    found = approvers(step, department, {request.requested_by}, uow)
    if not found:
        raise NoApprover(step.position)
    for approver in found:
        delegation = uow.delegations.current(approver, business_day(now))
        stands_in = delegation is not None and delegation.active_on(business_day(now)) \
            and delegation.delegate_id != request.requested_by
        assignee = delegation.delegate_id if delegation and stands_in else approver
        task_id = uow.approvals.add_task(ApprovalTask(None, request.id or 0, step.position, assignee,
                                                      on_behalf_of=approver if stands_in else None))
        if stands_in:
            uow.audit.append(_event("approval.delegated", request.document_type, request.document_id, actor, now,
                                    {"request_id": request.id, "task_id": task_id, "step": step.position,
                                     "approver": approver, "delegate": assignee}))


def _advance(request: ApprovalRequest, task: ApprovalTask, actor: Actor, uow: UnitOfWork, now: datetime,
             override: bool) -> Outcome:
    rule = uow.approvals.get_rule(request.rule_id)
    steps = sorted(rule.steps if rule else [], key=lambda s: s.position)
    if task.status is TaskStatus.REJECTED:
        return _finish(request, Outcome.REJECTED, actor, uow, now, override)
    mode = next((s.mode for s in steps if s.position == task.step), StepMode.ALL)
    siblings = [t for t in uow.approvals.tasks_of(request.id or 0) if t.step == task.step and t.id != task.id]
    if mode is StepMode.ALL and any(t.status is not TaskStatus.APPROVED for t in siblings):
        return Outcome.PENDING
    _close_open(siblings, uow, now)
    following = [s for s in steps if s.position > task.step]
    if not following:
        return _finish(request, Outcome.APPROVED, actor, uow, now, override)
    request.current_step = following[0].position
    uow.approvals.save_request(request)
    _open_step(request, following[0], actor, uow, now)
    return Outcome.PENDING


def _finish(request: ApprovalRequest, outcome: Outcome, actor: Actor, uow: UnitOfWork, now: datetime,
            override: bool) -> Outcome:
    _close_open(uow.approvals.tasks_of(request.id or 0), uow, now)
    request.status, request.decided_at = RequestStatus(outcome.value), now
    uow.approvals.save_request(request)
    HANDLERS[request.document_type].on_decided(request.document_id, outcome, actor=actor, uow=uow, now=now,
                                                override=override)
    return outcome


def _close_open(tasks: list[ApprovalTask], uow: UnitOfWork, now: datetime) -> None:
    for task in tasks:
        if task.status is TaskStatus.OPEN:
            uow.approvals.close_task(replace(task, status=TaskStatus.CLOSED, decided_at=now))


def _my_task(task_id: int, actor: Actor, uow: UnitOfWork, now: datetime) -> tuple[ApprovalTask, int | None]:
    """The task and whom the actor decides it for; NotFound unless it is the actor's (or delegated to them)."""
    task = uow.approvals.get_task(task_id)
    if task is None:
        raise NotFound()
    if task.assignee_id == actor.user_id:
        on_behalf_of = task.on_behalf_of
    else:
        delegation = uow.delegations.current(task.assignee_id, business_day(now))
        if delegation is None or not delegation.active_on(business_day(now)) \
                or delegation.delegate_id != actor.user_id:
            raise NotFound()
        on_behalf_of = task.assignee_id
    if task.status is not TaskStatus.OPEN:
        raise AlreadyDecided()
    return task, on_behalf_of


def _request(request_id: int, uow: UnitOfWork) -> ApprovalRequest:
    request = uow.approvals.get_request(request_id)
    if request is None:
        raise NotFound()
    return request


def _department(department_id: int | None, uow: UnitOfWork) -> Department | None:
    return uow.departments.get(department_id) if department_id is not None else None


def _event(action: str, document_type: str, document_id: int, actor: Actor, now: datetime,
           after: Values) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, document_type, str(document_id), None, after)
