"""contract amendments, number sequences, and the indexes of the contract list's filters

Revision ID: 0006_contracts
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_contracts'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contract_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                            name=op.f('fk_contract_amendments_contract_id_contracts')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_contract_amendments_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_amendments')),
    sa.UniqueConstraint('contract_id', 'number', name=op.f('uq_contract_amendments_contract_id_number'))
    )
    op.create_table('number_sequences',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('last_value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_number_sequences'))
    )
    op.create_index('ix_contracts_customer_created', 'contracts', ['customer_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_contracts_status_created', 'contracts', ['status', 'created_at', 'id'], unique=False)
    op.create_index('ix_contracts_predecessor', 'contracts', ['predecessor_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":  # title search without a scan (SQLite walks the list order)
        op.execute("CREATE INDEX ix_contracts_title_trgm ON contracts USING gin (title gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_contracts_title_trgm")
    op.drop_index('ix_contracts_predecessor', table_name='contracts')
    op.drop_index('ix_contracts_status_created', table_name='contracts')
    op.drop_index('ix_contracts_customer_created', table_name='contracts')
    op.drop_table('number_sequences')
    op.drop_table('contract_amendments')
