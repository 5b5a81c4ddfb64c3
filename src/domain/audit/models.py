"""Audit events: who did what to which record, when, from where, with before/after values."""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
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


@dataclass(frozen=True)
class AuditRecord:
    """A stored audit event with its place in the hash chain (and the actor's name, when read for display)."""

    id: int
    seq: int
    prev_hash: str
    hash: str
    event: AuditEvent
    actor_name: str | None = None


@dataclass(frozen=True)
class ChainHead:
    """The chain's last position as the `audit_head` row records it."""

    seq: int
    hash: str


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit screen and export. `action` is exact, or a family such as "customer.*".

    Dates are UTC days: `date_from` inclusive from 00:00Z, `date_to` inclusive until 24:00Z.
    """

    actor_id: int | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50

    @property
    def action_prefix(self) -> str | None:
        """"customer." for the family "customer.*"; None for an exact action or none."""
        return self.action[:-1] if self.action and self.action.endswith(".*") else None

    @property
    def since(self) -> datetime | None:
        return datetime.combine(self.date_from, time(), UTC) if self.date_from else None

    @property
    def until(self) -> datetime | None:
        """Exclusive upper bound: the start of the day after `date_to`."""
        return datetime.combine(self.date_to + timedelta(days=1), time(), UTC) if self.date_to else None

    def filters(self) -> dict[str, str]:
        """The set filters as text (for the export's own audit record and for links)."""
        values = {"actor": self.actor_id, "action": self.action, "entity": self.entity_type,
                  "entity_id": self.entity_id, "from": self.date_from, "to": self.date_to}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class FieldChange:
    """One row of a before/after diff; values are display text."""

    field: str
    before: str
    after: str
    changed: bool


def diff(before: Values | None, after: Values | None) -> list[FieldChange]:
    """Every field of either side, in a stable order, marking those whose value differs."""
    before, after = before or {}, after or {}
    keys = list(before) + [k for k in after if k not in before]
    return [FieldChange(k, as_text(before.get(k)), as_text(after.get(k)), before.get(k) != after.get(k))
            for k in keys]


def as_text(value: Any) -> str:
    """A stored value as plain text: strings as they are, absent as "", anything else as JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
