"""Audit ports."""

from typing import Protocol

from domain.audit.models import AuditEvent


class AuditLog(Protocol):
    """Append-only audit trail, written in the same transaction as the change it records."""

    def append(self, event: AuditEvent) -> None: ...
