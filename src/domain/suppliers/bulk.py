"""Bulk actions of the supplier list: qualify the selected pending or suspended suppliers, suspend the selected
qualified ones with a reason. Both need supplier.qualify.

They are registered with the generic bulk mechanism (domain.lists.bulk) as SUPPLIER_BULK. Each supplier goes
through move_supplier, the rule of a single change: its status must allow the action (others are left, and the
confirmation says why), a suspension needs its reason, and each change is audited (supplier.qualified,
supplier.suspended) with the reason kept on the supplier.
"""

from collections.abc import Sequence
from datetime import datetime

from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.specs import BulkAction, BulkRun, BulkSpec, audited_by, refused_by
from domain.suppliers.lifecycle import StatusAction, next_status
from domain.suppliers.lists import SUPPLIER_LIST
from domain.suppliers.models import Supplier
from domain.suppliers.status import move_supplier
from domain.unit_of_work import UnitOfWork


def _selected(ids: Sequence[int], actor: Actor, uow: UnitOfWork) -> list[Supplier]:
    found = (uow.suppliers.get(supplier_id) for supplier_id in ids)  # no record scope: the permission decides
    return [supplier for supplier in found if supplier is not None]


def _action(action: StatusAction) -> BulkAction[Supplier]:
    def rule(supplier: Supplier, run: BulkRun) -> None:
        next_status(supplier.status, action, run.value)

    def step(supplier: Supplier, run: BulkRun, now: datetime) -> None:
        move_supplier(supplier, action, run.value, actor=run.actor, uow=run.uow, now=now)

    return BulkAction.refusing(action.value, Permission.SUPPLIER_QUALIFY, refused_by(rule), audited_by(step))


SUPPLIER_BULK = BulkSpec(SUPPLIER_LIST, _selected, (_action(StatusAction.QUALIFY), _action(StatusAction.SUSPEND)))
