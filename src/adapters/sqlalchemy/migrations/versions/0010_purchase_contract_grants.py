"""purchase contracts: buyers and procurement managers draft contracts with suppliers; an index for the kind filter

Revision ID: 0010_pcontracts
Revises: 0009
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_pcontracts'
down_revision = '0009'
branch_labels = None
depends_on = None

# Grants added to the default roles in this revision (frozen here; the domain's DEFAULT_ROLES must agree).
PERMISSIONS = {
    "buyer": ["contract.read", "contract.create", "contract.update"],
    "procurement_manager": ["contract.read", "contract.create", "contract.update", "contract.terminate"],
}
SCOPES = {"buyer": {"contract": "own"}, "procurement_manager": {"contract": "department"}}


def upgrade() -> None:
    for role, granted in PERMISSIONS.items():
        for permission in granted:  # an administrator may have granted it already: keep theirs
            op.execute(sa.text("INSERT INTO role_permissions (role, permission) SELECT :r, :p WHERE NOT EXISTS "
                               "(SELECT 1 FROM role_permissions WHERE role = :r AND permission = :p)")
                       .bindparams(r=role, p=permission))
    for role, entities in SCOPES.items():
        for entity, scope in entities.items():  # a scope set by an administrator stays
            op.execute(sa.text("INSERT INTO role_scopes (role, entity, scope) SELECT :r, :e, :s WHERE NOT EXISTS "
                               "(SELECT 1 FROM role_scopes WHERE role = :r AND entity = :e)")
                       .bindparams(r=role, e=entity, s=scope))
    op.create_index('ix_contracts_purchase_created', 'contracts', ['created_at', 'id'], unique=False,
                    sqlite_where=sa.text('supplier_id IS NOT NULL'), postgresql_where=sa.text('supplier_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_contracts_purchase_created', table_name='contracts')
    for role, granted in PERMISSIONS.items():
        for permission in granted:
            op.execute(sa.text("DELETE FROM role_permissions WHERE role = :r AND permission = :p")
                       .bindparams(r=role, p=permission))
    for role, entities in SCOPES.items():
        for entity in entities:
            op.execute(sa.text("DELETE FROM role_scopes WHERE role = :r AND entity = :e").bindparams(r=role, e=entity))
