"""Goods receipts: the receipt form's order, recording a receipt (quantities and the order's status follow),
the receipt list and the receipt page. Receipts follow their purchase order's record scope."""

from datetime import datetime
from decimal import Decimal

from domain.audit.models import AuditEvent
from domain.contracts.reminders import local_today
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.models import Listed
from domain.lists.saved_views import visible_views
from domain.procurement.settings import current_tolerances
from domain.procurement.tolerances import Tolerances, limit
from domain.purchasing.lifecycle import Action, ensure, next_status
from domain.receiving.entry import ReceiptEntry, allowance, check_over_receipt, check_receipt
from domain.receiving.errors import OverReceipt
from domain.receiving.lists import RECEIPT_LIST
from domain.receiving.models import (
    GoodsReceipt,
    OrderForReceipt,
    ReceiptDetail,
    ReceiptListQuery,
    ReceiptSummary,
)
from domain.shared import numbering
from domain.shared.errors import NotFound
from domain.shared.numbering import NumberPattern
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def receipt_form(order_id: int, *, actor: Actor, uow: UnitOfWork) -> tuple[OrderForReceipt, Tolerances]:
    """The order to receive against (in scope, sent or partly received) and the tolerances in force."""
    require(actor, Permission.RECEIPT_CREATE)
    with uow:
        order = _order(order_id, actor, uow)
        ensure(order.status, Action.RECEIVE)
        return order, current_tolerances(uow)


def record_receipt(order_id: int, entry: ReceiptEntry, *, actor: Actor, uow: UnitOfWork, clock: Clock,
                   pattern: NumberPattern) -> GoodsReceipt:
    """Record what arrived: raise the lines' accepted and received quantities (never beyond the over-receipt
    tolerance, even when receipts race), move the order to partly received or received, audit both.

    A repeated `form_token` returns the receipt it made already."""
    require(actor, Permission.RECEIPT_CREATE)
    now = clock.now()
    with uow:
        twin = uow.receiving.by_form_token(entry.form_token) if entry.form_token else None
        if twin is not None and twin.received_by == actor.user_id:
            return twin
        order = _order(order_id, actor, uow, lock=True)
        ensure(order.status, Action.RECEIVE)
        checked = check_receipt(entry, order, local_today(clock))
        tolerance = current_tolerances(uow).over_receipt
        check_over_receipt(order, checked.lines, tolerance)
        receipt = GoodsReceipt(None, numbering.next_number(pattern, now, uow.sequences), order.id, checked.received_on,
                               actor.user_id, checked.notes, now, checked.lines, entry.form_token or None)
        receipt = _stored(receipt, uow)
        _move_quantities(order, receipt, tolerance, uow)
        _follow_status(order, receipt, actor, uow, now)
        uow.commit()
    return receipt


def get_receipt(receipt_id: int, *, actor: Actor, uow: UnitOfWork) -> ReceiptDetail:
    """A receipt whose order is in the actor's scope; NotFound otherwise."""
    require(actor, Permission.ORDER_READ)
    with uow:
        found = uow.receiving.get(receipt_id, actor)
    if found is None:
        raise NotFound()
    return found


def list_receipts(query: ReceiptListQuery, *, actor: Actor, uow: UnitOfWork,
                  with_views: bool = False) -> Listed[ReceiptSummary]:
    """One keyset page of the receipts of orders the actor may see, and (`with_views`) their saved views of the
    receipt list, in one read transaction."""
    require(actor, Permission.ORDER_READ)
    with uow:
        return Listed(uow.receiving.search(query, actor), visible_views(RECEIPT_LIST, actor, uow) if with_views else [])


def receipts_of_order(order_id: int, *, actor: Actor, uow: UnitOfWork,
                      per_page: int = 20) -> tuple[OrderForReceipt, Page[ReceiptSummary]]:
    """An order in scope with its latest receipts (the order page's section)."""
    require(actor, Permission.ORDER_READ)
    with uow:
        order = _order(order_id, actor, uow)
        return order, uow.receiving.search(ReceiptListQuery(order_id=order_id, per_page=per_page), actor)


def _order(order_id: int, actor: Actor, uow: UnitOfWork, *, lock: bool = False) -> OrderForReceipt:
    order = uow.receiving.order_for_receipt(order_id, actor, lock=lock)
    if order is None:
        raise NotFound()
    return order


def _stored(receipt: GoodsReceipt, uow: UnitOfWork) -> GoodsReceipt:
    return GoodsReceipt(uow.receiving.add(receipt), receipt.number, receipt.order_id, receipt.received_on,
                        receipt.received_by, receipt.notes, receipt.created_at, receipt.lines, receipt.form_token)


def _move_quantities(order: OrderForReceipt, receipt: GoodsReceipt, tolerance: Decimal, uow: UnitOfWork) -> None:
    """The conditional UPDATEs: a line whose accepted total would pass its limit refuses the whole receipt."""
    for line in receipt.lines:
        ordered = order.line(line.order_line_id)
        assert ordered is not None  # check_receipt admits only the order's own lines
        if not uow.receiving.receive_line(ordered.id, line.accepted, line.rejected, limit(ordered.ordered, tolerance)):
            raise OverReceipt({ordered.id: allowance(ordered.ordered, ordered.accepted, tolerance)})


def _follow_status(order: OrderForReceipt, receipt: GoodsReceipt, actor: Actor, uow: UnitOfWork,
                   now: datetime) -> None:
    """Move the order to partly received or received, as its lines now say; audit the receipt and any move."""
    after = uow.receiving.order_for_receipt(order.id, actor)
    assert after is not None  # locked by this transaction
    status = next_status(order.status, Action.RECEIVE, fully_received=after.fully_received)
    uow.receiving.set_order_status(order.id, status, now)
    uow.audit.append(AuditEvent("goods_receipt.created", now, actor.user_id, actor.ip, "goods_receipt",
                                str(receipt.id), None, _audited(receipt, order)))
    if status is not order.status:
        uow.audit.append(AuditEvent("purchase_order.received", now, actor.user_id, actor.ip, "purchase_order",
                                    str(order.id), {"status": order.status.value},
                                    {"status": status.value, "receipt": receipt.number}))


def _audited(receipt: GoodsReceipt, order: OrderForReceipt) -> dict[str, object]:
    return {"number": receipt.number, "order": order.number, "received_on": receipt.received_on.isoformat(),
            "notes": receipt.notes,
            "lines": [{"order_line_id": line.order_line_id, "received": str(line.received),
                       "accepted": str(line.accepted), "rejected": str(line.rejected),
                       "rejection_reason": line.rejection_reason} for line in receipt.lines]}
