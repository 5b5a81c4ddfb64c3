"""Bulk actions on the selected records of any list that registers them (a BulkSpec).

The preview says how many of the selection the action would change ("Archive 12 customers?"), without
changing anything, and for actions that name their refusals, why it leaves the others. Applying is one
transaction: every selected id is loaded again through the actor's record scope; ids outside it, records the
list's actions may not touch (archived, say) and those the action would not change are left alone and counted
as not changed. One audit event per changed record (appended here, or by the domain service the action reuses).
"""

from collections import Counter
from collections.abc import Sequence
from typing import Any

from domain.identity.access import require
from domain.identity.models import Actor
from domain.lists.models import UNAVAILABLE, BulkOutcome, selected_ids
from domain.lists.specs import BulkAction, BulkRun, BulkSpec
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def preview_bulk(spec: BulkSpec[Any], name: str, raw_ids: Sequence[str], value: str, *, actor: Actor,
                 uow: UnitOfWork) -> BulkOutcome:
    """How many of the selected records the action would change, and how many it would leave (and why)."""
    action = spec.action(name)
    require(actor, action.permission)
    ids = selected_ids(raw_ids)
    with uow:
        pending, reasons = _sort_out(spec, action, ids, BulkRun(value, actor, uow))
    return BulkOutcome(len(pending), len(ids) - len(pending), tuple(reasons.most_common()))


def apply_bulk(spec: BulkSpec[Any], name: str, raw_ids: Sequence[str], value: str, *, actor: Actor,
               uow: UnitOfWork, clock: Clock) -> BulkOutcome:
    """Apply the action to every selected record in the actor's scope it changes, all or nothing."""
    action = spec.action(name)
    require(actor, action.permission)
    ids = selected_ids(raw_ids)
    with uow:
        run = BulkRun(value, actor, uow)
        pending, _reasons = _sort_out(spec, action, ids, run)
        apply, changed = action.applier(run, clock.now()), 0
        for record in pending:
            result = apply(record)
            if result is not None and result is not True:
                uow.audit.append(result)
            changed += result is not None
        uow.commit()
    return BulkOutcome(changed, len(ids) - changed)


def _sort_out(spec: BulkSpec[Any], action: BulkAction[Any], ids: Sequence[int],
              run: BulkRun) -> tuple[list[Any], Counter[str]]:
    loaded = spec.load(ids, run.actor, run.uow)
    pending, reasons = action.sort_out(loaded, run)
    if action.refusal is not None and len(loaded) < len(ids):
        reasons[UNAVAILABLE] += len(ids) - len(loaded)
    return pending, reasons
