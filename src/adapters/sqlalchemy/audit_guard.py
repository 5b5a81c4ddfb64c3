"""Database-side refusal of UPDATE and DELETE on the audit trail (triggers on SQLite and PostgreSQL).

On PostgreSQL the application should also connect as a role without UPDATE, DELETE or TRUNCATE on
`audit_events` (see README, "PostgreSQL least-privilege role"); the trigger guards even the owner.
"""

from collections.abc import Iterable, Iterator

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql

from adapters.sqlalchemy.tables import metadata

_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]
_POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
]


def create_guard(connection: Connection) -> None:
    """Install the triggers that refuse UPDATE and DELETE on audit_events."""
    for statement in _SQLITE if connection.dialect.name == "sqlite" else _POSTGRES:
        connection.execute(text(statement))


def drop_guard(connection: Connection) -> None:
    """Remove the triggers (tests that wipe or deliberately tamper with the trail)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
        connection.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
    else:
        connection.execute(text("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events"))


def app_role_grants(role: str, tables: Iterable[str] | None = None) -> Iterator[str]:
    """GRANT statements for the PostgreSQL role the application runs as (migrations run as the owner).

    Normal DML on every table, except the trail: SELECT and INSERT only on `audit_events`, SELECT and
    UPDATE on `audit_head` (its row lock orders appends). No TRUNCATE, no REFERENCES or TRIGGER, no DDL.
    """
    quoted = postgresql.dialect().identifier_preparer.quote_identifier(role)  # type: ignore[no-untyped-call]
    names = sorted(tables if tables is not None else metadata.tables)
    yield f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}"
    yield f"REVOKE CREATE ON SCHEMA public FROM {quoted}"
    yield f"GRANT USAGE ON SCHEMA public TO {quoted}"
    for name in names:
        yield f"GRANT {_TRAIL_PRIVILEGES.get(name, 'SELECT, INSERT, UPDATE, DELETE')} ON {name} TO {quoted}"
    yield f"GRANT SELECT ON alembic_version TO {quoted}"  # the app refuses to start on an old schema
    yield f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {quoted}"


_TRAIL_PRIVILEGES = {"audit_events": "SELECT, INSERT", "audit_head": "SELECT, UPDATE"}
