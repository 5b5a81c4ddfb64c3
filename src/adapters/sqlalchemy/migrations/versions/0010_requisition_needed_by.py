"""requisitions: the header's needed-by date (lines may name their own)

Revision ID: 0010_requisitions
Revises: 0009
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_requisitions'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('requisitions', sa.Column('needed_by', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('requisitions') as batch_op:
        batch_op.drop_column('needed_by')
