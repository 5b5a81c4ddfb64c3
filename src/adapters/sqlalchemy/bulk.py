"""Bulk writes for imports: many rows per statement (executemany), with optimistic locking on updates."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update


def insert_many(db: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert `rows`, each with a unique `form_token`; their new ids in the rows' order."""
    if not rows:
        return []
    tokens = [row["form_token"] for row in rows]
    assert all(tokens), "insert_many finds the new ids by each row's form token"
    # A plain executemany, then the ids by token: ordered RETURNING falls back to one INSERT per row.
    db.execute(insert(table), list(rows))
    found = {token: new_id for token, new_id in db.execute(
        select(table.c.form_token, table.c.id).where(table.c.form_token.in_(tokens)))}
    return [int(found[token]) for token in tokens]


def update_many(db: Connection, table: Table, rows: Sequence[dict[str, Any]], ids: Sequence[int],
                expected_versions: Sequence[int]) -> int:
    """Write each row to the record `ids[i]` if its stored version is still `expected_versions[i]`; how many were."""
    if not rows:
        return 0
    statement = update(table).where(table.c.id == bindparam("_id"), table.c.version == bindparam("_expected"))
    values = [row | {"_id": record_id, "_expected": expected}
              for row, record_id, expected in zip(rows, ids, expected_versions, strict=True)]
    return int(db.execute(statement, values).rowcount)
