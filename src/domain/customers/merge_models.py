"""A merge of two customers: which rows moved, so that exactly those can move back."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MovedRows:
    """Ids of the rows hanging on a customer; contacts and contracts with their versions (id → version)."""

    contacts: dict[int, int] = field(default_factory=dict)
    follow_ups: tuple[int, ...] = ()
    contracts: dict[int, int] = field(default_factory=dict)
    tags: tuple[int, ...] = ()  # moved to the survivor
    shared_tags: tuple[int, ...] = ()  # the survivor had them already: dropped from the absorbed customer

    def counts(self) -> dict[str, int]:
        return {"contacts": len(self.contacts), "follow_ups": len(self.follow_ups),
                "contracts": len(self.contracts), "tags": len(self.tags) + len(self.shared_tags)}

    def as_json(self) -> dict[str, Any]:
        return {"contacts": {str(k): v for k, v in self.contacts.items()}, "follow_ups": list(self.follow_ups),
                "contracts": {str(k): v for k, v in self.contracts.items()}, "tags": list(self.tags),
                "shared_tags": list(self.shared_tags)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MovedRows":
        return cls({int(k): int(v) for k, v in data.get("contacts", {}).items()}, tuple(data.get("follow_ups", ())),
                   {int(k): int(v) for k, v in data.get("contracts", {}).items()}, tuple(data.get("tags", ())),
                   tuple(data.get("shared_tags", ())))


@dataclass(frozen=True)
class Merge:
    id: int | None
    survivor_id: int
    absorbed_id: int
    moved: MovedRows
    absorbed_version: int  # the absorbed customer's version right after the merge archived it
    merged_by: int
    merged_at: datetime
    undone_at: datetime | None = None
    absorbed_name: str = ""
