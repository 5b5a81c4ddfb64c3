"""Budgets (预算): a department's budget line for a period, and the ledger of what documents committed to it."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class BudgetPolicy(StrEnum):
    STOP = "stop"  # a commitment beyond the amount is refused, unless an override holder approves it (audited)
    WARN = "warn"  # a commitment beyond the amount goes through, with a warning


@dataclass
class Budget:
    id: int | None
    department_id: int
    code: str
    name: str
    period_start: date
    period_end: date
    amount: Decimal
    policy: BudgetPolicy
    created_by: int
    created_at: datetime
    updated_at: datetime
    committed: Decimal = Decimal("0.00")
    active: bool = True
    version: int = 1

    @property
    def remaining(self) -> Decimal:
        """What may still be committed (negative when a warn budget, or an override, went beyond it)."""
        return self.amount - self.committed

    def covers(self, day: date) -> bool:
        return self.active and self.period_start <= day <= self.period_end


@dataclass(frozen=True)
class BudgetEntry:
    """One ledger line: + a commitment, - a release, by a document (and its line, where per line)."""

    id: int | None
    budget_id: int
    document_type: str
    document_id: int
    line_id: int | None
    amount: Decimal
    reason: str
    created_at: datetime
    created_by: int | None = None
    overridden_by: int | None = None


@dataclass(frozen=True)
class BudgetCheck:
    """What committing `amount` would do to a budget: the form's live remaining-budget line."""

    budget: Budget
    amount: Decimal

    @property
    def remaining_after(self) -> Decimal:
        return self.budget.remaining - self.amount

    @property
    def exceeds(self) -> bool:
        return self.amount > 0 and self.remaining_after < 0

    @property
    def blocked(self) -> bool:
        """Over a stop budget: refused unless an override holder approves it."""
        return self.exceeds and self.budget.policy is BudgetPolicy.STOP


@dataclass(frozen=True)
class LedgerLine:
    """A ledger entry as the budget's page shows it: with its document's number and the people's names."""

    entry: BudgetEntry
    document_number: str
    created_by_name: str
    overridden_by_name: str


@dataclass(frozen=True)
class BudgetListQuery:
    """Filters of the budget list: one department, and budgets whose period overlaps one year."""

    department_id: int | None = None
    year: int | None = None
    limit: int = 500
