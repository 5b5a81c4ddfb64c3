"""join the parallel 0006 migrations into one head

Revision ID: 0007
Revises: 0006_cust, 0006_list, 0006_import, 0006_contracts, 0006_approvals, 0006_attach
Create Date: 2026-11-25
"""

revision = '0007'
down_revision = ('0006_cust', '0006_list', '0006_import', '0006_contracts', '0006_approvals', '0006_attach')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
