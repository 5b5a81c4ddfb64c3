"""Customer list power tools: tags (标签), saved views, column choice, bulk selections."""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlencode

from domain.identity.permissions import Permission
from domain.shared.errors import ValidationFailed

TAG_MAX_LENGTH = 40
VIEW_NAME_MAX_LENGTH = 60
MAX_SELECTION = 500  # one transaction; larger changes are an import's job
COLUMNS = ("credit_code", "region", "owner", "created", "tags")  # optional list columns; the name always shows
COLUMN_MARKER = "name"  # sent with every column choice, so "no optional column" differs from "the default"
LIST_PARAMS = ("q", "stage", "owner", "tag", "sort", "col")  # what a view saves; cursors never


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


@dataclass(frozen=True)
class SavedView:
    """A named list query (filters, sort, columns); shared when `shared_department_id` is set."""

    id: int | None
    owner_id: int
    name: str
    query: str
    shared_department_id: int | None
    created_at: datetime
    owner_name: str = ""


def view_name(raw: str) -> str:
    """A view's name, trimmed; 1–60 characters."""
    name = " ".join((raw or "").split())
    if not name:
        raise ValidationFailed({"name": "required"})
    if len(name) > VIEW_NAME_MAX_LENGTH:
        raise ValidationFailed({"name": "too_long"})
    return name


def columns_of(values: Sequence[str] | None) -> tuple[str, ...]:
    """The optional columns chosen (in display order); all of them when no choice was sent at all."""
    if not values:
        return COLUMNS
    return tuple(c for c in COLUMNS if c in values)


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """The list's filters, sort and columns as a stable query string ("" for the plain list).

    Cursors and unknown keys are dropped and keys come in a fixed order, so two URLs showing the same
    list compare equal: that is how the active view tab is found.
    """
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        if key in LIST_PARAMS and value.strip():
            values.setdefault(key, []).append(value.strip()[:100])
    if values.get("sort") == ["-created"]:
        del values["sort"]
    if "col" in values:
        chosen = columns_of(values["col"])
        values["col"] = [COLUMN_MARKER, *chosen] if chosen != COLUMNS else []
    return urlencode([(k, v) for k in LIST_PARAMS for v in values.get(k, [])[: 1 if k != "col" else None]])


def active_view(views: Iterable[SavedView], query: str) -> SavedView | None:
    """The first view whose query equals the current list's (canonical) query."""
    return next((v for v in views if v.query == query), None)


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


@dataclass(frozen=True)
class BulkChange:
    """One bulk action on the selected customers; `value` is the owner id, tag name or stage it sets."""

    action: BulkAction
    ids: tuple[int, ...]
    value: str = ""


@dataclass(frozen=True)
class BulkOutcome:
    """How many selected customers change (or changed), and how many are left as they are."""

    changed: int
    not_changed: int


def selected_ids(raw: Iterable[str]) -> tuple[int, ...]:
    """Distinct customer ids in the order selected; ValidationFailed for none or more than MAX_SELECTION."""
    ids = tuple(dict.fromkeys(int(v) for v in raw if v.isdigit() and len(v) < 12))
    if not ids:
        raise ValidationFailed({"ids": "selection.empty"})
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed({"ids": "selection.too_many"})
    return ids
