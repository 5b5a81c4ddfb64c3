"""Ports shared by every context."""

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The current time, always timezone-aware UTC."""

    def now(self) -> datetime: ...


class BlindIndex(Protocol):
    """Keyed hash (HMAC-SHA256, hex) of a normalised sensitive value: exact-match lookup without decrypting.

    The kind is part of the hashed input, so equal strings of different kinds never share an index value.
    """

    def digest(self, kind: str, normalised: str) -> str: ...
