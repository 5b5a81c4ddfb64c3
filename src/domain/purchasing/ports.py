"""Ports of the purchase order context."""

from datetime import datetime
from decimal import Decimal
from typing import Protocol

from domain.identity.models import Actor
from domain.purchasing.models import OrderExportRow, OrderListQuery, OrderSummary, PurchaseOrder
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.requisitions.models import RequisitionStatus
from domain.shared.paging import Page


class PurchaseOrderRepository(Protocol):
    """Orders with their lines; every read for a person is limited to their record scope for purchase orders."""

    def add(self, order: PurchaseOrder) -> int:
        """Insert the order and its lines; the lines get their ids."""
        ...
    def get(self, order_id: int, actor: Actor, *, lock: bool = False) -> PurchaseOrder | None:
        """The order with its lines if it is in the actor's scope, else None; `lock` holds its row until commit."""
        ...
    def get_unscoped(self, order_id: int) -> PurchaseOrder | None:
        """The order whoever asks: for approval outcomes and approvers' reading rights, never for a list."""
        ...
    def get_by_form_token(self, form_token: str) -> PurchaseOrder | None:
        """The order a create form made already (double submit), or None."""
        ...
    def update(self, order: PurchaseOrder, expected_version: int) -> bool:
        """Write the header and totals if the order is still at `expected_version`; False if someone saved since."""
        ...
    def replace_lines(self, order: PurchaseOrder) -> None:
        """Make the stored lines the order's lines: update those with an id, insert the new (they get their ids),
        delete the rest. Only drafts change their lines, so no receipt or invoice refers to a deleted line."""
        ...
    def search(self, query: OrderListQuery, actor: Actor) -> Page[OrderSummary]:
        """One keyset page, newest first, of the orders in the actor's scope that match the query."""
        ...
    def export_rows(self, query: OrderListQuery, actor: Actor) -> Page[OrderExportRow]:
        """The same page as `search` with the export's columns (line progress read for the page at once)."""
        ...
    def of_supplier(self, supplier_id: int, actor: Actor, limit: int) -> list[OrderSummary]:
        """The supplier's newest orders in the actor's scope."""
        ...


class OrderSources(Protocol):
    """Facts orders read from suppliers, requisitions and contracts, and the requisition quantities they reserve.

    Reservations are atomic conditional updates, so concurrent orders can never order more of a requisition
    line than it asks for."""

    def supplier(self, supplier_id: int) -> SupplierFacts | None: ...
    def suppliers_named(self, text: str, limit: int) -> list[SupplierFacts]:
        """Suppliers whose name contains `text` (all when empty), qualified first, then by name."""
        ...
    def orderable_lines(self, actor: Actor, limit: int) -> list[RequisitionLineFacts]:
        """Lines with quantity left to order, of approved or partly ordered requisitions in the actor's
        requisition scope, the earliest needed first."""
        ...
    def requisition_lines(self, line_ids: set[int], actor: Actor | None) -> dict[int, RequisitionLineFacts]:
        """The lines by id, limited to the actor's requisition scope (None: unscoped, for outcomes)."""
        ...
    def lines_of_requisition(self, requisition_id: int) -> list[RequisitionLineFacts]: ...
    def lock_requisitions(self, requisition_ids: list[int]) -> None:
        """Lock the requisitions' rows for this transaction, in id order (no deadlock between two orders)."""
        ...
    def reserve(self, requisition_line_id: int, quantity: Decimal) -> bool:
        """Add `quantity` to the line's ordered quantity in one conditional UPDATE, only while the requisition is
        orderable and the sum stays within the line's quantity; False (nothing written) otherwise."""
        ...
    def release(self, requisition_line_id: int, quantity: Decimal) -> None:
        """Take `quantity` back off the line's ordered quantity (never below zero)."""
        ...
    def set_requisition_status(self, requisition_id: int, status: RequisitionStatus, now: datetime) -> None:
        """Write the requisition's status (and bump its version) after its lines' ordered quantities changed."""
        ...
    def framework_contracts(self, supplier_id: int, excluding_order: int | None) -> list[FrameworkContract]:
        """The supplier's active purchase contracts, each with what its other orders use of it."""
        ...
    def framework_contract(self, contract_id: int, excluding_order: int | None,
                           lock: bool = False) -> FrameworkContract | None:
        """One purchase contract (any status) with what its other orders use; `lock` holds its row until commit,
        so two orders cannot together pass its amount."""
        ...
