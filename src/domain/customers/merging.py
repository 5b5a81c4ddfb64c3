"""Merging a duplicate customer into the one that stays, and undoing that.

A merge moves contacts, follow-ups, contracts and tags to the survivor and archives the absorbed
customer, in one transaction, and keeps the ids it moved. Undo moves exactly those rows back, and
only while neither they nor the absorbed customer changed since.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from domain.audit.models import AuditEvent
from domain.customers.duplicates import find_duplicates
from domain.customers.errors import CustomerArchived, MergeAlreadyUndone, MergeOutdated
from domain.customers.merge_models import Merge
from domain.customers.models import Customer, DuplicateCandidate
from domain.customers.services import in_scope
from domain.identity.access import require, require_sensitive
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

CANDIDATES = 10


@dataclass(frozen=True)
class MergePreview:
    survivor: Customer
    absorbed: Customer
    moves: dict[str, int]  # how many contacts, follow-ups, contracts and tags would move


def merge_candidates(survivor_id: int, *, actor: Actor, uow: UnitOfWork) -> list[DuplicateCandidate]:
    """Likely duplicates of the customer, in the actor's scope, to choose the one to absorb."""
    require(actor, Permission.CUSTOMER_MERGE)
    with uow:
        survivor = in_scope(survivor_id, actor, uow)
    fields = survivor.fields
    raw = {"name": fields.name, "credit_code": fields.credit_code or "", "phone": fields.phone or ""}
    return find_duplicates(raw, survivor_id, actor=actor, uow=uow, limit=CANDIDATES)


def preview_merge(survivor_id: int, absorbed_id: int, *, actor: Actor, uow: UnitOfWork) -> MergePreview:
    """Both customers and what a merge would move, for the confirmation page."""
    require(actor, Permission.CUSTOMER_MERGE)
    with uow:
        survivor, absorbed = _pair(survivor_id, absorbed_id, actor, uow)
        return MergePreview(survivor, absorbed, uow.merges.movable(absorbed_id).counts())


def merge_customers(
    survivor_id: int, absorbed_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> Merge:
    """Absorb one customer into another (permission customer.merge with step-up); audited on both."""
    require_sensitive(actor, Permission.CUSTOMER_MERGE)
    now = clock.now()
    with uow:
        survivor, absorbed = _pair(survivor_id, absorbed_id, actor, uow)
        if absorbed.version != expected_version:
            raise StaleVersion(absorbed.version)
        moved = uow.merges.move(uow.merges.movable(absorbed_id), absorbed_id, survivor_id)
        archived = _set_archived(absorbed, now, now, uow)
        merge = Merge(None, survivor_id, absorbed_id, moved, archived.version, actor.user_id, now)
        merge = replace(merge, id=uow.merges.add(merge))
        _refresh(merge, uow)
        details = {"merge_id": merge.id, **moved.counts()}
        _audit(uow, "customer.merged", survivor, actor, now, details | {"absorbed_id": absorbed_id,
                                                                        "name": absorbed.name})
        _audit(uow, "customer.merged_into", absorbed, actor, now, details | {"survivor_id": survivor_id,
                                                                             "name": survivor.name})
        uow.commit()
    return merge


def undo_merge(merge_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Merge:
    """Move exactly the merged rows back and restore the absorbed customer.

    Refused with MergeAlreadyUndone the second time, and with MergeOutdated once a moved row or the
    absorbed customer changed after the merge.
    """
    require_sensitive(actor, Permission.CUSTOMER_MERGE)
    now = clock.now()
    with uow:
        merge = uow.merges.get(merge_id)
        if merge is None:
            raise NotFound()
        survivor, absorbed = in_scope(merge.survivor_id, actor, uow), in_scope(merge.absorbed_id, actor, uow)
        if merge.undone_at is not None:
            raise MergeAlreadyUndone()
        if absorbed.version != merge.absorbed_version or not uow.merges.unchanged_since(merge):
            raise MergeOutdated()
        if not uow.merges.mark_undone(merge_id, now, actor.user_id):
            raise MergeAlreadyUndone()
        uow.merges.move_back(merge)
        _set_archived(absorbed, None, now, uow)
        _refresh(merge, uow)
        details = {"merge_id": merge_id}
        _audit(uow, "customer.merge_undone", survivor, actor, now, details | {"name": absorbed.name})
        _audit(uow, "customer.merge_undone", absorbed, actor, now, details | {"name": survivor.name})
        uow.commit()
    return replace(merge, undone_at=now)


def _pair(survivor_id: int, absorbed_id: int, actor: Actor, uow: UnitOfWork) -> tuple[Customer, Customer]:
    if survivor_id == absorbed_id:
        raise ValidationFailed({"absorb": "merge.same"})
    survivor = in_scope(survivor_id, actor, uow)
    absorbed = in_scope(absorbed_id, actor, uow)
    if survivor.archived_at or absorbed.archived_at:
        raise CustomerArchived()
    return survivor, absorbed


def _set_archived(customer: Customer, archived_at: datetime | None, now: datetime, uow: UnitOfWork) -> Customer:
    changed = replace(customer, archived_at=archived_at, updated_at=now, version=customer.version + 1)
    if not uow.customers.update(changed, customer.version):
        raise StaleVersion(customer.version)
    return changed


def _refresh(merge: Merge, uow: UnitOfWork) -> None:
    uow.customers.refresh_next_action(merge.survivor_id)
    uow.customers.refresh_next_action(merge.absorbed_id)


def _audit(uow: UnitOfWork, action: str, customer: Customer, actor: Actor, now: datetime,
           after: dict[str, object]) -> None:
    uow.audit.append(AuditEvent(action, now, actor.user_id, actor.ip, "customer", str(customer.id), after=after))

