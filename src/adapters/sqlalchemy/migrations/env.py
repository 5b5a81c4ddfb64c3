"""Alembic environment: the engine comes from adapters.sqlalchemy.migrate (online mode only)."""

from alembic import context

from adapters.sqlalchemy.tables import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
