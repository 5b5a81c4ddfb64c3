"""What the fake repositories share: ids count up from 1, as an autoincrement column does, and one contact book
for customers' and suppliers' contacts."""

from dataclasses import replace
from typing import Any, Generic, TypeVar

T = TypeVar("T")
C = TypeVar("C")


def insert_row(rows: dict[int, T], record: T) -> int:
    """Store a copy of `record` under the next id, with that id set, and return the id."""
    new_id = len(rows) + 1
    stored: Any = record
    rows[new_id] = replace(stored, id=new_id)
    return new_id


class FakeContactBook(Generic[C]):
    """Contacts of one kind of owner (customers or suppliers), kept whole; `owner` names the contact's attribute
    that holds its owner's id, as the SQL contact book's owner column does."""

    owner = ""

    def __init__(self) -> None:
        self.rows: dict[int, C] = {}

    def add(self, contact: C) -> int:
        return insert_row(self.rows, contact)

    def get(self, contact_id: int, owner_id: int) -> C | None:
        found = self.rows.get(contact_id)
        return found if found is not None and getattr(found, self.owner) == owner_id else None

    def of_owner(self, owner_id: int) -> list[C]:
        return [c for c in self.rows.values() if getattr(c, self.owner) == owner_id]

    def update(self, contact: C, expected_version: int) -> bool:
        contact_id: int = contact.id or 0
        if self.rows[contact_id].version != expected_version:
            return False
        self.rows[contact_id] = contact
        return True

    def delete(self, contact_id: int, expected_version: int) -> bool:
        if self.rows[contact_id].version != expected_version:
            return False
        del self.rows[contact_id]
        return True
