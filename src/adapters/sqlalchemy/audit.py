"""SQL audit log (append-only)."""

from typing import Any

from sqlalchemy import Connection, Row, insert, select

from adapters.sqlalchemy.tables import audit_events
from domain.audit.models import AuditEvent, public_values


class SqlAuditLog:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def append(self, event: AuditEvent) -> None:
        self._db.execute(insert(audit_events).values(
            occurred_at=event.occurred_at, actor_id=event.actor_id, ip=event.ip, action=event.action,
            entity_type=event.entity_type, entity_id=event.entity_id,
            before=_jsonable(event.before), after=_jsonable(event.after)))

    def recent(self, limit: int, entity_type: str | None = None, entity_id: str | None = None) -> list[AuditEvent]:
        statement = select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
        if entity_type:
            statement = statement.where(audit_events.c.entity_type == entity_type)
        if entity_id:
            statement = statement.where(audit_events.c.entity_id == entity_id)
        return [_to_event(row) for row in self._db.execute(statement)]


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in public_values(values).items()}


def _to_event(row: Row[Any]) -> AuditEvent:
    return AuditEvent(row.action, row.occurred_at, row.actor_id, row.ip, row.entity_type, row.entity_id,
                      row.before, row.after, row.id)
