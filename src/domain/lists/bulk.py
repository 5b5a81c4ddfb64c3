"""Bulk actions on the selected records of any list that registers them (a BulkSpec).

The preview says how many of the selection the action would change ("Archive 12 customers?"), without
changing anything. Applying is one transaction: every selected id is loaded again through the actor's
record scope; ids outside it, records the list's actions may not touch (archived, say) and those the
action would not change are left alone and counted as not changed. One audit event per changed record.
"""

from collections.abc import Sequence
from typing import Any

from domain.identity.access import require
from domain.identity.models import Actor
from domain.lists.models import BulkOutcome, selected_ids
from domain.lists.specs import BulkRun, BulkSpec
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def preview_bulk(spec: BulkSpec[Any], name: str, raw_ids: Sequence[str], value: str, *, actor: Actor,
                 uow: UnitOfWork) -> BulkOutcome:
    """How many of the selected records the action would change, and how many it would leave."""
    action = spec.action(name)
    require(actor, action.permission)
    ids = selected_ids(raw_ids)
    with uow:
        pending = action.pending(spec.load(ids, actor, uow), BulkRun(value, actor, uow))
    return BulkOutcome(len(pending), len(ids) - len(pending))


def apply_bulk(spec: BulkSpec[Any], name: str, raw_ids: Sequence[str], value: str, *, actor: Actor,
               uow: UnitOfWork, clock: Clock) -> BulkOutcome:
    """Apply the action to every selected record in the actor's scope it changes, all or nothing."""
    action = spec.action(name)
    require(actor, action.permission)
    ids = selected_ids(raw_ids)
    with uow:
        run = BulkRun(value, actor, uow)
        pending = action.pending(spec.load(ids, actor, uow), run)
        apply = action.applier(run, clock.now())
        events = [event for event in map(apply, pending) if event is not None]
        for event in events:
            uow.audit.append(event)
        uow.commit()
    return BulkOutcome(len(events), len(ids) - len(events))
