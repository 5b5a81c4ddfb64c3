"""Gapless number sequences (contract numbers, later order numbers)."""

from typing import Protocol


class NumberSequences(Protocol):
    """Counters by key; `next_value` is atomic within the caller's transaction, so concurrent callers never get
    the same value, and a rolled-back transaction gives its value back (no gaps)."""

    def next_value(self, key: str) -> int: ...
