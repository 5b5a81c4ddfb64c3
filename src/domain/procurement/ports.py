"""Procurement settings port."""

from datetime import datetime
from typing import Protocol


class ProcurementSettings(Protocol):
    """Tolerances and other procurement settings as text by key; keys never stored take the domain defaults."""

    def values(self) -> dict[str, str]:
        """Every stored setting."""
        ...
    def put(self, key: str, value: str, updated_by: int, now: datetime) -> None:
        """Store one setting (insert or replace)."""
        ...
