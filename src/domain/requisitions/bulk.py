"""The requisition list's bulk action: close the selected approved, partly ordered or ordered requisitions with one
reason (requisition.close).

Registered with the generic bulk mechanism (domain.lists.bulk) as REQUISITION_BULK. Each requisition is loaded
again in the actor's requisition scope and goes through close_loaded, the rule of a single close: its status must
allow it (others are left, and the confirmation says why), the reason is required, what it holds of its budget
is released, and each close is audited as requisition.closed.
"""

from collections.abc import Sequence
from datetime import datetime

from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.specs import BulkAction, BulkRun, BulkSpec, audited_by, refused_by
from domain.requisitions.lifecycle import Action, close_reason, ensure
from domain.requisitions.lists import REQUISITION_LIST
from domain.requisitions.models import Requisition
from domain.requisitions.workflow import close_loaded
from domain.unit_of_work import UnitOfWork


def _selected(ids: Sequence[int], actor: Actor, uow: UnitOfWork) -> list[Requisition]:
    found = (uow.requisitions.get(requisition_id, actor) for requisition_id in ids)
    return [requisition for requisition in found if requisition is not None]


def _closable(requisition: Requisition, run: BulkRun) -> None:
    close_reason(run.value)  # the value first: without a reason nothing is closed, whatever the selection
    ensure(requisition.status, Action.CLOSE)


def _close(requisition: Requisition, run: BulkRun, now: datetime) -> None:
    close_loaded(requisition, run.value, actor=run.actor, uow=run.uow, now=now)


REQUISITION_BULK = BulkSpec(REQUISITION_LIST, _selected, (
    BulkAction.refusing("close", Permission.REQUISITION_CLOSE, refused_by(_closable), audited_by(_close)),))
