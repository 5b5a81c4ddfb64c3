"""Requisition lifecycle use cases: submit for approval (with the budget pre-check), the approval outcome
(committing the budget per line), reopen after a rejection, and close (releasing what it still holds)."""

from dataclasses import dataclass
from datetime import date, datetime

from domain.approvals import engine
from domain.approvals.models import ApprovalSubject, Outcome, register_document
from domain.audit.models import Values
from domain.budgets import ledger
from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import BudgetCheck
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.requisitions.lifecycle import Action, close_reason, ensure, transition
from domain.requisitions.models import Requisition, RequisitionStatus
from domain.requisitions.services import DOCUMENT, check_version, editable, event, in_scope, save, today
from domain.shared.errors import InvalidTransition, NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

BUDGET_EXCEEDED, BUDGET_OVER_WARNING = "budget.exceeded", "budget.over_warning"


@dataclass(frozen=True)
class Submitted:
    requisition: Requisition
    outcome: Outcome  # APPROVED at once when no approval rule applies
    budget: BudgetCheck | None  # the budget line as it stood at the submit (a warn budget may be exceeded)


def submit_requisition(requisition_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock,
                       override: bool = False) -> Submitted:
    """Draft → submitted, and start its approval (type requisition × estimated total × department).

    Over a stop budget it raises BudgetExceeded, unless `override` is asked by a holder of budget.override
    (audited with the submit). Without an approval rule it is approved at once and commits its budget."""
    require(actor, Permission.REQUISITION_CREATE)
    now = clock.now()
    with uow:
        requisition = editable(requisition_id, expected_version, actor, uow, Action.SUBMIT)
        check = submit_check(requisition, today(now), uow)
        beyond = check is not None and check.blocked
        if beyond and check is not None:
            if not override:
                raise _exceeded(check)
            require(actor, Permission.BUDGET_OVERRIDE)
        extra = {"beyond_budget": True, "budget_remaining": f"{check.budget.remaining:.2f}"} \
            if beyond and check else {}
        submitted = _move(requisition, Action.SUBMIT, actor, uow, now, extra=extra)
        outcome = engine.start_approval(_subject(submitted), actor=actor, uow=uow, now=now)
        if outcome is not Outcome.PENDING:  # decided at once: the engine leaves the outcome to us
            submitted = _decide(submitted, outcome, actor, uow, now, override=beyond)
        uow.commit()
    return Submitted(submitted, outcome, check)


def submit_check(requisition: Requisition, day: date, uow: UnitOfWork) -> BudgetCheck | None:
    """The chosen budget line after this requisition; refuses a submit without a line where the department has
    open ones, or with a line that closed since the draft was saved."""
    open_lines = {budget.id for budget in uow.budgets.of_department(requisition.department_id, on=day)}
    if requisition.budget_id is None:
        if open_lines:
            raise InvalidTransition("requisition.budget_missing")
        return None
    if requisition.budget_id not in open_lines:
        raise InvalidTransition("requisition.budget_closed")
    return ledger.check(requisition.budget_id, requisition.estimated_total, uow)


class RequisitionApprovals:
    """Applies approval outcomes: approved → the budget is committed per line, rejected → rejected."""

    def on_decided(self, document_id: int, outcome: Outcome, *, actor: Actor, uow: UnitOfWork,
                   now: datetime, override: bool = False) -> None:
        requisition = uow.requisitions.get_unscoped(document_id)
        if requisition is None:
            raise NotFound()
        _decide(requisition, outcome, actor, uow, now, override=override)

    def link(self, document_id: int) -> str:
        return f"/requisitions/{document_id}"

    def notice(self, document_id: int, uow: UnitOfWork) -> str | None:
        """budget.exceeded when approving now would take a stop budget below zero, budget.over_warning for a
        warn budget; None otherwise."""
        requisition = uow.requisitions.get_unscoped(document_id, with_lines=False)
        if requisition is None or requisition.budget_id is None \
                or requisition.status is not RequisitionStatus.SUBMITTED:
            return None
        check = ledger.check(requisition.budget_id, requisition.estimated_total, uow)
        return BUDGET_EXCEEDED if check.blocked else BUDGET_OVER_WARNING if check.exceeds else None


register_document(DOCUMENT, RequisitionApprovals())


def reopen_requisition(requisition_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork,
                       clock: Clock) -> Requisition:
    """Rejected → draft, so the requester can edit it and submit it again."""
    require(actor, Permission.REQUISITION_CREATE)
    now = clock.now()
    with uow:
        requisition = editable(requisition_id, expected_version, actor, uow, Action.REOPEN)
        reopened = _move(requisition, Action.REOPEN, actor, uow, now)
        uow.commit()
    return reopened


def close_requisition(requisition_id: int, reason: str, expected_version: int, *, actor: Actor, uow: UnitOfWork,
                      clock: Clock) -> Requisition:
    """Approved, partly ordered or ordered → closed, with a reason; gives back whatever budget it still holds."""
    require(actor, Permission.REQUISITION_CLOSE)
    close_reason(reason)
    now = clock.now()
    with uow:
        requisition = in_scope(requisition_id, actor, uow)
        ensure(requisition.status, Action.CLOSE)
        check_version(requisition, expected_version)
        closed = close_loaded(requisition, reason, actor=actor, uow=uow, now=now)
        uow.commit()
    return closed


def close_loaded(requisition: Requisition, reason: str, *, actor: Actor, uow: UnitOfWork,
                 now: datetime) -> Requisition:
    """Close a requisition read in the actor's scope in the caller's transaction: release the budget it holds, save
    it against the version read, audit it (one close above, or each of the list's bulk close); the caller checks
    the permission. Raises InvalidTransition unless it is approved, partly ordered or ordered."""
    ensure(requisition.status, Action.CLOSE)
    released = ledger.release_document(DOCUMENT, requisition.id or 0, reason="closed", actor=actor, uow=uow, now=now)
    return _move(requisition, Action.CLOSE, actor, uow, now, reason=reason, extra={"released": f"{released:.2f}"})


def _decide(requisition: Requisition, outcome: Outcome, actor: Actor, uow: UnitOfWork, now: datetime, *,
            override: bool) -> Requisition:
    if outcome is Outcome.PENDING:
        return requisition
    if outcome is Outcome.REJECTED:
        return _move(requisition, Action.REJECT, actor, uow, now)
    _commit_budget(requisition, actor, uow, now, override)
    extra = {"budget_committed": f"{requisition.estimated_total:.2f}"} if requisition.budget_id else {}
    return _move(requisition, Action.APPROVE, actor, uow, now, extra=extra | ({"override": True} if override else {}))


def _commit_budget(requisition: Requisition, actor: Actor, uow: UnitOfWork, now: datetime, override: bool) -> None:
    """Commit each line's amount; over a stop budget nothing is committed (BudgetExceeded for the whole total)
    unless the approver overrides it, which the ledger checks (budget.override) and audits."""
    if requisition.budget_id is None:
        return
    check = ledger.check(requisition.budget_id, requisition.estimated_total, uow)
    if check.blocked and not override:
        raise _exceeded(check)
    for line in requisition.lines:
        ledger.commit(requisition.budget_id, line.amount, DOCUMENT, requisition.id or 0, reason="approved",
                      actor=actor, uow=uow, now=now, line_id=line.id, override=override)


def _move(requisition: Requisition, action: Action, actor: Actor, uow: UnitOfWork, now: datetime, *,
          reason: str = "", extra: Values | None = None) -> Requisition:
    """Apply a transition, save it against the requisition's version, and audit it in the same transaction."""
    moved = transition(requisition, action, now=now, reason=reason)
    save(moved, requisition.version, uow)
    after = {"status": moved.status.value} | ({"reason": moved.closed_reason} if action is Action.CLOSE else {})
    uow.audit.append(event(f"requisition.{_PAST[action]}", moved, actor, now,
                           before={"status": requisition.status.value}, after=after | (extra or {})))
    return moved


_PAST = {Action.SUBMIT: "submitted", Action.APPROVE: "approved", Action.REJECT: "rejected",
         Action.REOPEN: "reopened", Action.CLOSE: "closed"}


def _exceeded(check: BudgetCheck) -> BudgetExceeded:
    return BudgetExceeded(check.budget.id or 0, check.budget.name, check.budget.remaining, check.amount)


def _subject(requisition: Requisition) -> ApprovalSubject:
    return ApprovalSubject(DOCUMENT, requisition.id or 0, f"{requisition.number} {requisition.title}",
                           requisition.estimated_total, requisition.currency, requisition.department_id,
                           requisition.requester_id)
