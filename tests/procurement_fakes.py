"""In-memory fakes of the procurement ports (budgets now; suppliers, requisitions, orders, receipts and invoices
add theirs here)."""

from copy import deepcopy
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from domain.budgets.models import Budget, BudgetEntry
from domain.identity.models import Actor
from domain.identity.permissions import Scope
from domain.purchasing.models import OrderListQuery, OrderStatus, OrderSummary, PurchaseOrder
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.requisitions.models import RequisitionStatus
from domain.shared.paging import Page


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


# --- Purchase orders (orders slice) -------------------------------------------------------------------------------

class FakePurchaseOrderRepository:
    """Orders kept whole; the record scope as the SQL adapter applies it (buyer, department, or all)."""

    def __init__(self) -> None:
        self.rows: dict[int, PurchaseOrder] = {}
        self.line_ids = 0

    def add(self, order: PurchaseOrder) -> int:
        order.id = len(self.rows) + 1
        self._number_lines(order)
        self.rows[order.id] = deepcopy(order)
        return order.id

    def get(self, order_id: int, actor: Actor) -> PurchaseOrder | None:
        order = self.rows.get(order_id)
        return deepcopy(order) if order is not None and _sees(actor, order) else None

    def get_unscoped(self, order_id: int) -> PurchaseOrder | None:
        order = self.rows.get(order_id)
        return deepcopy(order) if order else None

    def get_by_form_token(self, form_token: str) -> PurchaseOrder | None:
        return next((deepcopy(o) for o in self.rows.values() if o.form_token == form_token), None)

    def update(self, order: PurchaseOrder, expected_version: int) -> bool:
        stored = self.rows.get(order.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[order.id or 0] = replace(deepcopy(order), lines=stored.lines)
        return True

    def replace_lines(self, order: PurchaseOrder) -> None:
        self._number_lines(order)
        self.rows[order.id or 0].lines = deepcopy(order.lines)

    def search(self, query: OrderListQuery, actor: Actor) -> Page[OrderSummary]:
        found = [o for o in self.rows.values() if _sees(actor, o) and (not query.status or o.status == query.status)
                 and (not query.supplier_id or o.supplier_id == query.supplier_id)]
        found.sort(key=lambda o: (o.created_at, o.id or 0), reverse=True)
        return Page([_summary(o) for o in found[:query.per_page]], None, None)

    def of_supplier(self, supplier_id: int, actor: Actor, limit: int) -> list[OrderSummary]:
        return self.search(OrderListQuery(supplier_id=supplier_id, per_page=limit), actor).items

    def _number_lines(self, order: PurchaseOrder) -> None:
        for line in order.lines:
            if line.id is None:
                self.line_ids += 1
                line.id = self.line_ids


class FakeOrderSources:
    """Suppliers, requisition lines and framework contracts as orders see them; reservations as conditional
    updates. Requisition scope: all, or the actor's own department (no subtree in the fakes)."""

    def __init__(self, orders: FakePurchaseOrderRepository) -> None:
        self.suppliers: dict[int, SupplierFacts] = {}
        self.lines: dict[int, RequisitionLineFacts] = {}
        self.contracts: dict[int, FrameworkContract] = {}
        self.locked: list[list[int]] = []
        self._orders = orders

    def supplier(self, supplier_id: int) -> SupplierFacts | None:
        return self.suppliers.get(supplier_id)

    def suppliers_named(self, text: str, limit: int) -> list[SupplierFacts]:
        found = [s for s in self.suppliers.values() if text.lower() in s.name.lower()]
        return sorted(found, key=lambda s: (not s.status.orderable, s.name, s.id))[:limit]

    def orderable_lines(self, actor: Actor, limit: int) -> list[RequisitionLineFacts]:
        return [f for f in self.lines.values() if f.orderable and _sees_requisition(actor, f)][:limit]

    def requisition_lines(self, line_ids: set[int], actor: Actor | None) -> dict[int, RequisitionLineFacts]:
        return {i: f for i, f in self.lines.items() if i in line_ids and (actor is None or _sees_requisition(actor, f))}

    def lines_of_requisition(self, requisition_id: int) -> list[RequisitionLineFacts]:
        return [f for f in self.lines.values() if f.requisition_id == requisition_id]

    def lock_requisitions(self, requisition_ids: list[int]) -> None:
        self.locked.append(list(requisition_ids))

    def reserve(self, requisition_line_id: int, quantity: Decimal) -> bool:
        fact = self.lines[requisition_line_id]
        if not fact.requisition_status.orderable or fact.ordered_quantity + quantity > fact.quantity:
            return False
        self.lines[requisition_line_id] = replace(fact, ordered_quantity=fact.ordered_quantity + quantity)
        return True

    def release(self, requisition_line_id: int, quantity: Decimal) -> None:
        fact = self.lines[requisition_line_id]
        self.lines[requisition_line_id] = replace(fact, ordered_quantity=max(fact.ordered_quantity - quantity,
                                                                             Decimal(0)))

    def set_requisition_status(self, requisition_id: int, status: RequisitionStatus, now: datetime) -> None:
        for line_id, fact in list(self.lines.items()):
            if fact.requisition_id == requisition_id:
                self.lines[line_id] = replace(fact, requisition_status=status)

    def framework_contracts(self, supplier_id: int, excluding_order: int | None) -> list[FrameworkContract]:
        return [c for c in (self.framework_contract(i, excluding_order) for i in self.contracts)
                if c is not None and c.supplier_id == supplier_id and c.usable]

    def framework_contract(self, contract_id: int, excluding_order: int | None,
                           lock: bool = False) -> FrameworkContract | None:
        contract = self.contracts.get(contract_id)
        if contract is None:
            return None
        used = sum((o.gross_total for o in self._orders.rows.values() if o.contract_id == contract_id
                    and o.status is not OrderStatus.CANCELLED and o.id != excluding_order), Decimal("0.00"))
        return replace(contract, used=used)


def _sees(actor: Actor, order: PurchaseOrder) -> bool:
    scope = actor.scope("purchase_order")
    if scope is Scope.ALL:
        return True
    if scope is Scope.DEPARTMENT and order.department_id == actor.department_id:
        return True
    return scope is not None and order.buyer_id == actor.user_id


def _sees_requisition(actor: Actor, fact: RequisitionLineFacts) -> bool:
    scope = actor.scope("requisition")
    return scope is Scope.ALL or (scope is Scope.DEPARTMENT and fact.department_id == actor.department_id)


def _summary(order: PurchaseOrder) -> OrderSummary:
    return OrderSummary(order.id or 0, order.number, order.title, "", order.gross_total, order.currency,
                        order.status.value, "", order.created_at.date())
