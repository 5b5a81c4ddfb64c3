"""Ports of the customer list's own power tools: tags (saved views and export files are domain.lists')."""

from collections.abc import Sequence
from typing import Protocol

from domain.customers.list_models import Tag
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
