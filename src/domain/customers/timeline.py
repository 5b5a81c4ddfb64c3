"""A customer's timeline: follow-ups next to the changes of stage, level and owner.

The changes are read from the audit trail rather than a table of their own: the audit event is
written in the same transaction as the change already, and is hash-chained, so a second copy
could only drift from it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.audit.models import AuditQuery, AuditRecord
from domain.customers.models import FollowUp
from domain.unit_of_work import UnitOfWork

TRACKED = ("stage", "level", "owner_id")
_ACTIONS = ("customer.updated", "customer.assigned", "customer.created")
_MERGES = ("customer.merged", "customer.merged_into", "customer.merge_undone")
_RECENT = 200  # audit events of one customer read for its page


@dataclass(frozen=True)
class Change:
    """One tracked field's change (`field` in TRACKED), or a merge event (`field` = the action)."""

    at: datetime
    actor_name: str
    field: str
    before: Any
    after: Any


def changes_of(customer_id: int, uow: UnitOfWork) -> list[Change]:
    """Stage, level and owner changes and merges of the customer, newest first, owners by name."""
    query = AuditQuery(entity_type="customer", entity_id=str(customer_id))
    changes = [c for record in uow.audit.matching(query, _RECENT) for c in _changes(record)]
    owners = {v for c in changes if c.field == "owner_id" for v in (c.before, c.after) if isinstance(v, int)}
    names = uow.users.names(owners) if owners else {}
    return [_named(c, names) for c in changes]


def newest_first(follow_ups: list[FollowUp], changes: list[Change]) -> list[FollowUp | Change]:
    """Follow-ups and changes in one list, newest first."""
    merged: list[FollowUp | Change] = [*follow_ups, *changes]
    return sorted(merged, key=lambda entry: entry.created_at if isinstance(entry, FollowUp) else entry.at,
                  reverse=True)


def _changes(record: AuditRecord) -> list[Change]:
    event, who = record.event, record.actor_name or ""
    if event.action in _MERGES:
        return [Change(event.occurred_at, who, event.action, None, (event.after or {}).get("name"))]
    if event.action not in _ACTIONS:
        return []
    before, after = event.before or {}, event.after or {}
    return [Change(event.occurred_at, who, f, before.get(f), after.get(f)) for f in TRACKED
            if f in after and (event.action != "customer.created" or (f != "owner_id" and after[f] is not None))]


def _named(change: Change, names: dict[int, str]) -> Change:
    if change.field != "owner_id":
        return change
    return Change(change.at, change.actor_name, change.field, names.get(change.before, change.before),
                  names.get(change.after, change.after))
