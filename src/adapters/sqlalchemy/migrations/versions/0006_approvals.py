"""approval engine: rules with ordered steps, requests, tasks, delegations

Revision ID: 0006_approvals
Revises: 0005
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_approvals'
down_revision = '0005'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table('approval_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('document_type', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('min_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('max_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                            name=op.f('fk_approval_rules_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_rules'))
    )
    op.create_index('ix_approval_rules_type', 'approval_rules', ['document_type', 'department_id', 'min_amount'])
    op.create_table('approval_rule_steps',
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('approver_kind', sa.String(length=16), nullable=False),
    sa.Column('role_key', sa.String(length=50), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['rule_id'], ['approval_rules.id'], name=op.f('fk_approval_rule_steps_rule_id_approval_rules'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_key'], ['roles.key'], name=op.f('fk_approval_rule_steps_role_key_roles')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_approval_rule_steps_user_id_users')),
    sa.PrimaryKeyConstraint('rule_id', 'position', name=op.f('pk_approval_rule_steps'))
    )
    op.create_table('approval_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.String(length=32), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('current_step', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['rule_id'], ['approval_rules.id'], name=op.f('fk_approval_requests_rule_id_approval_rules')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                            name=op.f('fk_approval_requests_department_id_departments')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_approval_requests_requested_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_requests'))
    )
    op.create_index('ix_approval_requests_document', 'approval_requests', ['document_type', 'document_id', 'id'])
    op.create_table('approval_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf_of', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['approval_requests.id'],
                            name=op.f('fk_approval_tasks_request_id_approval_requests')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_approval_tasks_assignee_id_users')),
    sa.ForeignKeyConstraint(['on_behalf_of'], ['users.id'], name=op.f('fk_approval_tasks_on_behalf_of_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_tasks'))
    )
    op.create_index('ix_approval_tasks_request', 'approval_tasks', ['request_id', 'step', 'id'])
    op.create_index('ix_approval_tasks_open', 'approval_tasks', ['assignee_id', 'id'], sqlite_where=OPEN,
                    postgresql_where=OPEN)
    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_delegations_user_id_users')),
    sa.ForeignKeyConstraint(['delegate_id'], ['users.id'], name=op.f('fk_delegations_delegate_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations'))
    )
    op.create_index('ix_delegations_user', 'delegations', ['user_id', 'ends_on'])
    op.create_index('ix_delegations_delegate', 'delegations', ['delegate_id', 'ends_on'])


def downgrade() -> None:
    op.drop_table('delegations')
    op.drop_table('approval_tasks')
    op.drop_table('approval_requests')
    op.drop_table('approval_rule_steps')
    op.drop_table('approval_rules')
