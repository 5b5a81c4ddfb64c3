"""Lists and their tools, whatever the list: the ListSpec, saved views, canonical view queries, selections.

Pure values: no unit of work here, so the repository ports can import them (see specs.py for export
and bulk actions, which read and write through a unit of work).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar
from urllib.parse import urlencode

from domain.identity.permissions import Permission
from domain.shared.errors import ValidationFailed
from domain.shared.paging import Page

T = TypeVar("T")

VIEW_NAME_MAX_LENGTH = 60
MAX_SELECTION = 500  # one transaction; larger changes are an import's job
COLUMN_PARAM = "col"  # the column chooser's URL parameter, repeated once per column shown


@dataclass(frozen=True)
class ListSpec:
    """A list the tools work on: its key, who may read it, and what a saved view of it keeps."""

    key: str  # "customers": the views' list_key, the export job kind "<key>.export" and file name
    read: Permission  # to see the list, and to save, open and manage views of it
    params: tuple[str, ...]  # URL parameters a view keeps, in URL order (filters, sort, columns; never cursors)
    defaults: Mapping[str, str] = field(default_factory=dict)  # a value meaning "no choice", left out of views
    columns: tuple[str, ...] = ()  # optional columns in display order, when the list has a column chooser
    column_marker: str = ""  # sent with every column choice, so "no optional column" differs from "the default"


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
    list_key: str = ""  # the ListSpec.key of the list it belongs to; views never cross lists


@dataclass(frozen=True)
class Listed(Generic[T]):
    """One keyset page of a list and the saved views of it the actor may use, read in one transaction."""

    page: Page[T]
    views: list[SavedView] = field(default_factory=list)


def view_name(raw: str) -> str:
    """A view's name, trimmed; 1–60 characters."""
    name = " ".join((raw or "").split())
    if not name:
        raise ValidationFailed({"name": "required"})
    if len(name) > VIEW_NAME_MAX_LENGTH:
        raise ValidationFailed({"name": "too_long"})
    return name


def columns_of(spec: ListSpec, values: Sequence[str] | None) -> tuple[str, ...]:
    """The optional columns chosen (in display order); all of them when no choice was sent at all."""
    if not values:
        return spec.columns
    return tuple(c for c in spec.columns if c in values)


def canonical_query(spec: ListSpec, pairs: Iterable[tuple[str, str]]) -> str:
    """The list's filters, sort and columns as a stable query string ("" for the plain list).

    Cursors and unknown keys are dropped, defaults too, and keys come in a fixed order, so two URLs
    showing the same list compare equal: that is how the active view tab is found.
    """
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        if key in spec.params and value.strip():
            values.setdefault(key, []).append(value.strip()[:100])
    for key, default in spec.defaults.items():
        if values.get(key) == [default]:
            del values[key]
    if COLUMN_PARAM in values:
        chosen = columns_of(spec, values[COLUMN_PARAM])
        values[COLUMN_PARAM] = [spec.column_marker, *chosen] if chosen != spec.columns else []
    return urlencode([(k, v) for k in spec.params
                      for v in values.get(k, [])[: None if k == COLUMN_PARAM else 1]])


def active_view(views: Iterable[SavedView], query: str) -> SavedView | None:
    """The first view whose query equals the current list's (canonical) query."""
    return next((v for v in views if v.query == query), None)


UNAVAILABLE = "selection.unavailable"  # the refusal of a selected id that is gone or outside the actor's scope


@dataclass(frozen=True)
class BulkOutcome:
    """How many selected records change (or changed), and how many are left as they are.

    `reasons` says why they are left, as (message code, how many) pairs, most frequent first, for actions
    that name their refusals (BulkAction.refusing); other actions leave it empty.
    """

    changed: int
    not_changed: int
    reasons: tuple[tuple[str, int], ...] = ()


def selected_ids(raw: Iterable[str]) -> tuple[int, ...]:
    """Distinct record ids in the order selected; ValidationFailed for none or more than MAX_SELECTION."""
    ids = tuple(dict.fromkeys(int(v) for v in raw if v.isdigit() and len(v) < 12))
    if not ids:
        raise ValidationFailed({"ids": "selection.empty"})
    if len(ids) > MAX_SELECTION:
        raise ValidationFailed({"ids": "selection.too_many"})
    return ids
