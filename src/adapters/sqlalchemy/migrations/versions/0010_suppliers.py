"""suppliers: name search without a scan on PostgreSQL (trigram index, like customers and contracts)

Revision ID: 0010_suppliers
Revises: 0009
Create Date: 2026-12-03
"""

from alembic import op

revision = '0010_suppliers'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # SQLite walks the list order (newest first) instead
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_suppliers_name_trgm ON suppliers USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_suppliers_name_trgm")
