"""contract attachments and renewal reminders; an index for the owner's work queue

Revision ID: 0006_attach
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_attach'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contract_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('amendment', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_attachments_contract_id_contracts')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_contract_attachments_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_attachments')),
    sa.UniqueConstraint('file_id', name=op.f('uq_contract_attachments_file_id'))
    )
    op.create_index('ix_contract_attachments_contract', 'contract_attachments',
                    ['contract_id', 'amendment', 'uploaded_at', 'id'], unique=False)
    op.create_table('contract_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_contract_reminders_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_reminders_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_reminders')),
    sa.UniqueConstraint('contract_id', 'days_before', name=op.f('uq_contract_reminders_contract_id_days_before'))
    )
    op.create_index('ix_contracts_owner_status_end', 'contracts', ['owner_id', 'status', 'end_on', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_contracts_owner_status_end', table_name='contracts')
    op.drop_table('contract_reminders')
    op.drop_index('ix_contract_attachments_contract', table_name='contract_attachments')
    op.drop_table('contract_attachments')
