"""contracts: the create form's one-time token, so a repeated submit makes one draft

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('contracts', sa.Column('form_token', sa.String(length=64), nullable=True))
    op.create_index(op.f('uq_contracts_form_token'), 'contracts', ['form_token'], unique=True)


def downgrade() -> None:
    op.drop_index(op.f('uq_contracts_form_token'), table_name='contracts')
    op.drop_column('contracts', 'form_token')
