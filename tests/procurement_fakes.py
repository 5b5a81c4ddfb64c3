"""In-memory fakes of the procurement ports (budgets now; suppliers, requisitions, orders, receipts and invoices
add theirs here)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.budgets.models import Budget, BudgetEntry


class FakeBudgetRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Budget] = {}
        self.ledger: list[BudgetEntry] = []

    def add(self, budget: Budget) -> int:
        new_id = len(self.rows) + 1
        self.rows[new_id] = replace(budget, id=new_id)
        return new_id

    def get(self, budget_id: int) -> Budget | None:
        found = self.rows.get(budget_id)
        return replace(found) if found else None

    def update(self, budget: Budget, expected_version: int) -> bool:
        stored = self.rows.get(budget.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(budget, committed=stored.committed)
        return True

    def of_department(self, department_id: int, on: date | None = None) -> list[Budget]:
        found = [b for b in self.rows.values() if b.department_id == department_id and (on is None or b.covers(on))]
        return sorted((replace(b) for b in found), key=lambda b: (b.code, b.id or 0))

    def all(self, department_ids: list[int] | None = None) -> list[Budget]:
        found = [b for b in self.rows.values() if department_ids is None or b.department_id in department_ids]
        return sorted((replace(b) for b in found), key=lambda b: (-b.period_start.toordinal(), b.code, b.id or 0))

    def charge(self, budget_id: int, amount: Decimal, *, limit: bool) -> bool:
        budget = self.rows[budget_id]
        if limit and budget.committed + amount > budget.amount:
            return False
        budget.committed += amount
        return True

    def add_entry(self, entry: BudgetEntry) -> int:
        self.ledger.append(replace(entry, id=len(self.ledger) + 1))
        return len(self.ledger)

    def entries(self, budget_id: int, limit: int = 200) -> list[BudgetEntry]:
        return [e for e in reversed(self.ledger) if e.budget_id == budget_id][:limit]

    def outstanding(self, document_type: str, document_id: int) -> dict[tuple[int, int | None], Decimal]:
        held: dict[tuple[int, int | None], Decimal] = {}
        for e in self.ledger:
            if e.document_type == document_type and e.document_id == document_id:
                held[(e.budget_id, e.line_id)] = held.get((e.budget_id, e.line_id), Decimal(0)) + e.amount
        return {key: amount for key, amount in held.items() if amount}
