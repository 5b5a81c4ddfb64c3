"""saved views of any list: saved_views.list_key (the rows so far are the customer list's)

Revision ID: 0010_list_views
Revises: 0009
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_list_views'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table rebuild) fills the existing rows, then the default goes: a view names its list
    op.add_column('saved_views', sa.Column('list_key', sa.String(length=40), nullable=False,
                                           server_default='customers'))
    with op.batch_alter_table('saved_views') as batch:
        batch.alter_column('list_key', server_default=None)
        batch.drop_index('ix_saved_views_owner')
        batch.drop_index('ix_saved_views_shared')
        batch.create_index('ix_saved_views_list_owner', ['list_key', 'owner_id', 'name'], unique=False)
        batch.create_index('ix_saved_views_list_shared', ['list_key', 'shared_department_id', 'name'], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM saved_views WHERE list_key <> 'customers'")  # only the customer list had views
    with op.batch_alter_table('saved_views') as batch:
        batch.drop_index('ix_saved_views_list_shared')
        batch.drop_index('ix_saved_views_list_owner')
        batch.create_index('ix_saved_views_shared', ['shared_department_id', 'name'], unique=False)
        batch.create_index('ix_saved_views_owner', ['owner_id', 'name'], unique=False)
        batch.drop_column('list_key')
