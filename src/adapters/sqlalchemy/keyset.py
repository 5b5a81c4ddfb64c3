"""Keyset pages on (created_at, id), newest first: the one paging mechanism of the document lists.

The statement must select columns named `created_at` and `id`. Pages are read with a bound on the key, never
an offset, and one row more than the page tells whether there is a next one; no count.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, Select, literal, tuple_

from domain.shared.paging import Page, decode_cursor, encode_cursor

T = TypeVar("T")


def keyset_page(db: Connection, statement: Select[Any], created: ColumnElement[Any], ident: ColumnElement[Any],
                after: str | None, before: str | None, per_page: int, item: Callable[[Row[Any]], T]) -> Page[T]:
    """One page after the `after` cursor (or before `before`), newest first, each row made an item."""
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    backwards = before_key is not None and after_key is None
    cursor = before_key if backwards else after_key
    if cursor is not None:
        key = tuple_(literal(_moment(cursor[0]), created.type), literal(cursor[1]))
        bound = tuple_(created, ident)
        statement = statement.where(bound > key if backwards else bound < key)
    order = (created.asc(), ident.asc()) if backwards else (created.desc(), ident.desc())
    rows = list(db.execute(statement.order_by(*order).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    has_next = cursor is not None if backwards else more
    has_prev = more if backwards else cursor is not None
    return Page([item(row) for row in rows], _cursor(rows[-1]) if has_next else None,
                _cursor(rows[0]) if has_prev else None)


def _cursor(row: Row[Any]) -> str:
    return encode_cursor((row.created_at.isoformat(), row.id))


def _moment(value: str | int | None) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min
