"""Audit events: who did what to which record, when, from where, with before/after values."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Values = dict[str, Any]

# Never written into an audit record, whatever a caller passes.
SECRET_FIELDS = frozenset({"password", "password_hash", "totp_secret", "code", "recovery_codes", "token"})


@dataclass(frozen=True)
class AuditEvent:
    """An append-only record of one action; `before`/`after` hold only non-secret values."""

    action: str
    occurred_at: datetime
    actor_id: int | None = None
    ip: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    before: Values | None = None
    after: Values | None = None
    id: int | None = field(default=None, compare=False)


def changed_values(before: Values, after: Values) -> tuple[Values, Values]:
    """Only the fields that differ, as (before, after) pairs, secrets removed."""
    keys = [k for k in after if k not in SECRET_FIELDS and before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def public_values(values: Values) -> Values:
    """`values` without secret fields."""
    return {k: v for k, v in values.items() if k not in SECRET_FIELDS}
