"""Key rotation in the database: re-encrypt every sealed column under the current key, count what an old key holds.

Each batch is its own short transaction and rewrites a row only if its token is still the one read
(compare-and-swap), so a save made meanwhile is never undone, and an interrupted run is finished by
running it again.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, Table, bindparam, func, literal, select, update

from adapters.sqlalchemy.audit import SqlAuditLog
from adapters.sqlalchemy.tables import contacts, customers, supplier_contacts, suppliers, users
from domain.audit.models import AuditEvent
from domain.identity.ports import SecretCipher

# Every column holding AES-GCM tokens (key id first); later modules add theirs here.
SEALED_COLUMNS: tuple[tuple[Table, Column[Any]], ...] = (
    (users, users.c.totp_secret), (customers, customers.c.phone_enc), (customers, customers.c.email_enc),
    (contacts, contacts.c.phone_enc), (contacts, contacts.c.email_enc),
    (suppliers, suppliers.c.bank_account_enc), (supplier_contacts, supplier_contacts.c.phone_enc),
    (supplier_contacts, supplier_contacts.c.email_enc))
BATCH = 500


def reencrypt(engine: Engine, cipher: SecretCipher, current: str, batch: int = BATCH) -> int:
    """Re-encrypt every token not yet under `current`; returns how many were rewritten."""
    done = 0
    for table, column in SEALED_COLUMNS:
        while rows := _stale_rows(engine, table, column, current, batch):
            done += _rewrite(engine, table, column, [(row_id, token, cipher.encrypt(cipher.decrypt(token)))
                                                     for row_id, token in rows])
    return done


def key_usage(engine: Engine, key_ids: Iterable[str]) -> dict[str, int]:
    """How many tokens each key id still seals, across every sealed column."""
    with engine.connect() as connection:
        return {kid: sum(connection.execute(select(func.count()).select_from(table).where(
            _sealed_by(column, kid))).scalar_one() for table, column in SEALED_COLUMNS) for kid in key_ids}


def record(engine: Engine, action: str, at: datetime, details: dict[str, Any]) -> None:
    """Audit a key operation (key ids only, never key material)."""
    with engine.begin() as connection:
        SqlAuditLog(connection).append(AuditEvent(action, at, None, None, "keys", None, after=details))


def _sealed_by(column: Column[Any], kid: str) -> Any:
    prefix = kid.encode() + b":"
    return func.substr(column, 1, len(prefix)) == literal(prefix, column.type)


def _stale_rows(engine: Engine, table: Table, column: Column[Any], current: str, batch: int) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(table.c.id, column).where(
            column.is_not(None), ~_sealed_by(column, current)).order_by(table.c.id).limit(batch)).tuples())


def _rewrite(engine: Engine, table: Table, column: Column[Any], rows: list[tuple[int, bytes, bytes]]) -> int:
    statement = update(table).where(table.c.id == bindparam("row_id"), column == bindparam("old_token")).values(
        {column.key: bindparam("new_token")})
    with engine.begin() as connection:
        connection.execute(statement, [{"row_id": i, "old_token": old, "new_token": new} for i, old, new in rows])
    return len(rows)
