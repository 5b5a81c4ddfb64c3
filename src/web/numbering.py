"""The configured document number patterns (contracts, requisitions, purchase orders, goods receipts)."""

from collections.abc import Mapping
from typing import Any

from flask import current_app

from domain.shared.numbering import DEFAULT_PATTERNS, NumberPattern

SETTINGS = {"contract": "CONTRACT_NUMBER_PATTERN", "requisition": "REQUISITION_NUMBER_PATTERN",
            "purchase_order": "PURCHASE_ORDER_NUMBER_PATTERN", "goods_receipt": "GOODS_RECEIPT_NUMBER_PATTERN"}


def number_pattern(kind: str) -> NumberPattern:
    """The pattern documents of `kind` are numbered with (validated when the app starts)."""
    return pattern_of(current_app.config, kind)


def pattern_of(config: Mapping[str, Any], kind: str) -> NumberPattern:
    return NumberPattern.parse(config.get(SETTINGS[kind], DEFAULT_PATTERNS[kind]), kind)


def check_patterns(config: Mapping[str, Any]) -> None:
    """Raise InvalidPattern for a pattern that cannot number its documents, so the app refuses to start."""
    for kind in SETTINGS:
        pattern_of(config, kind)
