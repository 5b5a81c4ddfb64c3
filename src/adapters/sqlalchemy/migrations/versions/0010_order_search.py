"""purchase orders: title search that does not scan (FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL)

Revision ID: 0010_orders
Revises: 0009
Create Date: 2026-12-03
"""

from alembic import op

revision = '0010_orders'
down_revision = '0009'
branch_labels = None
depends_on = None

# External-content FTS: the titles are not stored twice; the triggers keep the index in step with the table.
# (A later migration that rebuilds purchase_orders on SQLite must create these triggers again.)
_TRIGGERS = {
    "purchase_orders_fts_ai": "AFTER INSERT ON purchase_orders BEGIN "
    "INSERT INTO purchase_orders_fts(rowid, title) VALUES (new.id, new.title); END",
    "purchase_orders_fts_ad": "AFTER DELETE ON purchase_orders BEGIN "
    "INSERT INTO purchase_orders_fts(purchase_orders_fts, rowid, title) VALUES ('delete', old.id, old.title); END",
    "purchase_orders_fts_au": "AFTER UPDATE OF title ON purchase_orders BEGIN "
    "INSERT INTO purchase_orders_fts(purchase_orders_fts, rowid, title) VALUES ('delete', old.id, old.title); "
    "INSERT INTO purchase_orders_fts(rowid, title) VALUES (new.id, new.title); END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE purchase_orders_fts USING fts5(title, content='purchase_orders', "
                   "content_rowid='id', tokenize='trigram')")
        for name, body in _TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO purchase_orders_fts(purchase_orders_fts) VALUES ('rebuild')")
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_purchase_orders_title_trgm ON purchase_orders USING gin (title gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE purchase_orders_fts")
    else:
        op.execute("DROP INDEX ix_purchase_orders_title_trgm")
