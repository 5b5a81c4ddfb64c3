"""Bulk actions of the customer list: assign owner, add/remove a tag, change stage, archive.

They are registered with the generic bulk mechanism (domain.lists.bulk) as CUSTOMER_BULK. Archived
customers are never touched; assigning follows the owner rules of a single edit; a customer saved by
someone else meanwhile is left as it is.
"""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from domain.audit.models import AuditEvent
from domain.customers.list_models import CUSTOMER_LIST, BulkAction, tag_key, tag_name
from domain.customers.models import Customer, CustomerStage
from domain.customers.services import _check_owner  # the owner rules of a single edit apply unchanged
from domain.customers.tagging import find_or_add, tag_event
from domain.identity.models import Actor
from domain.lists import bulk
from domain.lists.models import BulkOutcome
from domain.lists.specs import Apply, BulkAction as Action, BulkRun, BulkSpec
from domain.shared.errors import ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

Change = Callable[[Customer], tuple[Customer, dict[str, object] | None, dict[str, object]]]  # new, before, after


def preview_bulk(action: BulkAction, raw_ids: Sequence[str], value: str, *, actor: Actor,
                 uow: UnitOfWork) -> BulkOutcome:
    """How many of the selected customers the change would change (for "Archive 12 customers?")."""
    return bulk.preview_bulk(CUSTOMER_BULK, action.value, raw_ids, value, actor=actor, uow=uow)


def apply_bulk(action: BulkAction, raw_ids: Sequence[str], value: str, *, actor: Actor, uow: UnitOfWork,
               clock: Clock) -> BulkOutcome:
    """Apply the change to every selected customer in the actor's scope, all or nothing."""
    return bulk.apply_bulk(CUSTOMER_BULK, action.value, raw_ids, value, actor=actor, uow=uow, clock=clock)


def _selected(ids: Sequence[int], actor: Actor, uow: UnitOfWork) -> list[Customer]:
    found = (uow.customers.get(customer_id, actor) for customer_id in ids)
    return [c for c in found if c is not None and c.archived_at is None]


def _all(customers: list[Customer], run: BulkRun) -> list[Customer]:
    return customers


def _archiver(run: BulkRun, now: datetime) -> Apply[Customer]:
    return _saver(run, now, "customer.archived",
                  lambda c: (replace(c, archived_at=now), None, {"archived_at": now.isoformat()}))


def _other_stage(customers: list[Customer], run: BulkRun) -> list[Customer]:
    stage = _stage(run.value)
    return [c for c in customers if c.fields.stage != stage]


def _stager(run: BulkRun, now: datetime) -> Apply[Customer]:
    stage = _stage(run.value)
    return _saver(run, now, "customer.updated", lambda c: (replace(c, fields=replace(c.fields, stage=stage)),
                                                           {"stage": c.fields.stage.value}, {"stage": stage.value}))


def _other_owner(customers: list[Customer], run: BulkRun) -> list[Customer]:
    owner_id = _owner(run.value)
    _check_owner(owner_id, run.actor, run.uow)
    return [c for c in customers if c.owner_id != owner_id]


def _assigner(run: BulkRun, now: datetime) -> Apply[Customer]:
    owner_id = _owner(run.value)
    department_id = _check_owner(owner_id, run.actor, run.uow)
    return _saver(run, now, "customer.updated", lambda c: (
        replace(c, fields=replace(c.fields, owner_id=owner_id), department_id=department_id),
        {"owner_id": c.owner_id}, {"owner_id": owner_id}))


def _saver(run: BulkRun, now: datetime, action: str, change: Change) -> Apply[Customer]:
    def save(customer: Customer) -> AuditEvent | None:
        updated, before, after = change(customer)
        if not run.uow.customers.update(replace(updated, updated_at=now, version=customer.version + 1),
                                        customer.version):
            return None  # saved by someone else meanwhile: left as it is
        return AuditEvent(action, now, run.actor.user_id, run.actor.ip, "customer", str(customer.id), before, after)

    return save


def _tag_changes(adding: bool) -> Callable[[list[Customer], BulkRun], list[Customer]]:
    def pending(customers: list[Customer], run: BulkRun) -> list[Customer]:
        key = tag_key(tag_name(run.value))
        tagged = run.uow.tags.of_customers([c.id or 0 for c in customers], run.actor)
        has = {c.id for c in customers if any(tag_key(t.name) == key for t in tagged.get(c.id or 0, []))}
        if adding:
            return [c for c in customers if c.id not in has]
        if run.uow.tags.find(key) is None:
            raise ValidationFailed({"tag": "tag.unknown"})
        return [c for c in customers if c.id in has]

    return pending


def _tagger(adding: bool) -> Callable[[BulkRun, datetime], Apply[Customer]]:
    def applier(run: BulkRun, now: datetime) -> Apply[Customer]:
        name = tag_name(run.value)
        tag = find_or_add(name, run.uow) if adding else run.uow.tags.find(tag_key(name))
        if tag is None:
            raise ValidationFailed({"tag": "tag.unknown"})

        def tag_one(customer: Customer) -> AuditEvent | None:
            customer_id = customer.id or 0
            done = run.uow.tags.attach(customer_id, tag.id) if adding else run.uow.tags.detach(customer_id, tag.id)
            action = "customer.tagged" if adding else "customer.untagged"
            return tag_event(action, customer_id, tag, run.actor, now) if done else None

        return tag_one

    return applier


def _stage(value: str) -> CustomerStage:
    if value not in CustomerStage.__members__.values():
        raise ValidationFailed({"stage": "choice.invalid"})
    return CustomerStage(value)


def _owner(value: str) -> int:
    if not value.isdigit() or len(value) > 11:
        raise ValidationFailed({"owner_id": "choice.invalid"})
    return int(value)


def _action(action: BulkAction, pending: Callable[[list[Customer], BulkRun], list[Customer]],
            applier: Callable[[BulkRun, datetime], Apply[Customer]]) -> Action[Customer]:
    return Action(action.value, action.permission, pending, applier)


CUSTOMER_BULK = BulkSpec(CUSTOMER_LIST, _selected, (
    _action(BulkAction.ASSIGN, _other_owner, _assigner),
    _action(BulkAction.ADD_TAG, _tag_changes(adding=True), _tagger(adding=True)),
    _action(BulkAction.REMOVE_TAG, _tag_changes(adding=False), _tagger(adding=False)),
    _action(BulkAction.STAGE, _other_stage, _stager),
    _action(BulkAction.ARCHIVE, _all, _archiver),
))
