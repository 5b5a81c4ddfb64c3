"""Bulk actions on selected customers: assign owner, add/remove a tag, change stage, archive.

One transaction. Every selected id is loaded again through the actor's record scope; ids outside it,
archived customers and customers the action would not change are left alone and counted as not changed.
One audit event per changed customer.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from domain.audit.models import AuditEvent
from domain.customers.list_models import BulkAction, BulkChange, BulkOutcome, selected_ids, tag_key, tag_name
from domain.customers.models import Customer, CustomerStage
from domain.customers.services import _check_owner  # the owner rules of a single edit apply unchanged
from domain.customers.tagging import find_or_add, tag_event
from domain.identity.access import require
from domain.identity.models import Actor
from domain.shared.errors import ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

Apply = Callable[[Customer], AuditEvent | None]  # changes one customer; None when it was not changed


def preview_bulk(action: BulkAction, raw_ids: Sequence[str], value: str, *, actor: Actor,
                 uow: UnitOfWork) -> BulkOutcome:
    """How many of the selected customers the change would change (for "Archive 12 customers?")."""
    require(actor, action.permission)
    change = BulkChange(action, selected_ids(raw_ids), value)
    with uow:
        customers = _selected(change, actor, uow)
        would = _would_change(change, customers, actor, uow)
    return BulkOutcome(len(would), len(change.ids) - len(would))


def apply_bulk(action: BulkAction, raw_ids: Sequence[str], value: str, *, actor: Actor, uow: UnitOfWork,
               clock: Clock) -> BulkOutcome:
    """Apply the change to every selected customer in the actor's scope, all or nothing."""
    require(actor, action.permission)
    change = BulkChange(action, selected_ids(raw_ids), value)
    with uow:
        customers = _would_change(change, _selected(change, actor, uow), actor, uow)
        apply = _applier(change, actor, uow, clock)
        events = [event for event in map(apply, customers) if event is not None]
        for event in events:
            uow.audit.append(event)
        uow.commit()
    return BulkOutcome(len(events), len(change.ids) - len(events))


def _selected(change: BulkChange, actor: Actor, uow: UnitOfWork) -> list[Customer]:
    found = (uow.customers.get(customer_id, actor) for customer_id in change.ids)
    return [c for c in found if c is not None and c.archived_at is None]


def _would_change(change: BulkChange, customers: list[Customer], actor: Actor, uow: UnitOfWork) -> list[Customer]:
    action, value = change.action, change.value
    if action is BulkAction.ARCHIVE:
        return customers
    if action is BulkAction.STAGE:
        stage = _stage(value)
        return [c for c in customers if c.fields.stage != stage]
    if action is BulkAction.ASSIGN:
        owner_id = _owner(value)
        _check_owner(owner_id, actor, uow)
        return [c for c in customers if c.owner_id != owner_id]
    return _tag_changes(change, customers, actor, uow)


def _tag_changes(change: BulkChange, customers: list[Customer], actor: Actor, uow: UnitOfWork) -> list[Customer]:
    key = tag_key(tag_name(change.value))
    tagged = uow.tags.of_customers([c.id or 0 for c in customers], actor)
    has = {c.id for c in customers if any(tag_key(t.name) == key for t in tagged.get(c.id or 0, []))}
    if change.action is BulkAction.ADD_TAG:
        return [c for c in customers if c.id not in has]
    if uow.tags.find(key) is None:
        raise ValidationFailed({"tag": "tag.unknown"})
    return [c for c in customers if c.id in has]


def _applier(change: BulkChange, actor: Actor, uow: UnitOfWork, clock: Clock) -> Apply:
    now, action = clock.now(), change.action
    if action in (BulkAction.ADD_TAG, BulkAction.REMOVE_TAG):
        return _tagger(change, actor, uow, clock)

    def save(customer: Customer) -> AuditEvent | None:
        updated, before, after = _changed(customer, change, now, actor, uow)
        updated = replace(updated, updated_at=now, version=customer.version + 1)
        if not uow.customers.update(updated, customer.version):
            return None  # saved by someone else meanwhile: left as it is
        name = "customer.archived" if action is BulkAction.ARCHIVE else "customer.updated"
        return AuditEvent(name, now, actor.user_id, actor.ip, "customer", str(customer.id), before, after)

    return save


def _changed(customer: Customer, change: BulkChange, now: datetime, actor: Actor,
             uow: UnitOfWork) -> tuple[Customer, dict[str, object] | None, dict[str, object]]:
    if change.action is BulkAction.ARCHIVE:
        return replace(customer, archived_at=now), None, {"archived_at": now.isoformat()}
    if change.action is BulkAction.STAGE:
        stage = _stage(change.value)
        return (replace(customer, fields=replace(customer.fields, stage=stage)),
                {"stage": customer.fields.stage.value}, {"stage": stage.value})
    owner_id = _owner(change.value)
    department_id = _check_owner(owner_id, actor, uow)
    return (replace(customer, fields=replace(customer.fields, owner_id=owner_id), department_id=department_id),
            {"owner_id": customer.owner_id}, {"owner_id": owner_id})


def _tagger(change: BulkChange, actor: Actor, uow: UnitOfWork, clock: Clock) -> Apply:
    name, adding = tag_name(change.value), change.action is BulkAction.ADD_TAG
    tag = find_or_add(name, uow) if adding else uow.tags.find(tag_key(name))
    if tag is None:
        raise ValidationFailed({"tag": "tag.unknown"})

    def tag_one(customer: Customer) -> AuditEvent | None:
        customer_id = customer.id or 0
        done = uow.tags.attach(customer_id, tag.id) if adding else uow.tags.detach(customer_id, tag.id)
        return tag_event("customer.tagged" if adding else "customer.untagged", customer_id, tag, actor, clock) \
            if done else None

    return tag_one


def _stage(value: str) -> CustomerStage:
    if value not in CustomerStage.__members__.values():
        raise ValidationFailed({"stage": "choice.invalid"})
    return CustomerStage(value)


def _owner(value: str) -> int:
    if not value.isdigit() or len(value) > 11:
        raise ValidationFailed({"owner_id": "choice.invalid"})
    return int(value)
