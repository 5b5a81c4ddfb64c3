"""What orders read of suppliers, requisitions and contracts, and the reservation of requisition quantities.

The reservation is one conditional UPDATE of `requisition_lines.ordered_quantity`: it adds the quantity only while
the sum stays within the line's quantity and the requisition is approved or partly ordered. PostgreSQL re-checks
the condition on the newest row version when concurrent updates queue; SQLite runs write transactions one at a
time (BEGIN IMMEDIATE). Either way two orders can never together take more than the requisition asks for.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, case, func, select, update

from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import (
    contracts,
    departments,
    purchase_orders as po,
    requisition_lines as rl,
    requisitions as r,
    suppliers,
)
from domain.identity.models import Actor
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.requisitions.models import RequisitionStatus
from domain.suppliers.models import SupplierStatus

# Half the smallest quantity step: SQLite adds NUMERIC as doubles, and every real quantity has at most 3 decimals.
HALF_STEP = Decimal("0.0005")
CENT = Decimal("0.01")
ORDERABLE = [status.value for status in RequisitionStatus if status.orderable]
_SUPPLIER = select(suppliers.c.id, suppliers.c.name, suppliers.c.status, suppliers.c.payment_terms,
                   suppliers.c.address, suppliers.c.credit_code)
_LINE = select(rl.c.id, rl.c.requisition_id, r.c.number, r.c.title, r.c.status, r.c.department_id,
               departments.c.name.label("department_name"), r.c.budget_id, rl.c.item, rl.c.specification, rl.c.unit,
               rl.c.quantity, rl.c.ordered_quantity, rl.c.estimated_unit_price, rl.c.needed_by
               ).join(r, r.c.id == rl.c.requisition_id).join(departments, departments.c.id == r.c.department_id)


class SqlOrderSources:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def supplier(self, supplier_id: int) -> SupplierFacts | None:
        row = self._db.execute(_SUPPLIER.where(suppliers.c.id == supplier_id)).first()
        return _supplier(row) if row else None

    def suppliers_named(self, text: str, limit: int) -> list[SupplierFacts]:
        statement = _SUPPLIER.where(suppliers.c.name.icontains(text, autoescape=True)) if text else _SUPPLIER
        qualified_first = case((suppliers.c.status == SupplierStatus.QUALIFIED.value, 0), else_=1)
        rows = self._db.execute(statement.order_by(qualified_first, suppliers.c.name, suppliers.c.id).limit(limit))
        return [_supplier(row) for row in rows]

    def orderable_lines(self, actor: Actor, limit: int) -> list[RequisitionLineFacts]:
        undated_last = case((rl.c.needed_by.is_(None), 1), else_=0)
        rows = self._db.execute(_LINE.where(
            r.c.status.in_(ORDERABLE), rl.c.ordered_quantity + HALF_STEP < rl.c.quantity, _requisition_scope(actor)
        ).order_by(undated_last, rl.c.needed_by, r.c.id, rl.c.position).limit(limit))
        return [_line(row) for row in rows]

    def requisition_lines(self, line_ids: set[int], actor: Actor | None) -> dict[int, RequisitionLineFacts]:
        statement = _LINE.where(rl.c.id.in_(line_ids))
        if actor is not None:
            statement = statement.where(_requisition_scope(actor))
        return {row.id: _line(row) for row in self._db.execute(statement)}

    def lines_of_requisition(self, requisition_id: int) -> list[RequisitionLineFacts]:
        rows = self._db.execute(_LINE.where(rl.c.requisition_id == requisition_id).order_by(rl.c.position))
        return [_line(row) for row in rows]

    def lock_requisitions(self, requisition_ids: list[int]) -> None:
        # FOR UPDATE on PostgreSQL (SQLite has no row locks: its write transactions already run one at a time).
        self._db.execute(select(r.c.id).where(r.c.id.in_(requisition_ids)).order_by(r.c.id).with_for_update())

    def reserve(self, requisition_line_id: int, quantity: Decimal) -> bool:
        orderable = select(r.c.id).where(r.c.status.in_(ORDERABLE))
        result = self._db.execute(update(rl).where(
            rl.c.id == requisition_line_id, rl.c.ordered_quantity + quantity <= rl.c.quantity + HALF_STEP,
            rl.c.requisition_id.in_(orderable)).values(ordered_quantity=rl.c.ordered_quantity + quantity))
        return result.rowcount == 1

    def release(self, requisition_line_id: int, quantity: Decimal) -> None:
        left = rl.c.ordered_quantity - quantity
        self._db.execute(update(rl).where(rl.c.id == requisition_line_id)
                         .values(ordered_quantity=case((left < HALF_STEP, 0), else_=left)))

    def set_requisition_status(self, requisition_id: int, status: RequisitionStatus, now: datetime) -> None:
        self._db.execute(update(r).where(r.c.id == requisition_id).values(
            status=status.value, updated_at=now, version=r.c.version + 1))

    def framework_contracts(self, supplier_id: int, excluding_order: int | None) -> list[FrameworkContract]:
        rows = self._db.execute(_contracts(excluding_order).where(
            contracts.c.supplier_id == supplier_id, contracts.c.status == "active").order_by(contracts.c.number))
        return [_contract(row) for row in rows]

    def framework_contract(self, contract_id: int, excluding_order: int | None,
                           lock: bool = False) -> FrameworkContract | None:
        if lock:
            self._db.execute(select(contracts.c.id).where(contracts.c.id == contract_id).with_for_update())
        row = self._db.execute(_contracts(excluding_order).where(contracts.c.id == contract_id)).first()
        return _contract(row) if row else None


def _contracts(excluding_order: int | None) -> Any:
    """Purchase contracts with the gross totals of their orders that are not cancelled (one order left out)."""
    others = [po.c.contract_id == contracts.c.id, po.c.status != "cancelled"]
    if excluding_order is not None:
        others.append(po.c.id != excluding_order)
    used = select(func.coalesce(func.sum(po.c.gross_total), 0)).where(*others).scalar_subquery()
    return select(contracts.c.id, contracts.c.number, contracts.c.title, contracts.c.supplier_id, contracts.c.status,
                  contracts.c.amount, contracts.c.currency, used.label("used")
                  ).where(contracts.c.supplier_id.is_not(None))


def _contract(row: Row[Any]) -> FrameworkContract:
    used = Decimal(str(row.used)).quantize(CENT)  # SQLite sums NUMERIC as doubles; every amount is whole fen
    return FrameworkContract(row.id, row.number, row.title, row.supplier_id, row.status, row.amount, row.currency,
                             used)


def _requisition_scope(actor: Actor) -> Any:
    return record_scope(actor, "requisition", r.c.requester_id, r.c.department_id)


def _supplier(row: Row[Any]) -> SupplierFacts:
    return SupplierFacts(row.id, row.name, SupplierStatus(row.status), row.payment_terms, row.address, row.credit_code)


def _line(row: Row[Any]) -> RequisitionLineFacts:
    return RequisitionLineFacts(row.id, row.requisition_id, row.number, row.title, RequisitionStatus(row.status),
                                row.department_id, row.department_name, row.budget_id, row.item, row.specification,
                                row.unit, row.quantity, row.ordered_quantity, row.estimated_unit_price,
                                row.needed_by)
