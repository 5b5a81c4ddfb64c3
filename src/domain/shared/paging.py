"""Keyset pagination: pages are addressed by a cursor, never by an offset or a total count."""

import base64
import json
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
CursorKey = tuple[str | int | None, int]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items plus cursors for the neighbouring pages (None at an end)."""

    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None


def encode_cursor(key: CursorKey) -> str:
    """Opaque URL-safe cursor for (sort value, id)."""
    raw = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str | None) -> CursorKey | None:
    """The (sort value, id) in a cursor, or None when it is absent or malformed."""
    if not cursor:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(row_id, int) or not isinstance(value, str | int | None):
        return None
    return value, row_id
