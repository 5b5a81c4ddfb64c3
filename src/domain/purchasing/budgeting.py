"""The budget side of an order; budgets are charged tax included (the lines' gross).

Approval: each line first takes over its requisition line's share (quantity × estimated unit price, released from
the requisition), then commits its own gross to its budget line. Beyond a stop budget that is refused
(BudgetExceeded) unless the approver holds budget.override and chose to override (the ledger audits it).
Cancelling an approved order gives its whole commitment back and re-commits the requisition lines' share for
the quantity given back, where the budget still has room; where it has not, the requisition line goes back
unfunded (audited) and its next order's approval is checked against the budget like any other. Closing an order
early gives back the gross of what was not accepted; the requisition lines stay ordered.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.audit.models import AuditEvent
from domain.budgets import ledger
from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import Actor
from domain.procurement.amounts import line_amounts
from domain.purchasing.models import NO_MONEY, OrderLine, PurchaseOrder
from domain.purchasing.sources import RequisitionLineFacts
from domain.requisitions.models import RequisitionStatus
from domain.unit_of_work import UnitOfWork

DOCUMENT = "purchase_order"
STILL_NEEDED = (RequisitionStatus.APPROVED, RequisitionStatus.PARTLY_ORDERED, RequisitionStatus.ORDERED)


@dataclass(frozen=True)
class BudgetEffect:
    """What approving the order does to one budget line."""

    budget: Budget
    amount: Decimal  # the order's gross on this budget line
    taken_over: Decimal  # what its requisition lines hold there now and hand over on approval

    @property
    def change(self) -> Decimal:
        return self.amount - self.taken_over

    @property
    def remaining_after(self) -> Decimal:
        return self.budget.remaining - self.change

    @property
    def exceeds(self) -> bool:
        return self.change > 0 and self.remaining_after < 0

    @property
    def blocked(self) -> bool:
        """Over a stop budget: refused on approval unless an override holder overrides it."""
        return self.exceeds and self.budget.policy is BudgetPolicy.STOP


def budget_effects(lines: Sequence[OrderLine], facts: dict[int, RequisitionLineFacts],
                   uow: UnitOfWork) -> list[BudgetEffect]:
    """Per budget line of the order (by id): its gross there, and what its requisition lines hand over."""
    amounts: dict[int, Decimal] = {}
    taken: dict[int, Decimal] = {}
    holds = _Holds(uow)
    for line in lines:
        if line.budget_id is None:
            continue
        amounts[line.budget_id] = amounts.get(line.budget_id, NO_MONEY) + line.gross_amount
        fact = facts.get(line.requisition_line_id or 0)
        if fact is not None and fact.budget_id == line.budget_id:
            taken[line.budget_id] = taken.get(line.budget_id, NO_MONEY) + holds.take(fact, line.quantity)
    budgets = [uow.budgets.get(budget_id) for budget_id in sorted(amounts)]
    return [BudgetEffect(b, amounts[b.id or 0], taken.get(b.id or 0, NO_MONEY)) for b in budgets if b is not None]


def commit_order(order: PurchaseOrder, facts: dict[int, RequisitionLineFacts], *, actor: Actor, uow: UnitOfWork,
                 now: datetime, override: bool) -> None:
    """Take over the requisition lines' shares, then commit every line's gross (BudgetExceeded over a stop budget
    unless `override` by a holder of budget.override)."""
    for line in order.lines:
        fact = facts.get(line.requisition_line_id or 0)
        if fact is not None and fact.budget_id is not None:
            ledger.release_line("requisition", fact.requisition_id, fact.id, reason="ordered", actor=actor, uow=uow,
                                now=now, up_to=fact.share(line.quantity))
    for line in order.lines:
        if line.budget_id is not None and line.gross_amount > 0:
            ledger.commit(line.budget_id, line.gross_amount, DOCUMENT, order.id or 0, reason="ordered", actor=actor,
                          uow=uow, now=now, line_id=line.id, override=override)


def give_back(order: PurchaseOrder, facts: dict[int, RequisitionLineFacts], *, actor: Actor, uow: UnitOfWork,
              now: datetime) -> None:
    """On cancellation: release what the approved order holds and re-commit its requisition lines' share."""
    if not order.status.commits_budget:
        return  # drafts and rejected orders never committed; their requisitions still hold their shares
    ledger.release_document(DOCUMENT, order.id or 0, reason="cancelled", actor=actor, uow=uow, now=now)
    for line in order.lines:
        fact = facts.get(line.requisition_line_id or 0)
        if fact is not None and fact.budget_id is not None and fact.requisition_status in STILL_NEEDED:
            _reinstate(order, fact, line.quantity, actor, uow, now)


def release_unaccepted(order: PurchaseOrder, *, actor: Actor, uow: UnitOfWork, now: datetime) -> None:
    """On closing: keep the gross of what was accepted on each line, give back the rest."""
    held = uow.budgets.outstanding(DOCUMENT, order.id or 0)
    for line in order.lines:
        if line.budget_id is None:
            continue
        kept = line_amounts(min(line.accepted_quantity, line.quantity), line.unit_price, line.tax_rate).gross
        surplus = held.get((line.budget_id, line.id), NO_MONEY) - kept
        if surplus > 0:
            ledger.release_line(DOCUMENT, order.id or 0, line.id or 0, reason="closed", actor=actor, uow=uow,
                                now=now, up_to=surplus)


def _reinstate(order: PurchaseOrder, fact: RequisitionLineFacts, quantity: Decimal, actor: Actor, uow: UnitOfWork,
               now: datetime) -> None:
    share = fact.share(quantity)
    if share <= 0 or fact.budget_id is None:
        return
    try:
        ledger.commit(fact.budget_id, share, "requisition", fact.requisition_id, reason="reinstated", actor=actor,
                      uow=uow, now=now, line_id=fact.id)
    except BudgetExceeded:
        uow.audit.append(AuditEvent("purchase_order.budget_not_reinstated", now, actor.user_id, actor.ip, DOCUMENT,
                                    str(order.id), None, {"budget_id": fact.budget_id, "amount": f"{share:.2f}",
                                                          "requisition_line_id": fact.id}))


class _Holds:
    """What each requisition still holds per (budget, line), handed out once across the order's lines."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._left: dict[int, dict[tuple[int, int | None], Decimal]] = {}

    def take(self, fact: RequisitionLineFacts, quantity: Decimal) -> Decimal:
        if fact.requisition_id not in self._left:
            self._left[fact.requisition_id] = self._uow.budgets.outstanding("requisition", fact.requisition_id)
        left = self._left[fact.requisition_id]
        key = (fact.budget_id or 0, fact.id)
        taken = max(min(left.get(key, NO_MONEY), fact.share(quantity)), NO_MONEY)
        left[key] = left.get(key, NO_MONEY) - taken
        return taken
