"""Customer list power tools: tags (标签), the list's spec (saved views, column choice), bulk actions.

The saved views, selections and outcomes are the generic list tools' (domain.lists); they are
re-exported here for the customer code that names them.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.identity.permissions import Permission
from domain.lists import models as lists
from domain.lists.models import MAX_SELECTION, BulkOutcome, ListSpec, SavedView, active_view, selected_ids, view_name
from domain.shared.errors import ValidationFailed

__all__ = ["CUSTOMER_LIST", "MAX_SELECTION", "BulkAction", "BulkOutcome", "SavedView", "Tag", "active_view",
           "canonical_query", "columns_of", "selected_ids", "tag_key", "tag_name", "view_name"]

TAG_MAX_LENGTH = 40
COLUMNS = ("credit_code", "region", "owner", "created", "tags")  # optional list columns; the name always shows
COLUMN_MARKER = "name"  # sent with every column choice, so "no optional column" differs from "the default"
LIST_PARAMS = ("q", "stage", "owner", "tag", "sort", "col")  # what a view saves; cursors never
CUSTOMER_LIST = ListSpec("customers", Permission.CUSTOMER_READ, LIST_PARAMS, {"sort": "-created"}, COLUMNS,
                         COLUMN_MARKER)


@dataclass(frozen=True)
class Tag:
    id: int
    name: str


def tag_name(raw: str) -> str:
    """The tag as stored: full-width folded to half-width (NFKC), trimmed, inner spaces collapsed; 1–40 chars."""
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not name:
        raise ValidationFailed({"tag": "required"})
    if len(name) > TAG_MAX_LENGTH:
        raise ValidationFailed({"tag": "too_long"})
    return name


def tag_key(name: str) -> str:
    """What makes two tag names the same tag: case does not count."""
    return name.casefold()


def columns_of(values: Sequence[str] | None) -> tuple[str, ...]:
    """The optional columns chosen (in display order); all of them when no choice was sent at all."""
    return lists.columns_of(CUSTOMER_LIST, values)


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """The customer list's filters, sort and columns as a stable query string (see lists.canonical_query)."""
    return lists.canonical_query(CUSTOMER_LIST, pairs)


class BulkAction(StrEnum):
    ASSIGN = "assign"
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    STAGE = "stage"
    ARCHIVE = "archive"

    @property
    def permission(self) -> Permission:
        return _BULK_PERMISSIONS[self]


_BULK_PERMISSIONS = {BulkAction.ASSIGN: Permission.CUSTOMER_ASSIGN, BulkAction.ADD_TAG: Permission.CUSTOMER_UPDATE,
                     BulkAction.REMOVE_TAG: Permission.CUSTOMER_UPDATE, BulkAction.STAGE: Permission.CUSTOMER_UPDATE,
                     BulkAction.ARCHIVE: Permission.CUSTOMER_ARCHIVE}
