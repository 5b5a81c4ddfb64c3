"""Purchase order records: the list, one order, a supplier's orders, and the checks every use case shares.

Reading needs purchase_order.read and the record scope (owner = buyer, department = the order's department),
except for approvers: a task on the order's approval lets its holder read the order (never edit it).
"""

from dataclasses import dataclass, field
from datetime import datetime

from domain.approvals.involvement import approves
from domain.audit.models import AuditEvent, Values
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.identity.teams import visible_owners
from domain.lists.models import SavedView
from domain.lists.saved_views import visible_views
from domain.purchasing.budgeting import BudgetEffect, budget_effects
from domain.purchasing.lifecycle import Action, ensure
from domain.purchasing.lists import ORDER_LIST
from domain.purchasing.models import OrderListQuery, OrderSummary, PurchaseOrder
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

ENTITY = "purchase_order"
SUPPLIER_ORDERS = 10


@dataclass(frozen=True)
class OrderList:
    page: Page[OrderSummary]
    buyers: list[tuple[int, str]]  # choices of the buyer filter; empty when the actor sees only their own
    supplier_name: str  # the supplier the list is filtered by, if any
    views: list[SavedView] = field(default_factory=list)  # saved views of the order list the actor may use


@dataclass(frozen=True)
class OrderDetail:
    order: PurchaseOrder
    supplier: SupplierFacts
    buyer_name: str
    department_name: str
    contract: FrameworkContract | None
    requisition_lines: dict[int, RequisitionLineFacts]
    budgets: list[BudgetEffect]
    as_approver: bool  # the actor reads it only because they take part in its approval


def list_orders(query: OrderListQuery, *, actor: Actor, uow: UnitOfWork, with_filters: bool = True,
                with_views: bool = False) -> OrderList:
    """One keyset page of the orders the actor may see, with the filter choices and the saved views of the list,
    in one read transaction."""
    require(actor, Permission.ORDER_READ)
    with uow:
        page = uow.purchase_orders.search(query, actor)
        buyers = visible_owners(actor, ENTITY, uow) if with_filters else []
        supplier = uow.order_sources.supplier(query.supplier_id) if query.supplier_id and with_filters else None
        views = visible_views(ORDER_LIST, actor, uow) if with_views else []
    return OrderList(page, buyers, supplier.name if supplier else "", views)


def get_order(order_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> OrderDetail:
    """An order the actor may read, with its supplier, contract, requisition lines and budget lines."""
    with uow:
        order, as_approver = readable(order_id, actor, uow, clock.now())
        return detail_of(order, as_approver, uow)


def supplier_orders(supplier_id: int, *, actor: Actor, uow: UnitOfWork) -> list[OrderSummary]:
    """The supplier's newest orders in the actor's scope (the supplier page's section)."""
    require(actor, Permission.SUPPLIER_READ)
    require(actor, Permission.ORDER_READ)
    with uow:
        if uow.order_sources.supplier(supplier_id) is None:
            raise NotFound()
        return uow.purchase_orders.of_supplier(supplier_id, actor, SUPPLIER_ORDERS)


def readable(order_id: int, actor: Actor, uow: UnitOfWork, now: datetime) -> tuple[PurchaseOrder, bool]:
    """The order if it is in the actor's scope, or (read only) if they take part in its approval."""
    order = uow.purchase_orders.get(order_id, actor) if actor.can(Permission.ORDER_READ) else None
    if order is not None:
        return order, False
    if approves(ENTITY, order_id, actor, uow, now):
        found = uow.purchase_orders.get_unscoped(order_id)
        if found is not None:
            return found, True
    require(actor, Permission.ORDER_READ)
    raise NotFound()


def detail_of(order: PurchaseOrder, as_approver: bool, uow: UnitOfWork) -> OrderDetail:
    facts = requisition_facts(order, uow)
    contract = uow.order_sources.framework_contract(order.contract_id, order.id) if order.contract_id else None
    department = uow.departments.get(order.department_id) if order.department_id else None
    return OrderDetail(order, supplier_of(order.supplier_id, uow), uow.users.names({order.buyer_id}).get(
        order.buyer_id, ""), department.name if department else "", contract, facts,
        budget_effects(order.lines, facts, uow), as_approver)


def in_scope(order_id: int, actor: Actor, uow: UnitOfWork, *, lock: bool = False) -> PurchaseOrder:
    order = uow.purchase_orders.get(order_id, actor, lock=lock)
    if order is None:
        raise NotFound()
    return order


def changeable(order_id: int, expected_version: int, actor: Actor, uow: UnitOfWork, action: Action, *,
               lock: bool = False) -> PurchaseOrder:
    """The order in scope, if `action` is allowed in its status and nobody saved since `expected_version`."""
    order = in_scope(order_id, actor, uow, lock=lock)
    ensure(order.status, action)
    if order.version != expected_version:
        raise StaleVersion(order.version)
    return order


def save(order: PurchaseOrder, expected_version: int, uow: UnitOfWork) -> None:
    if not uow.purchase_orders.update(order, expected_version):
        current = uow.purchase_orders.get_unscoped(order.id or 0)
        raise StaleVersion(current.version if current else expected_version)


def supplier_of(supplier_id: int, uow: UnitOfWork) -> SupplierFacts:
    supplier = uow.order_sources.supplier(supplier_id)
    if supplier is None:
        raise ValidationFailed({"supplier_id": "order.supplier_unknown"})
    return supplier


def orderable_supplier(supplier_id: int, uow: UnitOfWork) -> SupplierFacts:
    """The supplier, if it is qualified; pending, suspended and blacklisted suppliers get no orders."""
    supplier = supplier_of(supplier_id, uow)
    refusal = supplier_refusal(supplier)
    if refusal:
        raise ValidationFailed({"supplier_id": refusal})
    return supplier


def supplier_refusal(supplier: SupplierFacts | None) -> str | None:
    """Why the supplier gets no order (a message code naming its status), or None when it is qualified."""
    if supplier is None:
        return "order.supplier_unknown"
    return None if supplier.status.orderable else f"order.supplier_{supplier.status.value}"


def requisition_facts(order: PurchaseOrder, uow: UnitOfWork) -> dict[int, RequisitionLineFacts]:
    """The requisition lines the order's lines order (whoever asks: they are part of the order)."""
    ids = {line.requisition_line_id for line in order.lines if line.requisition_line_id}
    return uow.order_sources.requisition_lines(ids, None) if ids else {}


def audited(order: PurchaseOrder) -> Values:
    """The order's terms and lines as JSON-safe values, for the audit trail's before/after."""
    return {"number": order.number, "supplier_id": order.supplier_id, "title": order.title,
            "contract_id": order.contract_id, "delivery_address": order.delivery_address,
            "payment_terms": order.payment_terms, "notes": order.notes, "status": order.status.value,
            "gross_total": f"{order.gross_total:.2f}",
            "lines": [{"item": line.item, "quantity": str(line.quantity), "unit": line.unit,
                       "unit_price": str(line.unit_price), "tax_rate": line.tax_rate,
                       "gross": f"{line.gross_amount:.2f}", "budget_id": line.budget_id,
                       "requisition_line_id": line.requisition_line_id} for line in order.lines]}


def event(action: str, order: PurchaseOrder, actor: Actor | None, now: datetime, before: Values | None = None,
          after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id if actor else None, actor.ip if actor else None, ENTITY,
                      str(order.id), before, after)

