"""Ports of the customer list's power tools: tags, saved views, and export files."""

from collections.abc import Iterable, Sequence
from typing import Protocol

from domain.customers.list_models import SavedView, Tag
from domain.identity.models import Actor


class TagRepository(Protocol):
    """Tags and which customers carry them; a tag's key (case-folded name) is unique."""

    def get(self, tag_id: int) -> Tag | None: ...
    def find(self, key: str) -> Tag | None:
        """The tag whose case-folded name is `key`, or None."""
        ...
    def add(self, name: str, key: str) -> Tag: ...
    def all(self, limit: int = 500) -> list[Tag]:
        """Every tag by name (the vocabulary is small and shared by everyone)."""
        ...
    def of_customers(self, customer_ids: Sequence[int], actor: Actor) -> dict[int, list[Tag]]:
        """Tags of those of `customer_ids` in the actor's scope, by name; others are left out."""
        ...
    def attach(self, customer_id: int, tag_id: int) -> bool:
        """Tag the customer; False if it carried the tag already."""
        ...
    def detach(self, customer_id: int, tag_id: int) -> bool:
        """Untag the customer; False if it did not carry the tag."""
        ...


class SavedViewRepository(Protocol):
    """Named list queries: personal, or shared with a department (seen by its whole subtree)."""

    def add(self, view: SavedView) -> int: ...
    def get(self, view_id: int) -> SavedView | None: ...
    def visible_to(self, actor: Actor) -> list[SavedView]:
        """The actor's own views, then those shared with their department or a department above it, by name."""
        ...
    def rename(self, view_id: int, name: str) -> None: ...
    def delete(self, view_id: int) -> None: ...


class TableFile(Protocol):
    """Writes a header and rows (cells already made safe) into one file: CSV or XLSX."""

    extension: str
    content_type: str

    def write(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes: ...
