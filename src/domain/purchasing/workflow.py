"""Order lifecycle use cases: submit for approval, approval outcomes, reopen, send, cancel, close.

Every step checks purchase_order.update, the record scope, the status (domain.purchasing.lifecycle) and the
version the buyer saw, and is audited in its own transaction. Approval goes through the approval engine
(document type "purchase_order", amount = gross total, department = the order's department, requested by the
creator, who may not approve it); its outcome commits the budget (domain.purchasing.budgeting).
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from domain.approvals import engine
from domain.approvals.models import ApprovalSubject, Outcome, register_document
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.purchasing import budgeting, reservations
from domain.purchasing.framework import check_contract
from domain.purchasing.lifecycle import Action, ensure, transition
from domain.purchasing.models import OrderStatus, PurchaseOrder
from domain.purchasing.services import ENTITY, changeable, event, orderable_supplier, requisition_facts, save
from domain.purchasing.validation import reason as reason_of
from domain.shared.errors import InvalidTransition, NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

PAST = {Action.SUBMIT: "submitted", Action.APPROVE: "approved", Action.REJECT: "rejected", Action.REOPEN: "reopened",
        Action.SEND: "sent", Action.CANCEL: "cancelled", Action.CLOSE: "closed"}


def submit_order(order_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> PurchaseOrder:
    """Draft → pending approval, and start the approval in the same transaction. Refused while the supplier is
    not qualified or the order would pass what is left of its framework contract."""
    require(actor, Permission.ORDER_UPDATE)
    now = clock.now()
    with uow:
        order = changeable(order_id, expected_version, actor, uow, Action.SUBMIT)
        if not order.lines:
            raise InvalidTransition("order.no_lines")
        orderable_supplier(order.supplier_id, uow)
        check_contract(order.contract_id, order.supplier_id, order.gross_total, order.id, uow, lock=True)
        submitted = _move(order, Action.SUBMIT, actor, uow, now)
        outcome = engine.start_approval(_subject(submitted), actor=actor, uow=uow, now=now)
        submitted = _decide(submitted, outcome, actor, uow, now, override=False)  # no rule: approved at once
        uow.commit()
    return submitted


class OrderApprovals:
    """Applies approval outcomes: approved → the budget is committed line by line; rejected → rejected."""

    def on_decided(self, document_id: int, outcome: Outcome, *, actor: Actor, uow: UnitOfWork,
                   now: datetime, override: bool = False) -> None:
        order = uow.purchase_orders.get_unscoped(document_id)
        if order is None:
            raise NotFound()
        _decide(order, outcome, actor, uow, now, override)

    def link(self, document_id: int) -> str:
        return f"/purchase-orders/{document_id}"

    def notice(self, document_id: int, uow: UnitOfWork) -> str | None:
        """"budget.exceeded" when approving would take a stop budget below zero (the override is needed)."""
        order = uow.purchase_orders.get_unscoped(document_id)
        if order is None or order.status is not OrderStatus.PENDING_APPROVAL:
            return None
        effects = budgeting.budget_effects(order.lines, requisition_facts(order, uow), uow)
        return "budget.exceeded" if any(effect.blocked for effect in effects) else None


register_document(ENTITY, OrderApprovals())


def reopen_order(order_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> PurchaseOrder:
    """Rejected → draft, so the buyer can change it and submit it again (its reservations stay)."""
    return _simple(order_id, expected_version, Action.REOPEN, actor, uow, clock)


def send_order(order_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> PurchaseOrder:
    """Approved → sent (the printable order is what goes to the supplier); not to a supplier no longer qualified."""
    return _simple(order_id, expected_version, Action.SEND, actor, uow, clock)


def cancel_order(order_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor, uow: UnitOfWork,
                 clock: Clock) -> PurchaseOrder:
    """Cancel (with a reason) a draft, rejected, approved or sent order while nothing was received or invoiced: its
    requisition quantities go back to the requisitions, and its budget as domain.purchasing.budgeting says."""
    require(actor, Permission.ORDER_UPDATE)
    reason = reason_of(raw)
    now = clock.now()
    with uow:
        # Locked as receipts and invoices lock it, so neither lands between this check and the cancel.
        order = changeable(order_id, expected_version, actor, uow, Action.CANCEL, lock=True)
        ensure_cancellable(order)
        facts = requisition_facts(order, uow)
        budgeting.give_back(order, facts, actor=actor, uow=uow, now=now)
        cancelled = _move(order, Action.CANCEL, actor, uow, now, reason)
        taken = reservations.quantities((line.requisition_line_id, line.quantity) for line in order.lines)
        reservations.reconcile(taken, {}, facts, rows={}, order_number=order.number, actor=actor, uow=uow, now=now)
        uow.commit()
    return cancelled


def ensure_cancellable(order: PurchaseOrder) -> None:
    """Raise InvalidTransition unless the order's status allows a cancel and nothing was received or invoiced."""
    ensure(order.status, Action.CANCEL)
    if order.received_anything:
        raise InvalidTransition("order.cancel_after_receipt")
    if order.invoiced_anything:
        raise InvalidTransition("order.cancel_after_invoice")


def close_order(order_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor, uow: UnitOfWork,
                clock: Clock) -> PurchaseOrder:
    """Received → closed; partly received → closed early, with a reason. The budget of what was not accepted is
    given back."""
    require(actor, Permission.ORDER_UPDATE)
    now = clock.now()
    with uow:
        order = changeable(order_id, expected_version, actor, uow, Action.CLOSE)
        reason = reason_of(raw, required=order.status is OrderStatus.PARTLY_RECEIVED)
        budgeting.release_unaccepted(order, actor=actor, uow=uow, now=now)
        closed = _move(order, Action.CLOSE, actor, uow, now, reason)
        uow.commit()
    return closed


def _simple(order_id: int, expected_version: int, action: Action, actor: Actor, uow: UnitOfWork,
            clock: Clock) -> PurchaseOrder:
    require(actor, Permission.ORDER_UPDATE)
    now = clock.now()
    with uow:
        order = changeable(order_id, expected_version, actor, uow, action)
        moved = send_loaded(order, actor=actor, uow=uow, now=now) if action is Action.SEND \
            else _move(order, action, actor, uow, now)
        uow.commit()
    return moved


def send_loaded(order: PurchaseOrder, *, actor: Actor, uow: UnitOfWork, now: datetime) -> PurchaseOrder:
    """Send an order read in the actor's scope in the caller's transaction: approved, to a supplier still qualified,
    saved against the version read and audited (one send above, or each order of the list's bulk send); the
    caller checks the permission. Raises InvalidTransition or ValidationFailed (the supplier) otherwise."""
    ensure(order.status, Action.SEND)
    orderable_supplier(order.supplier_id, uow)
    return _move(order, Action.SEND, actor, uow, now)


def _decide(order: PurchaseOrder, outcome: Outcome, actor: Actor, uow: UnitOfWork, now: datetime,
            override: bool) -> PurchaseOrder:
    if outcome is Outcome.PENDING:
        return order
    if outcome is Outcome.REJECTED:
        return _move(order, Action.REJECT, actor, uow, now)
    approved = _move(order, Action.APPROVE, actor, uow, now)
    budgeting.commit_order(approved, requisition_facts(approved, uow), actor=actor, uow=uow, now=now,
                           override=override)
    return approved


def _move(order: PurchaseOrder, action: Action, actor: Actor, uow: UnitOfWork, now: datetime,
          reason: str = "") -> PurchaseOrder:
    """Apply a transition, save it against the order's version, and audit it in the same transaction."""
    moved = transition(order, action, now=now)
    if reason:
        moved = replace(moved, closed_reason=reason)
    if action is Action.SEND:
        moved = replace(moved, sent_at=now)
    save(moved, order.version, uow)
    after = {"status": moved.status.value} | ({"reason": reason} if reason else {})
    uow.audit.append(event(f"purchase_order.{PAST[action]}", moved, actor, now,
                           before={"status": order.status.value}, after=after))
    return moved


def _subject(order: PurchaseOrder) -> ApprovalSubject:
    return ApprovalSubject(ENTITY, order.id or 0, f"{order.number} {order.title}", order.gross_total, order.currency,
                           order.department_id, order.created_by)
