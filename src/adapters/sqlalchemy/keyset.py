"""Keyset pages newest first on (created_at, id): the one paging mechanism of the record and document lists.

No OFFSET and no COUNT: each page is an index walk from a bound on the key, and one row more than the page
tells whether there is a next one.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, Select, literal, tuple_

from domain.shared.paging import Page, decode_cursor, encode_cursor

T = TypeVar("T")


def newest_first(db: Connection, statement: Select[Any], created: ColumnElement[Any], row_id: ColumnElement[Any],
                 after: str | None, before: str | None, per_page: int, item: Callable[[Row[Any]], T]) -> Page[T]:
    """One page of `statement` after (older than) or before (newer than) a cursor, each row made an item.

    The statement must select `created` and `row_id` under their column keys (the cursors are made of them).
    """
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    backwards = before_key is not None and after_key is None
    cursor = before_key if backwards else after_key
    if cursor is not None:
        key = tuple_(literal(_moment(cursor[0]), created.type), literal(cursor[1]))
        bound = tuple_(created, row_id)
        statement = statement.where(bound > key if backwards else bound < key)
    order = (created.asc(), row_id.asc()) if backwards else (created.desc(), row_id.desc())
    rows = list(db.execute(statement.order_by(*order).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    has_next, has_prev = (cursor is not None, more) if backwards else (more, cursor is not None)

    created_key, id_key = str(created.key), str(row_id.key)

    def cursor_of(row: Row[Any]) -> str:
        return encode_cursor((getattr(row, created_key).isoformat(), getattr(row, id_key)))

    return Page([item(row) for row in rows], cursor_of(rows[-1]) if has_next else None,
                cursor_of(rows[0]) if has_prev else None)


def oldest_first(statement: Select[Any], created: ColumnElement[Any], row_id: ColumnElement[Any],
                 after: str | None) -> Select[Any]:
    """`statement` oldest first, after (newer than) the cursor: a work queue's order (read one row more)."""
    cursor = decode_cursor(after)
    if cursor is not None:
        key = tuple_(literal(_moment(cursor[0]), created.type), literal(cursor[1]))
        statement = statement.where(tuple_(created, row_id) > key)
    return statement.order_by(created.asc(), row_id.asc())


def _moment(value: str | int | None) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:  # a tampered cursor: some page, never an error
        return datetime(2000, 1, 1, tzinfo=UTC)
