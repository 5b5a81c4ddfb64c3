"""Column mapping: which field of the target each file column feeds, guessed from zh and en header names.

The functions default to the first target, customers.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from domain.imports.customers import CUSTOMERS
from domain.imports.target import ImportTarget

_DROPPED = " \t\r\n-_*:：·.()（）"
Target = ImportTarget[Any, Any]


def normalise_label(text: str) -> str:
    """Case, width, spaces and punctuation removed: "E-mail", "e mail" and "ＥＭＡＩＬ" all become "email"."""
    half = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in text)
    return "".join(ch for ch in half.casefold() if ch not in _DROPPED)


def guess_mapping(header: Sequence[str], target: Target = CUSTOMERS) -> list[str]:
    """A field per column from its header (first column wins a field; unknown headers are ignored)."""
    field_of = _field_of(target)
    mapping: list[str] = []
    for title in header:
        field = field_of.get(normalise_label(title), "")
        mapping.append("" if field in mapping else field)
    return mapping


def header_key(header: Sequence[str], target: Target = CUSTOMERS) -> str:
    """A stable key of a header row, under which the user's last mapping for it is remembered (per target;
    customer keys hash the header alone, as they did before there were other targets)."""
    normalised = [normalise_label(title) for title in header]
    text = normalised if target is CUSTOMERS else [target.key, normalised]
    return hashlib.sha256(json.dumps(text, ensure_ascii=False).encode()).hexdigest()


def mapping_errors(mapping: Sequence[str], columns: int, target: Target = CUSTOMERS) -> dict[str, str]:
    """Codes for a mapping that cannot work: wrong length, unknown fields, a field twice, or no name column."""
    if len(mapping) != columns or any(field and field not in target.fields for field in mapping):
        return {"mapping": "mapping.invalid"}
    chosen = [field for field in mapping if field]
    if len(chosen) != len(set(chosen)):
        return {"mapping": "mapping.twice"}
    if "name" not in chosen:
        return {"mapping": "mapping.name_missing"}
    return {}


def vocabulary_of(*languages: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Per choice field (industry, category, …), normalised code or label in any given language → code."""
    vocabulary: dict[str, dict[str, str]] = {}
    for labels in languages:
        for field, table in labels.items():
            words = vocabulary.setdefault(field, {})
            words.update({normalise_label(code): code for code in table})
            words.update({normalise_label(label): code for code, label in table.items()})
    return vocabulary


@cache
def _field_of(target: Target) -> dict[str, str]:
    return {normalise_label(synonym): field for field, synonyms in target.synonyms.items() for synonym in synonyms}
