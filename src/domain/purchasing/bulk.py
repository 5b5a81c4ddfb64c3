"""The purchase order list's bulk action: send the selected approved orders to their suppliers
(purchase_order.update).

Registered with the generic bulk mechanism (domain.lists.bulk) as ORDER_BULK. Each order is loaded again in the
actor's order scope and goes through send_loaded, the rule of a single send: only approved orders, only to a
supplier that is still qualified (others are left, and the confirmation says why), each send audited as
purchase_order.sent.
"""

from collections.abc import Sequence
from datetime import datetime

from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.specs import BulkAction, BulkRun, BulkSpec, audited_by
from domain.purchasing.lifecycle import REFUSALS, Action, allowed
from domain.purchasing.lists import ORDER_LIST
from domain.purchasing.models import PurchaseOrder
from domain.purchasing.services import supplier_refusal
from domain.purchasing.workflow import send_loaded
from domain.unit_of_work import UnitOfWork


def _selected(ids: Sequence[int], actor: Actor, uow: UnitOfWork) -> list[PurchaseOrder]:
    found = (uow.purchase_orders.get(order_id, actor) for order_id in ids)
    return [order for order in found if order is not None]


def _unsendable(order: PurchaseOrder, run: BulkRun) -> str | None:
    if not allowed(order.status, Action.SEND):
        return REFUSALS[Action.SEND]
    return supplier_refusal(run.uow.order_sources.supplier(order.supplier_id))


def _send(order: PurchaseOrder, run: BulkRun, now: datetime) -> None:
    send_loaded(order, actor=run.actor, uow=run.uow, now=now)


ORDER_BULK = BulkSpec(ORDER_LIST, _selected, (
    BulkAction.refusing("send", Permission.ORDER_UPDATE, _unsendable, audited_by(_send)),))
