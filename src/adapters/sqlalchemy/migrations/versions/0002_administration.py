"""administration: roles in the database, department managers, one-time user links, step-up time,
hash-chained append-only audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from adapters.sqlalchemy.audit_guard import create_guard
from domain.audit.chain import GENESIS, chained_fields, record_hash

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The default roles as of this revision (frozen here on purpose; later revisions change them by diff).
_SALES = ["customer.read", "customer.create", "customer.update", "customer.reveal", "followup.create"]
ROLES = [
    ("administrator", "Administrator",
     ["customer.read", "customer.create", "customer.update", "customer.archive", "customer.assign",
      "customer.reveal", "followup.create", "audit.read", "audit.export", "user.manage", "department.manage",
      "role.manage", "session.manage"], {"customer": "all"}),
    ("sales_manager", "Sales manager", [*_SALES, "customer.archive", "customer.assign"], {"customer": "department"}),
    ("sales_rep", "Sales rep", _SALES, {"customer": "own"}),
    ("buyer", "Buyer", [], {}),
    ("procurement_manager", "Procurement manager", [], {}),
    ("employee", "Employee", [], {}),
    ("finance", "Finance", ["customer.read"], {"customer": "all"}),
    ("auditor", "Auditor", ["customer.read", "audit.read", "audit.export"], {"customer": "all"}),
]


def upgrade() -> None:
    _roles()
    _users_and_departments()
    op.create_table('user_tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_user_tokens'))
    )
    op.create_index(op.f('ix_user_tokens_user_id'), 'user_tokens', ['user_id'], unique=False)
    op.add_column('auth_sessions', sa.Column('authenticated_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE auth_sessions SET authenticated_at = created_at WHERE stage = 'full'")
    _audit_chain()


def _roles() -> None:
    roles = op.create_table('roles',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_roles'))
    )
    permissions = op.create_table('role_permissions',
    sa.Column('role', sa.String(length=50), nullable=False),
    sa.Column('permission', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['role'], ['roles.key'], name=op.f('fk_role_permissions_role_roles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role', 'permission', name=op.f('pk_role_permissions'))
    )
    scopes = op.create_table('role_scopes',
    sa.Column('role', sa.String(length=50), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['role'], ['roles.key'], name=op.f('fk_role_scopes_role_roles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role', 'entity', name=op.f('pk_role_scopes'))
    )
    op.bulk_insert(roles, [{"key": k, "name": n, "builtin": True, "version": 1} for k, n, _, _ in ROLES])
    op.bulk_insert(permissions, [{"role": k, "permission": p} for k, _, ps, _ in ROLES for p in ps])
    op.bulk_insert(scopes, [{"role": k, "entity": e, "scope": s} for k, _, _, ss in ROLES for e, s in ss.items()])
    op.execute("DELETE FROM user_roles WHERE role NOT IN (SELECT key FROM roles)")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_user_roles_role_roles'), 'roles', ['role'], ['key'])
        batch_op.create_index('ix_user_roles_role', ['role'], unique=False)


def _users_and_departments() -> None:
    op.add_column('users', sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    op.add_column('users', sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))
    # Plain ADD COLUMN, no table rebuild: departments is referenced by users and customers.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("ALTER TABLE departments ADD COLUMN manager_id INTEGER "
                   "CONSTRAINT fk_departments_manager_id_users REFERENCES users (id)")
    else:
        op.add_column('departments', sa.Column('manager_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_departments_manager_id_users', 'departments', 'users', ['manager_id'], ['id'])
    op.add_column('departments', sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def _audit_chain() -> None:
    op.add_column('audit_events', sa.Column('seq', sa.BigInteger(), nullable=True))
    op.add_column('audit_events', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_events', sa.Column('hash', sa.String(length=64), nullable=True))
    head = op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    seq, last = _chain_existing_events()
    op.bulk_insert(head, [{"id": 1, "seq": seq, "hash": last}])
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
        batch_op.create_index('ix_audit_events_action', ['action', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':  # the audit screen's action-family (LIKE prefix) filter
        op.create_index('ix_audit_events_action_prefix', 'audit_events', ['action'],
                        postgresql_ops={'action': 'text_pattern_ops'})
    create_guard(op.get_bind())


def _chain_existing_events() -> tuple[int, str]:
    from adapters.sqlalchemy.tables import audit_events

    bind = op.get_bind()
    rows = list(bind.execute(sa.select(
        audit_events.c.id, audit_events.c.occurred_at, audit_events.c.actor_id, audit_events.c.ip,
        audit_events.c.action, audit_events.c.entity_type, audit_events.c.entity_id, audit_events.c.before,
        audit_events.c.after).order_by(audit_events.c.id)))
    seq, last = 0, GENESIS
    for row in rows:
        seq += 1
        fields = chained_fields(seq, last, row.occurred_at, row.actor_id, row.ip, row.action, row.entity_type,
                                row.entity_id, row.before, row.after)
        digest = record_hash(fields)
        bind.execute(sa.text("UPDATE audit_events SET seq = :seq, prev_hash = :prev, hash = :hash WHERE id = :id"),
                     {"seq": seq, "prev": last, "hash": digest, "id": row.id})
        last = digest
    return seq, last


def downgrade() -> None:
    raise NotImplementedError("0002 is not reversible: the audit chain and roles cannot be taken back safely")
