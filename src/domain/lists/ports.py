"""Ports of the list tools: saved views of any list, and the files exports are written into."""

from collections.abc import Iterable, Sequence
from typing import Protocol

from domain.identity.models import Actor
from domain.lists.models import SavedView


class SavedViewRepository(Protocol):
    """Named list queries of each list: personal, or shared with a department (seen by its whole subtree)."""

    def add(self, view: SavedView) -> int: ...
    def get(self, view_id: int) -> SavedView | None: ...
    def visible_to(self, actor: Actor, list_key: str) -> list[SavedView]:
        """The actor's own views of the list, then those shared with their department or one above it, by name."""
        ...
    def rename(self, view_id: int, name: str) -> None: ...
    def delete(self, view_id: int) -> None: ...


class TableFile(Protocol):
    """Writes a header and rows (cells already made safe) into one file: CSV or XLSX."""

    extension: str
    content_type: str

    def write(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes: ...
