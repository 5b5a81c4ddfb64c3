"""saved views of the customer list; case-insensitive tag names

Revision ID: 0006_list
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_list'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saved_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('query', sa.String(length=1000), nullable=False),
    sa.Column('shared_department_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_saved_views_owner_id_users'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_department_id'], ['departments.id'],
                            name=op.f('fk_saved_views_shared_department_id_departments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_views'))
    )
    op.create_index('ix_saved_views_owner', 'saved_views', ['owner_id', 'name'], unique=False)
    op.create_index('ix_saved_views_shared', 'saved_views', ['shared_department_id', 'name'], unique=False)
    # tags had no code before this revision, so the table is empty and the key needs no backfill
    with op.batch_alter_table('tags') as batch:
        batch.add_column(sa.Column('name_key', sa.String(length=80), nullable=False))
        batch.create_unique_constraint(op.f('uq_tags_name_key'), ['name_key'])


def downgrade() -> None:
    with op.batch_alter_table('tags') as batch:
        batch.drop_constraint(op.f('uq_tags_name_key'), type_='unique')
        batch.drop_column('name_key')
    op.drop_index('ix_saved_views_shared', table_name='saved_views')
    op.drop_index('ix_saved_views_owner', table_name='saved_views')
    op.drop_table('saved_views')
