"""Keyset pagination newest first on (created_at, id): no OFFSET, no COUNT, an index walk per page."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Connection, Row, Select, literal, tuple_

from domain.shared.paging import Page, decode_cursor, encode_cursor


def newest_first(db: Connection, statement: Select[Any], created: Column[datetime], row_id: Column[int],
                 after: str | None, before: str | None, per_page: int) -> Page[Row[Any]]:
    """One page of `statement`'s rows after (older than) or before (newer than) a cursor, newest first.

    The statement must select `created` and `row_id` under their column names (the cursors are made of them).
    """
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    backwards = before_key is not None and after_key is None
    cursor = before_key if backwards else after_key
    bound = tuple_(created, row_id)
    if cursor is not None:
        key = tuple_(literal(_moment(cursor[0]), created.type), literal(cursor[1]))
        statement = statement.where(bound > key if backwards else bound < key)
    order = (created.asc(), row_id.asc()) if backwards else (created.desc(), row_id.desc())
    rows = list(db.execute(statement.order_by(*order).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return Page(rows, None, None)
    has_next, has_prev = (cursor is not None, more) if backwards else (more, cursor is not None)

    def cursor_of(row: Row[Any]) -> str:
        return encode_cursor((getattr(row, created.key).isoformat(), getattr(row, row_id.key)))

    return Page(rows, cursor_of(rows[-1]) if has_next else None, cursor_of(rows[0]) if has_prev else None)


def _moment(value: str | int | None) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:  # a tampered cursor: some page, never an error
        return datetime(2000, 1, 1, tzinfo=UTC)
