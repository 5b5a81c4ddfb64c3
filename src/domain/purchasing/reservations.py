"""Requisition quantities on orders: never over-ordered.

An order line that orders a requisition line reserves its quantity on that line when it is created or grows,
and gives it back when it shrinks, is removed, or its order is cancelled. Each reservation is one conditional
UPDATE that succeeds only while the line still has that much left, so concurrent orders cannot together take
more than the requisition asks for. The requisition's status follows its lines: approved (nothing ordered),
partly ordered, ordered (every line fully ordered); closed requisitions keep their status.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from domain.audit.models import AuditEvent
from domain.identity.models import Actor
from domain.purchasing.sources import RequisitionLineFacts
from domain.purchasing.validation import line_error_key
from domain.requisitions.models import RequisitionStatus as R
from domain.shared.errors import ValidationFailed
from domain.unit_of_work import UnitOfWork

FOLLOWS_LINES = (R.APPROVED, R.PARTLY_ORDERED, R.ORDERED)
Quantities = dict[int, Decimal]  # requisition line id → quantity on the order


def quantities(lines: Iterable[tuple[int | None, Decimal]]) -> Quantities:
    """The quantity an order's lines take of each requisition line, from (requisition line id, quantity)."""
    taken: Quantities = {}
    for line_id, quantity in lines:
        if line_id is not None:
            taken[line_id] = taken.get(line_id, Decimal(0)) + quantity
    return taken


def changes(before: Quantities, after: Quantities) -> Quantities:
    """What to reserve (positive) or give back (negative) on each requisition line."""
    delta = {line_id: after.get(line_id, Decimal(0)) - before.get(line_id, Decimal(0))
             for line_id in before.keys() | after.keys()}
    return {line_id: amount for line_id, amount in delta.items() if amount}


def status_by_lines(current: R, lines: Iterable[RequisitionLineFacts]) -> R:
    """The requisition's status once its lines' ordered quantities changed (closed and the rest stay as they are)."""
    if current not in FOLLOWS_LINES:
        return current
    lines = list(lines)
    if lines and all(line.remaining <= 0 for line in lines):
        return R.ORDERED
    if any(line.ordered_quantity > 0 for line in lines):
        return R.PARTLY_ORDERED
    return R.APPROVED


def reconcile(before: Quantities, after: Quantities, facts: Mapping[int, RequisitionLineFacts], *,
              rows: Mapping[int, int], order_number: str, actor: Actor, uow: UnitOfWork, now: datetime) -> None:
    """Reserve and give back so the requisition lines carry exactly `after` for this order instead of `before`.

    `rows` names the form row of each requisition line, for the message when a line has not enough left
    (ValidationFailed; the caller's transaction is then not committed, so nothing of it stays).
    """
    delta = changes(before, after)
    if not delta:
        return
    requisitions = sorted({facts[line_id].requisition_id for line_id in delta})
    uow.order_sources.lock_requisitions(requisitions)
    for line_id in sorted(delta):
        if delta[line_id] < 0:
            uow.order_sources.release(line_id, -delta[line_id])
    refused = {line_error_key(rows.get(line_id, 0), "quantity"): "order.over_ordered"
               for line_id in sorted(delta) if delta[line_id] > 0
               and not uow.order_sources.reserve(line_id, delta[line_id])}
    if refused:
        raise ValidationFailed(refused)
    for requisition_id in requisitions:
        _follow(requisition_id, order_number, actor, uow, now)


def _follow(requisition_id: int, order_number: str, actor: Actor, uow: UnitOfWork, now: datetime) -> None:
    lines = uow.order_sources.lines_of_requisition(requisition_id)
    if not lines:
        return
    current = lines[0].requisition_status
    status = status_by_lines(current, lines)
    if status is current:
        return
    uow.order_sources.set_requisition_status(requisition_id, status, now)
    uow.audit.append(AuditEvent("requisition.status_changed", now, actor.user_id, actor.ip, "requisition",
                                str(requisition_id), {"status": current.value},
                                {"status": status.value, "order": order_number}))
