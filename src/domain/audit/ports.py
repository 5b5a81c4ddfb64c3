"""Audit ports."""

from typing import Protocol

from domain.audit.models import AuditEvent, AuditQuery, AuditRecord, ChainHead
from domain.shared.paging import Page


class AuditLog(Protocol):
    """Append-only audit trail, written in the same transaction as the change it records."""

    def append(self, event: AuditEvent) -> None: ...
    def head(self) -> ChainHead:
        """The last seq and hash as `audit_head` records them."""
        ...
    def chain_after(self, seq: int, limit: int) -> list[AuditRecord]:
        """Up to `limit` records with seq above `seq`, in seq order (verification walks the chain this way)."""
        ...
    def search(self, query: AuditQuery) -> Page[AuditRecord]:
        """One keyset page of matching records, newest (highest id) first, with actor names."""
        ...
    def matching(self, query: AuditQuery, limit: int) -> list[AuditRecord]:
        """Up to `limit` matching records, newest first, ignoring the page cursors (export)."""
        ...
    def get(self, event_id: int) -> AuditRecord | None: ...
    def actor_choices(self) -> list[tuple[int, str]]:
        """(id, display name) of every user, active or not, by name: the actor filter's options."""
        ...
