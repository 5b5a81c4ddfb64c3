"""The budget ledger: documents commit budget when approved and release it when cancelled, closed or ordered.

These functions run inside the caller's transaction (the approval, the cancellation) and never commit.
Every ledger entry is audited on the budget in that same transaction.
"""

from datetime import datetime
from decimal import Decimal

from domain.audit.models import AuditEvent
from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import Budget, BudgetCheck, BudgetEntry, BudgetPolicy
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.unit_of_work import UnitOfWork


def check(budget_id: int, amount: Decimal, uow: UnitOfWork) -> BudgetCheck:
    """What committing `amount` would leave of the budget (the live line on forms, the submit pre-check)."""
    return BudgetCheck(_budget(budget_id, uow), amount)


def commit(budget_id: int, amount: Decimal, document_type: str, document_id: int, *, reason: str,
           actor: Actor | None, uow: UnitOfWork, now: datetime, line_id: int | None = None,
           override: bool = False) -> Budget:
    """Commit `amount` of the budget to a document (line). Beyond a stop budget it raises BudgetExceeded,
    unless `override` is asked by a holder of budget.override: then it is recorded and audited as overridden."""
    budget = _budget(budget_id, uow)
    overridden_by = None
    if not uow.budgets.charge(budget_id, amount, limit=budget.policy is BudgetPolicy.STOP):
        current = _budget(budget_id, uow)
        if not override or actor is None:
            raise BudgetExceeded(budget_id, current.name, current.remaining, amount)
        require(actor, Permission.BUDGET_OVERRIDE)
        uow.budgets.charge(budget_id, amount, limit=False)
        overridden_by = actor.user_id
    _record(BudgetEntry(None, budget_id, document_type, document_id, line_id, amount, reason, now,
                        actor.user_id if actor else None, overridden_by), actor, uow)
    return _budget(budget_id, uow)


def release_document(document_type: str, document_id: int, *, reason: str, actor: Actor | None, uow: UnitOfWork,
                     now: datetime) -> Decimal:
    """Give back everything the document still holds, on every budget and line; returns the amount released."""
    held = uow.budgets.outstanding(document_type, document_id)
    return sum((_release(key, amount, document_type, document_id, reason, actor, uow, now)
                for key, amount in held.items()), Decimal("0.00"))


def release_line(document_type: str, document_id: int, line_id: int, *, reason: str, actor: Actor | None,
                 uow: UnitOfWork, now: datetime, up_to: Decimal | None = None) -> Decimal:
    """Give back what one line holds, at most `up_to` (an order taking over part of a requisition line)."""
    released = Decimal("0.00")
    for key, amount in uow.budgets.outstanding(document_type, document_id).items():
        if key[1] != line_id:
            continue
        give = amount if up_to is None else min(amount, up_to - released)
        if give > 0:
            released += _release(key, give, document_type, document_id, reason, actor, uow, now)
    return released


def _release(key: tuple[int, int | None], amount: Decimal, document_type: str, document_id: int, reason: str,
             actor: Actor | None, uow: UnitOfWork, now: datetime) -> Decimal:
    budget_id, line_id = key
    uow.budgets.charge(budget_id, -amount, limit=False)
    _record(BudgetEntry(None, budget_id, document_type, document_id, line_id, -amount, reason, now,
                        actor.user_id if actor else None), actor, uow)
    return amount


def _record(entry: BudgetEntry, actor: Actor | None, uow: UnitOfWork) -> None:
    uow.budgets.add_entry(entry)
    action = "budget.committed" if entry.amount >= 0 else "budget.released"
    if entry.overridden_by is not None:
        action = "budget.overridden"
    uow.audit.append(AuditEvent(action, entry.created_at, actor.user_id if actor else None,
                                actor.ip if actor else None, "budget", str(entry.budget_id), None, {
                                    "document_type": entry.document_type, "document_id": entry.document_id,
                                    "line_id": entry.line_id, "amount": f"{entry.amount:.2f}",
                                    "reason": entry.reason}))


def _budget(budget_id: int, uow: UnitOfWork) -> Budget:
    budget = uow.budgets.get(budget_id)
    if budget is None:
        raise NotFound()
    return budget
