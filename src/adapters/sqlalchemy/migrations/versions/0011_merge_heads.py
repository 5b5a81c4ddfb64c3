"""join the parallel 0010 migrations (procurement slices) into one head

Revision ID: 0011
Revises: 0010_requisitions, 0010_pcontracts, 0010_list_views, 0010_suppliers, 0010_orders
Create Date: 2026-12-03
"""

revision = '0011'
down_revision = ('0010_requisitions', '0010_pcontracts', '0010_list_views', '0010_suppliers', '0010_orders')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
