"""Database-side refusal of UPDATE and DELETE on the audit trail (triggers on SQLite and PostgreSQL).

On PostgreSQL the application should also connect as a role without UPDATE, DELETE or TRUNCATE on
`audit_events` (see README, "PostgreSQL least-privilege role"); the trigger guards even the owner.
"""

from sqlalchemy import Connection, text

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
