"""The list tools a list page plugs into: saved views, export, bulk actions (what a list registers).

Recipe: plugging a list in (the customer and contract lists are the worked examples)
-------------------------------------------------------------------------------------
(Bulk actions that reuse a single-record service: the procurement lists, e.g. domain/purchasing/bulk.py and
web/orders/list_page.py.)
1. Domain (`domain/<context>/lists.py`): a `ListSpec(key, read permission, params a view keeps, defaults,
   optional columns)`. Export: an `ExportSpec(list_spec, entity, permission, columns, filters_of, read)`;
   `filters_of(query)` gives the list query's filters as JSON (payload and audit), `read(BatchRequest, uow)`
   one keyset batch (`ExportBatch(rows, next_cursor)`) of the list in the actor's scope, raw cells in
   column order: the mechanism masks columns marked `sensitive=` and makes every cell formula-safe.
   Bulk actions: a `BulkSpec(list_spec, load, actions)`; `load(ids, actor, uow)` gives the selected
   records in scope the actions may touch, and each `BulkAction(name, permission, pending, applier)` says
   which records it would change (checking the value) and changes one record (an AuditEvent, or None
   when it was left as it was). An action that reuses the single-record service is
   `BulkAction.refusing(name, permission, refused_by(rule), audited_by(step))`: the rule raises what the
   service raises (InvalidTransition: counted per message code in the confirmation), the step saves and
   audits one record inside the bulk transaction.
2. Read the views in the list's own read transaction: `visible_views(SPEC, actor, uow)` inside the list
   service's `with uow:` block (one prebuilt query; `Listed(page, views)` carries both), or
   `list_views(SPEC, ...)` as a transaction of its own.
3. Web: a `ListPage` below (name for element ids, the list's URL and endpoint, page and results templates,
   `context(args, full)` = everything the page renders from its arguments, `query(args)` = the list's
   query from the same arguments, `ExportUi` / `BulkUi` when it has them). Its context includes
   `tools = list_tools(PAGE, args, views, full=..., choices={BulkInput.choices: [(value, label)]})`
   (web/lists/context.py). Register the page in `_list_tools` of web/app.py and the ExportSpec in
   `EXPORTS` of bootstrap.py (that registers its job handler).
4. Routes (blueprint "<key>_list" below the list's URL, from one implementation in web/lists/routes.py):
   POST /views, GET /views/manage (the save, rename and delete forms, loaded when opened), GET /views/<view_id>,
   POST /views/<view_id>/rename, POST /views/<view_id>/delete (the list's read permission; views of other
   users or lists are 404); POST /export (its permission plus
   step-up); POST /bulk/<action-name> per action (the action's permission). Add each to ACCESS in
   tests/integration/test_route_matrix.py.
5. Templates: in the results partial (what the active search swaps) include "lists/_views.html" (tabs,
   and the save, rename and delete forms loaded when opened) and put the table in
   `<form id="{{ tools.form_id }}" method="post" action="{{ tools.form_action }}">` holding
   "lists/_form_fields.html" (CSRF and the list's state, so the tools act on the list as filtered now;
   without bulk actions an empty form before the table will do).
   With bulk actions: `data-selectable-rows` on the table, "lists/_select_head.html" as the first header
   cell when `tools.selectable`, and per row `<td class="select"><input type="checkbox" name="ids"
   value="ID" id="select-ID" data-row-select aria-labelledby="select-word name-ID"></td>` plus `tabindex="-1"
   data-row` on the <tr> (the row's label has id name-ID; written out, not a per-row macro: list pages are
   benchmarked). Outside the results include "lists/_actions.html" (bulk bar, counted confirmation, export
   buttons and progress) and, with optional columns, "lists/_columns.html" in the filter form. The keys
   j/k/x and shift-click (static/js/app.js) then work on the list.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from domain.lists.models import BulkOutcome, ListSpec
from domain.lists.specs import BulkSpec, ExportSpec

CURSOR_KEYS = ("after", "before")
SAVE_LABEL = _l("Save the current filters as")


@dataclass(frozen=True)
class ExportUi:
    """The export's words in the user's language: a heading per column, and the value label tables."""

    spec: ExportSpec
    header: Mapping[str, LazyString]  # by ExportSpec column key
    values: Callable[[], dict[str, dict[str, str]]]  # label tables the rows use, translated now


@dataclass(frozen=True)
class BulkInput:
    """The value a group of bulk buttons sets: a select of choices, or free text with suggestions."""

    field: str  # the form field ("new_owner")
    label: LazyString
    choices: str  # key of its (value, label) choices in the page's `bulk_choices`
    free_text: bool = False
    maxlength: int = 200


@dataclass(frozen=True)
class BulkButton:
    action: str  # a BulkAction name
    label: LazyString
    question: Callable[[str, int], str]  # (value, how many change) → "Archive 12 customers?"


@dataclass(frozen=True)
class BulkGroup:
    buttons: tuple[BulkButton, ...]
    input: BulkInput | None = None


@dataclass(frozen=True)
class BulkUi:
    """The bulk bar of a list: its groups and the list's own words for selections and outcomes."""

    spec: BulkSpec[Any]
    groups: tuple[BulkGroup, ...]
    legend: LazyString  # "Selected customers"
    select_all: LazyString  # "Select all customers on this page"
    unchanged: Callable[[int], str]  # "3 selected customers stay as they are: …" (in the confirmation)
    nothing: LazyString  # "Nothing to change: choose other customers or another action."
    done: Callable[[BulkOutcome], str]  # "12 customers changed. …"
    errors: Mapping[str, LazyString] = field(default_factory=dict)  # the list's wording of error codes

    def button(self, action: str) -> tuple[BulkButton, str]:
        """The button of an action and the form field of the value it sets ("" for none)."""
        for group in self.groups:
            for button in group.buttons:
                if button.action == action:
                    return button, group.input.field if group.input else ""
        raise KeyError(action)


@dataclass(frozen=True)
class ListPage:
    """A list page and what it plugs into the list tools."""

    spec: ListSpec
    name: str  # element ids: <name>-results, <name>-bulk (the list's form), <name>-export, <name>-views and -view-forms
    url: str  # the list's URL below the application root ("/customers"); its tools live below it
    endpoint: str  # the list page's endpoint ("customers.index")
    template: str  # the page ("customers/index.html")
    results: str  # the results partial the active search swaps ("customers/_results.html")
    context: Callable[[Mapping[str, str], bool], dict[str, Any]]  # (list args, full page?) → what it renders
    query: Callable[[Mapping[str, str]], object]  # list args → the list's query (the export's filters)
    column_labels: Mapping[str, LazyString] = field(default_factory=dict)  # of spec.columns
    save_label: LazyString = SAVE_LABEL  # the save-view field's label: say what a view of this list keeps
    export: ExportUi | None = None
    bulk: BulkUi | None = None

    @property
    def blueprint(self) -> str:
        return f"{self.spec.key}_list"

    @property
    def results_id(self) -> str:
        return f"{self.name}-results"

    @property
    def export_id(self) -> str:
        return f"{self.name}-export"

    @property
    def view_forms_id(self) -> str:
        return f"{self.name}-view-forms"

    @property
    def state_keys(self) -> tuple[str, ...]:
        """What a POST from the list carries, to show the same list again (cursor included)."""
        return self.spec.params + CURSOR_KEYS
