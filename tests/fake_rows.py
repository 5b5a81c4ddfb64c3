"""The one storage rule of the fake repositories: ids count up from 1, as an autoincrement column does."""

from dataclasses import replace
from typing import Any, TypeVar

T = TypeVar("T")


def insert_row(rows: dict[int, T], record: T) -> int:
    """Store a copy of `record` under the next id, with that id set, and return the id."""
    new_id = len(rows) + 1
    stored: Any = record
    rows[new_id] = replace(stored, id=new_id)
    return new_id
