"""In-memory fakes of the procurement ports (budgets now; suppliers, requisitions, orders, receipts and invoices
add theirs here)."""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.budgets.models import Budget, BudgetEntry
from domain.contracts.models import ContractKind, SupplierParty
from domain.customers.models import Customer
from domain.suppliers.models import SupplierStatus


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


# Purchase contracts: the party directory over the fake customers and a few suppliers of its own.
class FakePartyDirectory:
    def __init__(self, customers: Mapping[int, Customer]) -> None:
        self._customers = customers
        self.supplier_rows: dict[int, SupplierParty] = {}

    def add_supplier(self, name: str, status: SupplierStatus = SupplierStatus.QUALIFIED) -> int:
        new_id = len(self.supplier_rows) + 1
        self.supplier_rows[new_id] = SupplierParty(new_id, name, status)
        return new_id

    def names(self, kind: ContractKind, ids: set[int]) -> dict[int, str]:
        if kind is ContractKind.PURCHASE:
            return {i: self.supplier_rows[i].name for i in ids if i in self.supplier_rows}
        return {i: self._customers[i].name for i in ids if i in self._customers}

    def supplier(self, supplier_id: int) -> SupplierParty | None:
        return self.supplier_rows.get(supplier_id)

    def suppliers(self, text: str, limit: int) -> list[SupplierParty]:
        found = [s for s in self.supplier_rows.values() if text.lower() in s.name.lower() or s.credit_code == text]
        return sorted(found, key=lambda s: (s.name, s.id))[:limit]
