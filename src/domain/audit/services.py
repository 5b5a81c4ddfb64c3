"""Audit screen use cases: browse, inspect and export the trail (administrators and auditors)."""

from dataclasses import dataclass

from domain.audit.models import AuditEvent, AuditQuery, AuditRecord, FieldChange, diff
from domain.identity.access import require, require_sensitive
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

EXPORT_CAP = 10_000  # rows per export; narrower filters get the rest


@dataclass(frozen=True)
class AuditList:
    page: Page[AuditRecord]
    actors: list[tuple[int, str]]  # choices of the actor filter


@dataclass(frozen=True)
class AuditDetail:
    record: AuditRecord
    changes: list[FieldChange]


@dataclass(frozen=True)
class AuditExport:
    records: list[AuditRecord]
    truncated: bool  # more rows matched than EXPORT_CAP


def list_events(query: AuditQuery, *, actor: Actor, uow: UnitOfWork, with_actors: bool = True) -> AuditList:
    """One keyset page of audit records matching the filters, newest first."""
    require(actor, Permission.AUDIT_READ)
    with uow:
        return AuditList(uow.audit.search(query), uow.audit.actor_choices() if with_actors else [])


def get_event(event_id: int, *, actor: Actor, uow: UnitOfWork) -> AuditDetail:
    """One audit record with its before/after diff; NotFound when it does not exist."""
    require(actor, Permission.AUDIT_READ)
    with uow:
        record = uow.audit.get(event_id)
    if record is None:
        raise NotFound()
    return AuditDetail(record, diff(record.event.before, record.event.after))


def export_events(query: AuditQuery, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> AuditExport:
    """Up to EXPORT_CAP matching records; the export is itself audited in the same transaction (step-up needed)."""
    require_sensitive(actor, Permission.AUDIT_EXPORT)
    with uow:
        records = uow.audit.matching(query, EXPORT_CAP + 1)
        truncated = len(records) > EXPORT_CAP
        records = records[:EXPORT_CAP]
        after = {"filters": query.filters(), "rows": len(records), "truncated": truncated}
        uow.audit.append(AuditEvent("audit.exported", clock.now(), actor.user_id, actor.ip, after=after))
        uow.commit()
    return AuditExport(records, truncated)
