"""Receiving errors."""

from dataclasses import dataclass
from decimal import Decimal

from domain.shared.errors import ValidationFailed


@dataclass(frozen=True)
class Allowance:
    """How much more a line may accept: ordered × (1 + tolerance) − accepted so far (`most`)."""

    ordered: Decimal
    accepted: Decimal
    tolerance: Decimal
    most: Decimal


class OverReceipt(ValidationFailed):
    """Accepting this receipt would take lines beyond the over-receipt tolerance; `allowances` per order line."""

    code = "receipt.over_tolerance"

    def __init__(self, allowances: dict[int, Allowance]) -> None:
        super().__init__({f"accepted-{line_id}": self.code for line_id in allowances})
        self.allowances = allowances
