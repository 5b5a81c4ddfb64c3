"""Audit ports."""

from typing import Protocol

from domain.audit.models import AuditEvent


class AuditLog(Protocol):
    """Append-only audit trail, written in the same transaction as the change it records."""

    def append(self, event: AuditEvent) -> None: ...
    def recent(self, limit: int, entity_type: str | None = None, entity_id: str | None = None) -> list[AuditEvent]: ...
