"""SQL audit log: append-only and hash-chained (see domain.audit.chain)."""

from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, insert, select, true, update

from adapters.sqlalchemy.tables import audit_events, audit_head, users
from domain.audit.chain import chained_fields, record_hash
from domain.audit.models import AuditEvent, AuditQuery, AuditRecord, ChainHead, public_values
from domain.shared.paging import Page, decode_cursor, encode_cursor

_HEAD = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
_LISTED = select(audit_events, users.c.display_name.label("actor_name")).outerjoin(
    users, users.c.id == audit_events.c.actor_id)


class SqlAuditLog:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def append(self, event: AuditEvent) -> None:
        # The head row's lock (PostgreSQL) or the write transaction (SQLite, BEGIN IMMEDIATE) makes
        # appends take turns, so every record links to the one committed just before it.
        head = self._db.execute(_HEAD.with_for_update()).one()
        fields = chained_fields(head.seq + 1, head.hash, event.occurred_at, event.actor_id, event.ip, event.action,
                                event.entity_type, event.entity_id, jsonable(event.before), jsonable(event.after))
        digest = record_hash(fields)
        self._db.execute(insert(audit_events).values(
            occurred_at=event.occurred_at, actor_id=event.actor_id, ip=event.ip, action=event.action,
            entity_type=event.entity_type, entity_id=event.entity_id, before=fields["before"],
            after=fields["after"], seq=fields["seq"], prev_hash=head.hash, hash=digest))
        self._db.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=fields["seq"], hash=digest))

    def head(self) -> ChainHead:
        row = self._db.execute(_HEAD).one()
        return ChainHead(int(row.seq), row.hash)

    def chain_after(self, seq: int, limit: int) -> list[AuditRecord]:
        rows = self._db.execute(select(audit_events).where(audit_events.c.seq > seq)
                                .order_by(audit_events.c.seq).limit(limit))
        return [_to_record(row) for row in rows]

    def search(self, query: AuditQuery) -> Page[AuditRecord]:
        after, before = decode_cursor(query.after), decode_cursor(query.before)
        backwards = before is not None and after is None
        statement = _LISTED.where(_matches(query, self._db.dialect.name))
        if backwards and before:
            statement = statement.where(audit_events.c.id > before[1]).order_by(audit_events.c.id.asc())
        else:
            statement = statement.where(audit_events.c.id < after[1] if after else true())
            statement = statement.order_by(audit_events.c.id.desc())
        rows = list(self._db.execute(statement.limit(query.per_page + 1)))
        return _page(rows, query.per_page, backwards, (before or after) is not None)

    def matching(self, query: AuditQuery, limit: int) -> list[AuditRecord]:
        statement = _LISTED.where(_matches(query, self._db.dialect.name))
        return [_to_record(row) for row in self._db.execute(statement.order_by(audit_events.c.id.desc()).limit(limit))]

    def get(self, event_id: int) -> AuditRecord | None:
        row = self._db.execute(_LISTED.where(audit_events.c.id == event_id)).first()
        return _to_record(row) if row else None

    def actor_choices(self) -> list[tuple[int, str]]:
        rows = self._db.execute(select(users.c.id, users.c.display_name).order_by(users.c.display_name, users.c.id))
        return [(row.id, row.display_name) for row in rows]


def _matches(query: AuditQuery, dialect: str) -> ColumnElement[bool]:
    c = audit_events.c
    conditions: list[ColumnElement[bool]] = []
    if query.actor_id is not None:
        conditions.append(c.actor_id == query.actor_id)
    if query.action_prefix:
        conditions.append(_family(query.action_prefix, dialect))
    elif query.action:
        conditions.append(c.action == query.action)
    if query.entity_type:
        conditions.append(c.entity_type == query.entity_type)
    if query.entity_id:
        conditions.append(c.entity_id == query.entity_id)
    if query.since:
        conditions.append(c.occurred_at >= query.since)
    if query.until:
        conditions.append(c.occurred_at < query.until)
    return and_(*conditions) if conditions else true()


def _family(prefix: str, dialect: str) -> ColumnElement[bool]:
    """Actions starting with `prefix` (which ends in "."), in a form the dialect's index can serve."""
    if dialect == "sqlite":  # binary collation: the prefix range is [prefix, prefix with "." raised to "/")
        return and_(audit_events.c.action >= prefix, audit_events.c.action < prefix[:-1] + "/")
    return audit_events.c.action.startswith(prefix, autoescape=True)


def _page(rows: list[Row[Any]], per_page: int, backwards: bool, had_cursor: bool) -> Page[AuditRecord]:
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    has_next, has_prev = (had_cursor, more) if backwards else (more, had_cursor)
    return Page([_to_record(row) for row in rows],
                encode_cursor((None, rows[-1].id)) if has_next else None,
                encode_cursor((None, rows[0].id)) if has_prev else None)


def _to_record(row: Row[Any]) -> AuditRecord:
    event = AuditEvent(row.action, row.occurred_at, row.actor_id, row.ip, row.entity_type, row.entity_id,
                       row.before, row.after, id=row.id)
    return AuditRecord(row.id, int(row.seq), row.prev_hash, row.hash, event, getattr(row, "actor_name", None))


def jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored (and hashed) form of before/after values: secrets dropped, dates as ISO text."""
    if values is None:
        return None
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in public_values(values).items()}
