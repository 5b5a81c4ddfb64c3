"""Ports of the budget context."""

from datetime import date
from decimal import Decimal
from typing import Protocol

from domain.budgets.models import Budget, BudgetEntry, BudgetListQuery, LedgerLine


class BudgetRepository(Protocol):
    """Budgets and their ledger. `committed` changes only through `charge`, in the ledger's transaction."""

    def add(self, budget: Budget) -> int: ...
    def get(self, budget_id: int) -> Budget | None: ...
    def update(self, budget: Budget, expected_version: int) -> bool:
        """Save name, amount, period, policy and active flag if the stored version is `expected_version`."""
        ...
    def of_department(self, department_id: int, on: date | None = None) -> list[Budget]:
        """The department's budgets by code; only the active ones covering `on` when it is given."""
        ...
    def all(self, department_ids: list[int] | None = None) -> list[Budget]:
        """Every budget (or those of the departments), newest period first, then by code."""
        ...
    def search(self, query: BudgetListQuery) -> list[Budget]:
        """Budgets matching the filters, newest period first, then by code; at most `query.limit`."""
        ...
    def charge(self, budget_id: int, amount: Decimal, *, limit: bool) -> bool:
        """Add `amount` (negative to release) to `committed` in one atomic UPDATE; with `limit`, only when it
        stays within the budget's amount (False, and nothing written, otherwise). Concurrent charges queue."""
        ...
    def add_entry(self, entry: BudgetEntry) -> int: ...
    def entries(self, budget_id: int, limit: int = 200) -> list[BudgetEntry]:
        """The ledger, newest first."""
        ...
    def ledger_lines(self, budget_id: int, limit: int = 200) -> list[LedgerLine]:
        """The ledger, newest first, with document numbers and names (the budget's page)."""
        ...
    def outstanding(self, document_type: str, document_id: int) -> dict[tuple[int, int | None], Decimal]:
        """What the document still holds: (budget id, line id) → the sum of its entries, zero sums left out."""
        ...
