"""Alembic environment: the engine comes from adapters.sqlalchemy.migrate (online mode only).

On SQLite, a migration that rebuilds a table (batch mode: copy, drop, rename) would trip the foreign keys of
rows that reference it, so they are off while migrating and checked as a whole before they are back on.
"""

from alembic import context

from adapters.sqlalchemy.tables import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    raw = connection.connection.dbapi_connection
    if sqlite and raw is not None:
        raw.execute("PRAGMA foreign_keys=OFF")  # outside any transaction: SQLite ignores it inside one
    try:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows with dangling references: {broken[:5]}")
        connection.commit()
    finally:
        # Also after a failed migration: the connection goes back to the pool, and the next user of it must
        # find foreign keys enforced (and cascading) again.
        if sqlite and raw is not None:
            connection.rollback()
            raw.execute("PRAGMA foreign_keys=ON")
