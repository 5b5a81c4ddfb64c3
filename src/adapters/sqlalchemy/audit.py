"""SQL audit log: append-only and hash-chained (see domain.audit.chain)."""

from typing import Any

from sqlalchemy import Connection, insert, select, update

from adapters.sqlalchemy.tables import audit_events, audit_head
from domain.audit.chain import chained_fields, record_hash
from domain.audit.models import AuditEvent, public_values

_HEAD = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()


class SqlAuditLog:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def append(self, event: AuditEvent) -> None:
        # The head row's lock (PostgreSQL) or the write transaction (SQLite, BEGIN IMMEDIATE) makes
        # appends take turns, so every record links to the one committed just before it.
        head = self._db.execute(_HEAD).one()
        fields = chained_fields(head.seq + 1, head.hash, event.occurred_at, event.actor_id, event.ip, event.action,
                                event.entity_type, event.entity_id, jsonable(event.before), jsonable(event.after))
        digest = record_hash(fields)
        self._db.execute(insert(audit_events).values(
            occurred_at=event.occurred_at, actor_id=event.actor_id, ip=event.ip, action=event.action,
            entity_type=event.entity_type, entity_id=event.entity_id, before=fields["before"],
            after=fields["after"], seq=fields["seq"], prev_hash=head.hash, hash=digest))
        self._db.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=fields["seq"], hash=digest))


def jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored (and hashed) form of before/after values: secrets dropped, dates as ISO text."""
    if values is None:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in public_values(values).items()}
