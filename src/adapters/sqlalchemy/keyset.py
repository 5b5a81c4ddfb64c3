"""Keyset pages newest first on (created_at, id): the list mechanism of documents (contracts, requisitions, …)."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, Row, Select, literal, tuple_

from domain.shared.paging import Page, decode_cursor, encode_cursor

T = TypeVar("T")


def newest_first(db: Connection, statement: Select[Any], created_at: Column[Any], row_id: Column[Any],
                 after: str | None, before: str | None, per_page: int, item: Callable[[Row[Any]], T]) -> Page[T]:
    """One page of `statement` around the cursors (`before` pages back towards newer rows), mapped by `item`."""
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    backwards = before_key is not None and after_key is None
    cursor = before_key if backwards else after_key
    bound = tuple_(created_at, row_id)
    if cursor is not None:
        key = tuple_(literal(_moment(cursor[0]), created_at.type), literal(cursor[1]))
        statement = statement.where(bound > key if backwards else bound < key)
    order = (created_at.asc(), row_id.asc()) if backwards else (created_at.desc(), row_id.desc())
    rows = list(db.execute(statement.order_by(*order).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    has_next, has_prev = (cursor is not None, more) if backwards else (more, cursor is not None)
    return Page([item(row) for row in rows], _cursor(rows[-1], created_at.name) if has_next else None,
                _cursor(rows[0], created_at.name) if has_prev else None)


def _cursor(row: Row[Any], created_at: str) -> str:
    moment: datetime = getattr(row, created_at)
    return encode_cursor((moment.isoformat(), row.id))


def _moment(value: str | int | None) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
