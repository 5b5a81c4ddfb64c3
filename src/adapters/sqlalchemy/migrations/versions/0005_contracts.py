"""contracts, customer tags, and the default roles' grants for contracts, imports, exports, merges and approval rules

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Grants added to the default roles in this revision (frozen here; the domain's DEFAULT_ROLES must agree).
_SALES = ["customer.export", "contract.read", "contract.create", "contract.update"]
PERMISSIONS = {
    "administrator": ["customer.export", "customer.import", "customer.merge", "contract.read", "contract.create",
                      "contract.update", "contract.terminate", "approval.rules"],
    "sales_manager": [*_SALES, "customer.import", "customer.merge", "contract.terminate"],
    "sales_rep": _SALES,
    "finance": ["contract.read"],
    "auditor": ["contract.read"],
}
SCOPES = {"administrator": "all", "sales_manager": "department", "sales_rep": "own", "finance": "all",
          "auditor": "all"}


def upgrade() -> None:
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('payment_terms', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('amendment', sa.Integer(), nullable=False),
    sa.Column('predecessor_id', sa.Integer(), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_contracts_created_by_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contracts_customer_id_customers')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                            name=op.f('fk_contracts_department_id_departments')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_contracts_owner_id_users')),
    sa.ForeignKeyConstraint(['predecessor_id'], ['contracts.id'], name=op.f('fk_contracts_predecessor_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name=op.f('uq_contracts_number'))
    )
    op.create_index(op.f('ix_contracts_customer_id'), 'contracts', ['customer_id'], unique=False)
    op.create_index('ix_contracts_created', 'contracts', ['created_at', 'id'], unique=False)
    op.create_index('ix_contracts_owner_created', 'contracts', ['owner_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_contracts_department_created', 'contracts', ['department_id', 'created_at', 'id'],
                    unique=False)
    op.create_index('ix_contracts_status_end', 'contracts', ['status', 'end_on', 'id'], unique=False)
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name'))
    )
    op.create_table('customer_tags',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_tags_customer_id_customers'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_customer_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'tag_id', name=op.f('pk_customer_tags'))
    )
    op.create_index('ix_customer_tags_tag', 'customer_tags', ['tag_id', 'customer_id'], unique=False)
    permissions = sa.table('role_permissions', sa.column('role', sa.String), sa.column('permission', sa.String))
    scopes = sa.table('role_scopes', sa.column('role', sa.String), sa.column('entity', sa.String),
                      sa.column('scope', sa.String))
    op.bulk_insert(permissions, [{"role": r, "permission": p} for r, ps in PERMISSIONS.items() for p in ps])
    op.bulk_insert(scopes, [{"role": r, "entity": "contract", "scope": s} for r, s in SCOPES.items()])


def downgrade() -> None:
    op.execute("DELETE FROM role_scopes WHERE entity = 'contract'")
    for role, granted in PERMISSIONS.items():
        for permission in granted:
            op.execute(sa.text("DELETE FROM role_permissions WHERE role = :r AND permission = :p")
                       .bindparams(r=role, p=permission))
    op.drop_table('customer_tags')
    op.drop_table('tags')
    op.drop_table('contracts')
