"""Document numbers from a configurable pattern such as HT-{year}-{seq:05d} (HT-2026-00042) or PO-{year}-{seq:05d}.

Each kind of document (contract, requisition, purchase order, goods receipt) draws from its own sequence,
per year when the pattern contains {year}, else one running sequence. The number store hands out values
atomically inside the creating transaction, so numbers never collide and a rolled-back creation leaves no gap.
"""

import string
from dataclasses import dataclass
from datetime import datetime

from domain.shared.sequences import NumberSequences

DEFAULT_PATTERNS = {"contract": "HT-{year}-{seq:05d}", "requisition": "PR-{year}-{seq:05d}",
                    "purchase_order": "PO-{year}-{seq:05d}", "goods_receipt": "GR-{year}-{seq:05d}"}
NUMBER_MAX = 40  # the width of every number column
_FIELDS = frozenset({"year", "seq"})


class InvalidPattern(ValueError):
    """The configured number pattern cannot produce document numbers."""


@dataclass(frozen=True)
class NumberPattern:
    text: str
    kind: str = "contract"

    @classmethod
    def parse(cls, text: str, kind: str = "contract") -> "NumberPattern":
        """Validate a pattern: {seq} exactly once, optionally {year}, no other fields, numbers ≤ 40 characters."""
        example = DEFAULT_PATTERNS.get(kind, DEFAULT_PATTERNS["contract"])
        try:
            fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as error:
            raise InvalidPattern(f"{text!r}: {error}") from error
        if fields.count("seq") != 1 or not set(fields) <= _FIELDS:
            raise InvalidPattern(f"{text!r}: use {{seq}} exactly once, and optionally {{year}}, e.g. {example}")
        pattern = cls(text, kind)
        try:
            sample = pattern.format(9999, 999_999)
        except (ValueError, TypeError) as error:
            raise InvalidPattern(f"{text!r}: {error}") from error
        if len(sample) > NUMBER_MAX or not sample.strip():
            raise InvalidPattern(f"{text!r}: numbers must have 1 to {NUMBER_MAX} characters")
        return pattern

    def sequence_key(self, year: int) -> str:
        """The counter this pattern draws from: one per kind, and per year when the year is part of the number."""
        return f"{self.kind}:{year}" if "{year" in self.text else self.kind

    def format(self, year: int, seq: int) -> str:
        return self.text.format(year=year, seq=seq)


def next_number(pattern: NumberPattern, now: datetime, sequences: NumberSequences) -> str:
    """The next number of the pattern's kind; drawn inside the caller's transaction, so unique and gapless."""
    return pattern.format(now.year, sequences.next_value(pattern.sequence_key(now.year)))
