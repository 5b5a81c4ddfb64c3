"""In-memory fakes of the procurement ports (budgets now; suppliers, requisitions, orders, receipts and invoices
add theirs here)."""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.budgets.models import Budget, BudgetEntry, BudgetListQuery, LedgerLine
from domain.contracts.models import ContractKind, SupplierParty
from domain.customers.models import Customer
from domain.identity.models import Actor
from domain.identity.permissions import Scope
from domain.requisitions.models import Requisition, RequisitionLine, RequisitionListQuery, RequisitionSummary
from domain.shared.paging import Page
from domain.suppliers.models import SupplierStatus

if TYPE_CHECKING:
    from tests.fakes import FakeUserRepository


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

    def search(self, query: BudgetListQuery) -> list[Budget]:
        found = [b for b in self.all() if query.department_id in (None, b.department_id) and (
            query.year is None or b.period_start.year <= query.year <= b.period_end.year)]
        return found[:query.limit]

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

    def ledger_lines(self, budget_id: int, limit: int = 200) -> list[LedgerLine]:
        return [LedgerLine(e, f"{e.document_type}-{e.document_id}", "", "") for e in self.entries(budget_id, limit)]

    def outstanding(self, document_type: str, document_id: int) -> dict[tuple[int, int | None], Decimal]:
        held: dict[tuple[int, int | None], Decimal] = {}
        for e in self.ledger:
            if e.document_type == document_type and e.document_id == document_id:
                held[(e.budget_id, e.line_id)] = held.get((e.budget_id, e.line_id), Decimal(0)) + e.amount
        return {key: amount for key, amount in held.items() if amount}


# --- requisitions -------------------------------------------------------------------------------------------
class FakeRequisitionRepository:
    """Scope as the SQL adapter applies it: the requester is the owner; department subtree (plus own), all, none."""

    def __init__(self, users: "FakeUserRepository") -> None:
        self.rows: dict[int, Requisition] = {}
        self._users = users
        self._line_ids = 0

    def add(self, requisition: Requisition) -> int:
        new_id = len(self.rows) + 1
        self.rows[new_id] = replace(requisition, id=new_id)
        self.replace_lines(new_id, requisition.lines)
        return new_id

    def get_by_form_token(self, form_token: str) -> Requisition | None:
        return next((replace(r) for r in self.rows.values() if r.form_token == form_token), None)

    def get(self, requisition_id: int, actor: Actor) -> Requisition | None:
        found = self.rows.get(requisition_id)
        return replace(found) if found and self._visible(found, actor) else None

    def get_unscoped(self, requisition_id: int, *, with_lines: bool = True) -> Requisition | None:
        found = self.rows.get(requisition_id)
        if found is None:
            return None
        return replace(found) if with_lines else replace(found, lines=())

    def update(self, requisition: Requisition, expected_version: int) -> bool:
        stored = self.rows.get(requisition.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(requisition, lines=stored.lines)
        return True

    def replace_lines(self, requisition_id: int, lines: tuple[RequisitionLine, ...]) -> tuple[RequisitionLine, ...]:
        numbered = []
        for line in lines:
            self._line_ids += 1
            numbered.append(replace(line, id=self._line_ids))
        self.rows[requisition_id].lines = tuple(numbered)
        return tuple(numbered)

    def search(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionSummary]:
        found = sorted((r for r in self.rows.values() if self._visible(r, actor) and self._matches(r, query)),
                       key=lambda r: (r.created_at, r.id or 0), reverse=True)
        names = self._users.names({r.requester_id for r in found})
        return Page([RequisitionSummary(r.id or 0, r.number, r.title, "", names.get(r.requester_id, ""),
                                        r.estimated_total, r.currency, r.status.value, r.needed_by, r.created_at)
                     for r in found[:query.per_page]], None, None)

    def _matches(self, requisition: Requisition, query: RequisitionListQuery) -> bool:
        text = query.text.lower()
        return (query.status in (None, requisition.status) and query.department_id in (None, requisition.department_id)
                and query.requester_id in (None, requisition.requester_id)
                and (not text or requisition.number.lower() == text or text in requisition.title.lower()))

    def _visible(self, requisition: Requisition, actor: Actor) -> bool:
        scope = actor.scope("requisition")
        if scope is Scope.ALL:
            return True
        if requisition.requester_id == actor.user_id:
            return scope is not None
        return scope is Scope.DEPARTMENT and actor.department_id is not None and self._users.within(
            requisition.department_id, actor.department_id)
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
