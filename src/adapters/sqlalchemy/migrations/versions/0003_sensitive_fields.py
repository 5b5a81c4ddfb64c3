"""sensitive fields: customer phone and e-mail encrypted (AES-256-GCM, key id) with a blind index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from domain.shared.sensitive import SensitiveKind

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_FIELDS = {"phone": SensitiveKind.PHONE, "email": SensitiveKind.EMAIL}
_BATCH = 500
_CUSTOMERS = sa.table(
    "customers", sa.column("id", sa.Integer), sa.column("phone", sa.String), sa.column("email", sa.String),
    sa.column("phone_enc", sa.LargeBinary), sa.column("email_enc", sa.LargeBinary),
    sa.column("phone_index", sa.String), sa.column("email_index", sa.String))


def upgrade() -> None:
    for field in _FIELDS:
        op.add_column('customers', sa.Column(f'{field}_enc', sa.LargeBinary(), nullable=True))
        op.add_column('customers', sa.Column(f'{field}_index', sa.String(length=64), nullable=True))
        op.create_index(op.f(f'ix_customers_{field}_index'), 'customers', [f'{field}_index'], unique=False)
    # secure_delete zeroes the space rows move out of, so the clear text does not linger in the file.
    with _secure_delete():
        _encrypt_existing_rows()
        # Dropped in place, not by batch copy-and-move: SQLite (>= 3.35) drops the columns natively, so
        # the FTS5 triggers of 0001 stay and no DROP TABLE runs into the follow-ups' foreign keys.
        for field in _FIELDS:
            op.drop_column('customers', field)


def downgrade() -> None:
    op.add_column('customers', sa.Column('phone', sa.String(length=32), nullable=True))
    op.add_column('customers', sa.Column('email', sa.String(length=254), nullable=True))
    _decrypt_existing_rows()
    for field in _FIELDS:
        op.drop_index(op.f(f'ix_customers_{field}_index'), table_name='customers')
        op.drop_column('customers', f'{field}_index')
        op.drop_column('customers', f'{field}_enc')


def _crypto() -> Any:
    crypto = context.config.attributes.get("crypto")
    if crypto is None:
        raise RuntimeError("Customers hold phone numbers or e-mail addresses that this migration must encrypt, "
                           "but it was started without the encryption keys. Run 'houtai migrate', which passes them.")
    return crypto


def _encrypt_existing_rows() -> None:
    t = _CUSTOMERS
    todo = sa.or_(t.c.phone.is_not(None), t.c.email.is_not(None))
    for rows in _batches(sa.select(t.c.id, t.c.phone, t.c.email).where(todo)):
        crypto = _crypto()
        op.get_bind().execute(
            sa.update(t).where(t.c.id == sa.bindparam("row_id")).values(
                {f"{f}_{part}": sa.bindparam(f"new_{f}_{part}") for f in _FIELDS for part in ("enc", "index")}),
            [{"row_id": row.id} | {f"new_{f}_enc": crypto.seal(getattr(row, f)) for f in _FIELDS}
             | {f"new_{f}_index": crypto.index_of(kind, getattr(row, f)) for f, kind in _FIELDS.items()}
             for row in rows])


def _decrypt_existing_rows() -> None:
    t = _CUSTOMERS
    todo = sa.or_(t.c.phone_enc.is_not(None), t.c.email_enc.is_not(None))
    for rows in _batches(sa.select(t.c.id, t.c.phone_enc, t.c.email_enc).where(todo)):
        crypto = _crypto()
        op.get_bind().execute(
            sa.update(t).where(t.c.id == sa.bindparam("row_id")).values(
                {f: sa.bindparam(f"new_{f}") for f in _FIELDS}),
            [{"row_id": row.id} | {f"new_{f}": crypto.open(getattr(row, f"{f}_enc")) for f in _FIELDS}
             for row in rows])


def _batches(query: sa.Select[Any]) -> Iterator[Sequence[sa.Row[Any]]]:
    last = 0
    while rows := op.get_bind().execute(
            query.where(_CUSTOMERS.c.id > last).order_by(_CUSTOMERS.c.id).limit(_BATCH)).all():
        yield rows
        last = rows[-1].id


@contextmanager
def _secure_delete() -> Iterator[None]:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA secure_delete = ON")
    yield
    if sqlite:
        op.execute("PRAGMA secure_delete = OFF")
