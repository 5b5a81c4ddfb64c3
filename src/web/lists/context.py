"""What the list tools' template pieces render, built from a list's arguments (GET query or a POSTed form)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import url_for

from domain.identity.models import Actor
from domain.lists.models import COLUMN_PARAM, SavedView, active_view, canonical_query, columns_of
from web.guard import current_actor
from web.listing import query_string, values_of
from web.lists.registry import BulkInput, ListPage
from web.templating import fixed_url

Choices = Mapping[str, Sequence[tuple[object, str]]]  # by BulkInput.choices: (value, label) pairs


@dataclass(frozen=True)
class BarGroup:
    """One group of the bulk bar as this user sees it: the value input, its choices, the buttons (URL, label)."""

    input: BulkInput | None
    choices: Sequence[tuple[object, str]]
    buttons: list[tuple[str, str]]


@dataclass(frozen=True)
class ListTools:
    """The list tools' state for one rendering of a list page."""

    page: ListPage
    base: str  # the list's URL
    link: str  # the list as filtered now, first page (Cancel)
    views: list[SavedView]
    active_view: SavedView | None
    current_query: str  # canonical: what a view saved now would keep
    state: list[tuple[str, str]]  # hidden fields that let a POST show the same list again
    columns: tuple[str, ...]  # the optional columns shown
    bar: list[BarGroup]  # the bulk bar (full page only)
    selectable: bool  # rows get a selection box: the user may run some bulk action
    can_export: bool
    full: bool = True  # a whole page; False for htmx fragments (their POSTs carry the CSRF token in a header)

    @property
    def form_id(self) -> str:
        """The form in the results that the bulk bar and the export buttons submit."""
        return f"{self.page.name}-bulk"

    @property
    def form_action(self) -> str:
        """Where that form posts when no tool button names another URL: a harmless preview or export start."""
        if self.page.bulk is not None:
            return self.url("bulk_" + self.page.bulk.spec.actions[0].name)
        return self.url("export") if self.page.export is not None else self.base

    def url(self, tool: str) -> str:
        """The URL of one of the list's tools without a view id (save_view, export, bulk_<action>)."""
        return fixed_url(f"{self.page.blueprint}.{tool}")

    def view_url(self, tool: str, view_id: int | None) -> str:
        """The URL of a tool acting on one view (rename_view, delete_view)."""
        return url_for(f"{self.page.blueprint}.{tool}", view_id=view_id)


def list_tools(page: ListPage, args: Mapping[str, str], views: list[SavedView], *, full: bool,
               choices: Choices | None = None) -> ListTools:
    """The tools' state from the list's arguments and the views read with the list; the bar on a full page."""
    actor, spec = current_actor(), page.spec
    current = canonical_query(spec, [(k, v) for k in spec.params for v in values_of(args, k)])
    base = fixed_url(page.endpoint)
    return ListTools(page, base, base + query_string(args, spec.params), views, active_view(views, current), current,
                     [(k, v) for k in page.state_keys for v in values_of(args, k) if v],
                     columns_of(spec, values_of(args, COLUMN_PARAM)), _bar(page, actor, choices or {}) if full else [],
                     page.bulk is not None and any(actor.can(a.permission) for a in page.bulk.spec.actions),
                     page.export is not None and actor.can(page.export.spec.permission), full)


def state_url(page: ListPage, args: Mapping[str, str]) -> str:
    """The list URL showing what `args` (a POSTed list state) showed, cursor included."""
    return fixed_url(page.endpoint) + query_string(args, page.state_keys)


def _bar(page: ListPage, actor: Actor, choices: Choices) -> list[BarGroup]:
    if page.bulk is None:
        return []
    groups = []
    for group in page.bulk.groups:
        buttons = [(fixed_url(f"{page.blueprint}.bulk_{b.action}"), str(b.label)) for b in group.buttons
                   if actor.can(page.bulk.spec.action(b.action).permission)]
        options = choices.get(group.input.choices, []) if group.input else []
        if buttons and (group.input is None or group.input.free_text or options):
            groups.append(BarGroup(group.input, options, buttons))
    return groups
