"""SQL audit log (append-only)."""

from typing import Any

from sqlalchemy import Connection, insert

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


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in public_values(values).items()}
