"""Budget administration: list, read with the ledger, create and edit (optimistic locking, audited).

A stop budget's amount may not be set below what is already committed: the edit is refused with the
committed figure (close requisitions or cancel orders to release budget first, or switch the budget to warn).
A warn budget may be set below it; the page then shows it as overcommitted. Budgets have no record scope:
budget.read shows every department's budgets.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from domain.administration.models import tree_choices
from domain.audit.models import AuditEvent, Values, changed_values
from domain.budgets.models import Budget, BudgetListQuery, BudgetPolicy, LedgerLine
from domain.budgets.validation import BudgetFields, BudgetInput, budget_fields
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

LEDGER_LINES = 200


@dataclass(frozen=True)
class BudgetList:
    budgets: list[Budget]
    departments: list[tuple[int, str]]  # every department, in tree order: the filter and the names of the rows
    truncated: bool  # more budgets match than the list shows


@dataclass(frozen=True)
class BudgetDetail:
    budget: Budget
    department_name: str
    ledger: list[LedgerLine]  # newest first, at most LEDGER_LINES


def list_budgets(query: BudgetListQuery, *, actor: Actor, uow: UnitOfWork) -> BudgetList:
    """Budgets matching the department and year filters, newest period first."""
    require(actor, Permission.BUDGET_READ)
    with uow:
        found = uow.budgets.search(replace(query, limit=query.limit + 1))
        return BudgetList(found[:query.limit], department_choices(uow), len(found) > query.limit)


def get_budget(budget_id: int, *, actor: Actor, uow: UnitOfWork) -> BudgetDetail:
    """A budget with its remaining amount and its ledger."""
    require(actor, Permission.BUDGET_READ)
    with uow:
        budget = _existing(budget_id, uow)
        return BudgetDetail(budget, uow.users.department_name(budget.department_id) or "",
                            uow.budgets.ledger_lines(budget_id, LEDGER_LINES))


def department_choices(uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of every department in tree order, names indented by depth."""
    return tree_choices(uow.departments.all())


def budget_departments(*, actor: Actor, uow: UnitOfWork) -> list[tuple[int, str]]:
    """The departments a new budget may be for (the form's choices)."""
    require(actor, Permission.BUDGET_MANAGE)
    with uow:
        return department_choices(uow)


def create_budget(data: BudgetInput, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Budget:
    """A new budget line of a department; codes are unique per department."""
    require(actor, Permission.BUDGET_MANAGE)
    fields = budget_fields(data)
    now = clock.now()
    with uow:
        if uow.departments.get(fields.department_id) is None:
            raise ValidationFailed({"department_id": "choice.invalid"})
        _check_code(fields, None, uow)
        budget = Budget(None, fields.department_id, fields.code, fields.name, fields.period_start, fields.period_end,
                        fields.amount, fields.policy, actor.user_id, now, now, active=fields.active)
        budget.id = uow.budgets.add(budget)
        uow.audit.append(_event("budget.created", budget, actor, now, after=audited(budget)))
        uow.commit()
    return budget


def update_budget(budget_id: int, data: BudgetInput, expected_version: int, *, actor: Actor, uow: UnitOfWork,
                  clock: Clock) -> Budget:
    """Save edits made on `expected_version` (the department stays); StaleVersion if someone saved since.
    A stop budget below its commitments is refused (budget.below_committed)."""
    require(actor, Permission.BUDGET_MANAGE)
    now = clock.now()
    with uow:
        budget = _existing(budget_id, uow)
        fields = budget_fields(replace(data, department_id=str(budget.department_id)))
        if budget.version != expected_version:
            raise StaleVersion(budget.version)
        _check_code(fields, budget_id, uow)
        edited = replace(budget, code=fields.code, name=fields.name, period_start=fields.period_start,
                         period_end=fields.period_end, amount=fields.amount, policy=fields.policy,
                         active=fields.active, updated_at=now, version=budget.version + 1)
        before, after = changed_values(audited(budget), audited(edited))
        if not after:
            return budget
        _check_commitments(budget, edited)
        if not uow.budgets.update(edited, expected_version):
            raise StaleVersion(_existing(budget_id, uow).version)
        _check_commitments(budget, _existing(budget_id, uow))  # charges that queued behind this edit
        uow.audit.append(_event("budget.updated", edited, actor, now, before=before, after=after))
        uow.commit()
    return edited


def audited(budget: Budget) -> Values:
    return {"department_id": budget.department_id, "code": budget.code, "name": budget.name,
            "period_start": budget.period_start.isoformat(), "period_end": budget.period_end.isoformat(),
            "amount": f"{budget.amount:.2f}", "policy": budget.policy.value, "active": budget.active}


def _check_commitments(before: Budget, after: Budget) -> None:
    """A stop budget is never lowered (or turned from warn to stop) below what is committed to it."""
    tightened = after.amount < before.amount or before.policy is not BudgetPolicy.STOP
    if after.policy is BudgetPolicy.STOP and tightened and after.amount < after.committed:
        raise ValidationFailed({"amount": "budget.below_committed"})


def _check_code(fields: BudgetFields, budget_id: int | None, uow: UnitOfWork) -> None:
    taken = any(b.code == fields.code and b.id != budget_id for b in uow.budgets.of_department(fields.department_id))
    if taken:
        raise ValidationFailed({"code": "budget.code_taken"})


def _existing(budget_id: int, uow: UnitOfWork) -> Budget:
    budget = uow.budgets.get(budget_id)
    if budget is None:
        raise NotFound()
    return budget


def _event(action: str, budget: Budget, actor: Actor, now: datetime, before: Values | None = None,
           after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "budget", str(budget.id), before, after)

