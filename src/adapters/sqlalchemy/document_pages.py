"""Keyset pages of document lists (receipts, invoices) ordered by (created_at, id): no OFFSET, no COUNT."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, Select, literal, tuple_

from domain.shared.paging import Page, decode_cursor, encode_cursor


class Keyed(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...


T = TypeVar("T", bound=Keyed)


def newest_first(db: Connection, statement: Select[Any], created: ColumnElement[Any], key: ColumnElement[Any],
                 after: str | None, before: str | None, per_page: int, item: Callable[[Row[Any]], T]) -> Page[T]:
    """One page of `statement` newest first, after (older than) or before (newer than) a cursor."""
    after_key, before_key = decode_cursor(after), decode_cursor(before)
    backwards = before_key is not None and after_key is None
    cursor = before_key if backwards else after_key
    if cursor is not None:
        bound, mark = tuple_(created, key), _mark(cursor, created)
        statement = statement.where(bound > mark if backwards else bound < mark)
    order = (created.asc(), key.asc()) if backwards else (created.desc(), key.desc())
    rows = list(db.execute(statement.order_by(*order).limit(per_page + 1)))
    more = len(rows) > per_page
    items = [item(row) for row in rows[:per_page]]
    if backwards:
        items.reverse()
    if not items:
        return Page(items, None, None)
    has_next, has_prev = (cursor is not None, more) if backwards else (more, cursor is not None)
    return Page(items, cursor_of(items[-1]) if has_next else None, cursor_of(items[0]) if has_prev else None)


def oldest_first(statement: Select[Any], created: ColumnElement[Any], key: ColumnElement[Any],
                 after: str | None) -> Select[Any]:
    """`statement` oldest first, after (newer than) the cursor: a work queue's order."""
    cursor = decode_cursor(after)
    if cursor is not None:
        statement = statement.where(tuple_(created, key) > _mark(cursor, created))
    return statement.order_by(created.asc(), key.asc())


def cursor_of(item: Keyed) -> str:
    return encode_cursor((item.created_at.isoformat(), item.id))


def _mark(cursor: tuple[str | int | None, int], created: ColumnElement[Any]) -> ColumnElement[Any]:
    return tuple_(literal(_moment(cursor[0]), created.type), literal(cursor[1]))


def _moment(value: str | int | None) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min
