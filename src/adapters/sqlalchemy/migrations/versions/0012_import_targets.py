"""staged imports serve several targets: batches say which (customer, supplier), undo items name a record

Revision ID: 0012_import_targets
Revises: 0011
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0012_import_targets'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_batches') as batch:
        batch.add_column(sa.Column('target', sa.String(length=16), nullable=False, server_default='customer'))
    op.drop_index('ix_import_batch_items_customer', table_name='import_batch_items')
    with op.batch_alter_table('import_batch_items') as batch:
        batch.alter_column('customer_id', new_column_name='record_id', existing_type=sa.Integer(),
                           existing_nullable=False)
    op.create_index('ix_import_batch_items_record', 'import_batch_items', ['record_id'], unique=False)


def downgrade() -> None:
    # Supplier batches have no place in the older schema: they (and their undo items) go.
    op.execute("DELETE FROM import_batch_items WHERE batch_id IN "
               "(SELECT id FROM import_batches WHERE target <> 'customer')")
    op.execute("DELETE FROM import_batches WHERE target <> 'customer'")
    op.drop_index('ix_import_batch_items_record', table_name='import_batch_items')
    with op.batch_alter_table('import_batch_items') as batch:
        batch.alter_column('record_id', new_column_name='customer_id', existing_type=sa.Integer(),
                           existing_nullable=False)
    op.create_index('ix_import_batch_items_customer', 'import_batch_items', ['customer_id'], unique=False)
    with op.batch_alter_table('import_batches') as batch:
        batch.drop_column('target')
