"""The requisition form's values (header and parallel line lists), the list query, and the labels."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from domain.procurement.amounts import plain
from domain.requisitions.drafting import RequisitionPreview
from domain.requisitions.models import Requisition, RequisitionListQuery, RequisitionStatus
from domain.requisitions.validation import LINE_FIELDS, LINES_MAX, LineInput, RequisitionInput
from domain.shared.numbering import NumberPattern
from web import numbering
from web.contracts.forms import money
from web.i18n import ERRORS, per_language

HEADER = ("title", "purpose", "budget_id", "needed_by")
STATUSES = {"draft": _l("Draft"), "submitted": _l("Waiting for approval"), "approved": _l("Approved"),
            "rejected": _l("Rejected"), "partly_ordered": _l("Partly ordered"), "ordered": _l("Ordered"),
            "closed": _l("Closed")}
FIELD_NAMES = {"number": _l("Requisition number"), "title": _l("Title"), "purpose": _l("Purpose"),
               "budget_id": _l("Budget line"), "needed_by": _l("Needed by"), "department": _l("Department"),
               "requester": _l("Requested by"), "estimated_total": _l("Estimated total (tax included)"),
               "item": _l("Item"), "specification": _l("Specification"), "quantity": _l("Quantity"),
               "unit": _l("Unit"), "unit_price": _l("Estimated unit price (tax included)"), "amount": _l("Amount"),
               "ordered_quantity": _l("Ordered"), "reason": _l("Reason")}
Row = dict[str, str]
# The form names of the line columns: the line's needed-by date must not share the header's name.
COLUMNS = {name: name for name in LINE_FIELDS} | {"needed_by": "line_needed_by"}


def number_pattern() -> NumberPattern:
    return numbering.number_pattern("requisition")


def requisition_input(form: MultiDict[str, str]) -> RequisitionInput:
    """The form as typed: the header fields, and one LineInput per table row (fields repeat per row)."""
    return input_of(header_values(form), rows_of(form))


def input_of(header: Mapping[str, str], rows: list[Row]) -> RequisitionInput:
    title, purpose, budget_id, needed_by = (header.get(name, "") for name in HEADER)
    return RequisitionInput(title, purpose, budget_id, needed_by, tuple(LineInput(**row) for row in rows))


def rows_of(form: MultiDict[str, str]) -> list[Row]:
    """The table rows as typed, in order; the columns are parallel lists of the same length."""
    columns = {name: form.getlist(COLUMNS[name])[:LINES_MAX + 1] for name in LINE_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    return [{name: (values[i] if i < len(values) else "") for name, values in columns.items()} for i in range(count)]


def header_values(form: Mapping[str, str]) -> Row:
    """Only the known header fields of a submitted form, so nothing else is echoed back."""
    return {name: str(form.get(name, "")) for name in HEADER}


def stored_values(requisition: Requisition) -> tuple[Row, list[Row]]:
    """A requisition's stored header and lines as form strings."""
    header = {"title": requisition.title, "purpose": requisition.purpose,
              "budget_id": str(requisition.budget_id or ""),
              "needed_by": requisition.needed_by.isoformat() if requisition.needed_by else ""}
    rows = [{"item": line.item, "specification": line.specification, "quantity": plain(line.quantity),
             "unit": line.unit, "unit_price": plain(line.estimated_unit_price),
             "needed_by": line.needed_by.isoformat() if line.needed_by else ""} for line in requisition.lines]
    return header, rows


def edited_rows(rows: list[Row], op: str) -> list[Row] | None:
    """The rows after the "add" or "remove:<n>" button of the form without JavaScript; None for saving."""
    action, _, raw = op.partition(":")
    if action == "add" and len(rows) < LINES_MAX:
        return [*rows, dict.fromkeys(LINE_FIELDS, "")]
    if action == "remove" and raw.isdigit() and 1 <= int(raw) <= len(rows):
        rest = rows[:int(raw) - 1] + rows[int(raw):]
        return rest or [dict.fromkeys(LINE_FIELDS, "")]
    return None if action not in ("add", "remove") else rows


def blank_rows(rows: list[Row]) -> list[Row]:
    """At least one row to type into."""
    return rows or [dict.fromkeys(LINE_FIELDS, "")]


def row_results(preview: RequisitionPreview, *, live: bool) -> list[tuple[str, dict[str, str]]]:
    """Per row: its amount as shown, and its cells' messages by the cells' form names. Live (while typing) leaves
    out "fill in this field", which the row's author has simply not reached yet; a submit names every missing cell."""
    return [("" if row.amount is None else money(row.amount),
             {COLUMNS[name]: str(ERRORS.get(code, code)) for name, code in row.errors.items()
              if not (live and code == "required")}) for row in preview.rows]


def requisition_query(args: Mapping[str, str], user_id: int) -> RequisitionListQuery:
    """A RequisitionListQuery from request args; unknown or malformed values fall back to defaults."""
    status = args.get("status", "")
    return RequisitionListQuery(
        text=args.get("q", "").strip()[:100],
        status=RequisitionStatus(status) if status in RequisitionStatus.__members__.values() else None,
        department_id=_id(args.get("department", "")), requester_id=user_id if args.get("mine") == "1" else None,
        after=args.get("after") or None, before=args.get("before") or None)


@per_language
def labels() -> dict[str, Any]:
    """Translated labels for the requisition templates."""
    return {"requisition_statuses": {k: str(v) for k, v in STATUSES.items()},
            "requisition_fields": {k: str(v) for k, v in FIELD_NAMES.items()}}



def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
