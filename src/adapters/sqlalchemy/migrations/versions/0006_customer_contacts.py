"""customer contacts, level, duplicate name key, follow-up completion and due dates, merges with undo

Revision ID: 0006_cust
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from domain.customers.names import name_key

revision = '0006_cust'
down_revision = '0005'
branch_labels = None
depends_on = None

_BATCH = 500
_OPEN_DUE = "done_at IS NULL AND next_action_on IS NOT NULL"
_CUSTOMERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String),
                      sa.column("name_key", sa.String))


def upgrade() -> None:
    op.add_column('customers', sa.Column('level', sa.String(length=1), nullable=True))
    op.add_column('customers', sa.Column('name_key', sa.String(length=200), nullable=True))
    op.add_column('customers', sa.Column('next_action_on', sa.Date(), nullable=True))
    op.create_index('ix_customers_name_key', 'customers', ['name_key'], unique=False)
    op.add_column('follow_ups', sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('follow_ups', sa.Column('done_by', sa.Integer(), nullable=True))
    op.create_index('ix_follow_ups_author_due', 'follow_ups', ['author_id', 'next_action_on', 'id'], unique=False,
                    sqlite_where=sa.text(_OPEN_DUE), postgresql_where=sa.text(_OPEN_DUE))
    _create_contacts()
    _create_merges()
    _fill_name_keys()
    op.execute("UPDATE customers SET next_action_on = (SELECT min(f.next_action_on) FROM follow_ups f "
               "WHERE f.customer_id = customers.id AND f.done_at IS NULL)")


def downgrade() -> None:
    op.drop_table('customer_merges')
    op.drop_table('contacts')
    op.drop_index('ix_follow_ups_author_due', table_name='follow_ups')
    op.drop_column('follow_ups', 'done_by')
    op.drop_column('follow_ups', 'done_at')
    op.drop_index('ix_customers_name_key', table_name='customers')
    for column in ('next_action_on', 'name_key', 'level'):
        op.drop_column('customers', column)


def _create_contacts() -> None:
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('phone_enc', sa.LargeBinary(), nullable=True),
    sa.Column('email_enc', sa.LargeBinary(), nullable=True),
    sa.Column('phone_index', sa.String(length=64), nullable=True),
    sa.Column('email_index', sa.String(length=64), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contacts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    op.create_index('ix_contacts_customer', 'contacts', ['customer_id', 'id'], unique=False)
    op.create_index(op.f('ix_contacts_phone_index'), 'contacts', ['phone_index'], unique=False)
    op.create_index(op.f('ix_contacts_email_index'), 'contacts', ['email_index'], unique=False)


def _create_merges() -> None:
    op.create_table('customer_merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survivor_id', sa.Integer(), nullable=False),
    sa.Column('absorbed_id', sa.Integer(), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('absorbed_version', sa.Integer(), nullable=False),
    sa.Column('merged_by', sa.Integer(), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_by', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['survivor_id'], ['customers.id'], name=op.f('fk_customer_merges_survivor_id_customers')),
    sa.ForeignKeyConstraint(['absorbed_id'], ['customers.id'], name=op.f('fk_customer_merges_absorbed_id_customers')),
    sa.ForeignKeyConstraint(['merged_by'], ['users.id'], name=op.f('fk_customer_merges_merged_by_users')),
    sa.ForeignKeyConstraint(['undone_by'], ['users.id'], name=op.f('fk_customer_merges_undone_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_merges'))
    )
    op.create_index(op.f('ix_customer_merges_absorbed_id'), 'customer_merges', ['absorbed_id'], unique=False)
    op.create_index('ix_customer_merges_survivor', 'customer_merges', ['survivor_id', 'id'], unique=False)


def _fill_name_keys() -> None:
    """Existing customers get their key in batches, so a large table is not held in memory."""
    connection = op.get_bind()
    last = 0
    while rows := connection.execute(sa.select(_CUSTOMERS.c.id, _CUSTOMERS.c.name).where(_CUSTOMERS.c.id > last)
                                     .order_by(_CUSTOMERS.c.id).limit(_BATCH)).all():
        connection.execute(sa.update(_CUSTOMERS).where(_CUSTOMERS.c.id == sa.bindparam("row_id"))
                           .values(name_key=sa.bindparam("key")),
                           [{"row_id": row.id, "key": name_key(row.name)} for row in rows])
        last = rows[-1].id
