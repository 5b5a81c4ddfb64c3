"""Qualification changes: qualify, suspend, blacklist and restore, each with its reason, audited."""

from dataclasses import replace
from datetime import datetime

from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.ports import Clock
from domain.suppliers.lifecycle import EVENTS, StatusAction, next_status
from domain.suppliers.models import Supplier
from domain.suppliers.services import current, event, save
from domain.unit_of_work import UnitOfWork


def change_supplier_status(supplier_id: int, action: StatusAction, reason: str, expected_version: int, *,
                           actor: Actor, uow: UnitOfWork, clock: Clock) -> Supplier:
    """Move the supplier's qualification status (needs supplier.qualify); the reason is kept on the supplier.

    Raises InvalidTransition when the status does not allow the action, ValidationFailed for a missing reason,
    StaleVersion when someone saved the supplier since `expected_version`.
    """
    require(actor, Permission.SUPPLIER_QUALIFY)
    now = clock.now()
    with uow:
        moved = move_supplier(current(supplier_id, expected_version, uow), action, reason, actor=actor, uow=uow,
                              now=now)
        uow.commit()
    return moved


def move_supplier(supplier: Supplier, action: StatusAction, reason: str, *, actor: Actor, uow: UnitOfWork,
                  now: datetime) -> Supplier:
    """Take `action` on a supplier read in the caller's transaction, save it against the version read, and audit
    it there (one change above, or each supplier of the list's bulk qualify and suspend); the caller checks the
    permission. Raises what change_supplier_status raises."""
    status, kept_reason = next_status(supplier.status, action, reason)
    moved = replace(supplier, status=status, status_reason=kept_reason, updated_at=now, version=supplier.version + 1)
    save(moved, supplier.version, uow)
    uow.audit.append(event(EVENTS[action], moved, actor, now,
                           before={"status": supplier.status.value, "reason": supplier.status_reason},
                           after={"status": status.value, "reason": kept_reason}))
    return moved
