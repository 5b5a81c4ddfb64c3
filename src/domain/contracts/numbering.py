"""Contract numbers from a configurable pattern such as HT-{year}-{seq:05d} (HT-2026-00042).

The sequence is per year when the pattern contains {year}, else one running sequence; the number
store hands out values atomically inside the creating transaction, so numbers never collide.
"""

import string
from dataclasses import dataclass

DEFAULT_PATTERN = "HT-{year}-{seq:05d}"
NUMBER_MAX = 40  # the width of contracts.number
_FIELDS = frozenset({"year", "seq"})


class InvalidPattern(ValueError):
    """The configured number pattern cannot produce contract numbers."""


@dataclass(frozen=True)
class NumberPattern:
    text: str

    @classmethod
    def parse(cls, text: str) -> "NumberPattern":
        """Validate a pattern: {seq} exactly once, optionally {year}, no other fields, numbers ≤ 40 characters."""
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as error:
            raise InvalidPattern(f"{text!r}: {error}") from error
        if fields.count("seq") != 1 or not set(fields) <= _FIELDS:
            raise InvalidPattern(f"{text!r}: use {{seq}} exactly once, and optionally {{year}}, e.g. {DEFAULT_PATTERN}")
        pattern = cls(text)
        try:
            sample = pattern.format(9999, 999_999)
        except (ValueError, TypeError) as error:
            raise InvalidPattern(f"{text!r}: {error}") from error
        if len(sample) > NUMBER_MAX or not sample.strip():
            raise InvalidPattern(f"{text!r}: numbers must have 1 to {NUMBER_MAX} characters")
        return pattern

    def sequence_key(self, year: int) -> str:
        """The counter this pattern draws from: one per year when the year is part of the number."""
        return f"contract:{year}" if "{year" in self.text else "contract"

    def format(self, year: int, seq: int) -> str:
        return self.text.format(year=year, seq=seq)
