"""Field rules of the requisition form: the header and every cell of the line table.

Errors are message codes keyed by field: `title`, `budget_id`, … for the header, `lines` for the table as a
whole, and `lines-<n>-<field>` for one cell (n counts the submitted rows from 1, blank rows included, so a
message lands on the row the person sees). Rows left entirely blank are ignored.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from domain.budgets.models import Budget
from domain.procurement.amounts import InvalidNumber, estimated_amount, parse_quantity, parse_unit_price
from domain.requisitions.models import RequisitionDraft, RequisitionLine
from domain.shared.errors import ValidationFailed
from domain.shared.fields import check_length, parse_date
from domain.shared.money import MAX_AMOUNT

TITLE_MAX, PURPOSE_MAX, ITEM_MAX, SPEC_MAX, UNIT_MAX = 200, 2000, 200, 500, 20
LINES_MAX = 200
LINE_FIELDS = ("item", "specification", "quantity", "unit", "unit_price", "needed_by")
Errors = dict[str, str]


@dataclass(frozen=True)
class LineInput:
    """One row of the line table as typed (strings)."""

    item: str = ""
    specification: str = ""
    quantity: str = ""
    unit: str = ""
    unit_price: str = ""
    needed_by: str = ""

    @property
    def blank(self) -> bool:
        return not any(getattr(self, name).strip() for name in LINE_FIELDS)


@dataclass(frozen=True)
class RequisitionInput:
    """The requisition form as typed (strings), rows in the order shown."""

    title: str = ""
    purpose: str = ""
    budget_id: str = ""
    needed_by: str = ""
    lines: tuple[LineInput, ...] = ()


@dataclass(frozen=True)
class LineCheck:
    """What one row amounts to: its amount when quantity and price are good, and its cells' error codes."""

    amount: Decimal | None
    errors: Errors = field(default_factory=dict)
    line: RequisitionLine | None = None  # when every cell of the row is good


@dataclass(frozen=True)
class LinesCheck:
    rows: tuple[LineCheck, ...]  # one per submitted row, blank ones included
    lines: tuple[RequisitionLine, ...]  # the valid, non-blank rows as lines, positions from 1
    total: Decimal  # the sum of the amounts that could be computed

    @property
    def errors(self) -> Errors:
        return {f"lines-{n}-{name}": code for n, row in enumerate(self.rows, 1) for name, code in row.errors.items()}


def check_lines(rows: Sequence[LineInput], today: date) -> LinesCheck:
    """Every row checked cell by cell; amounts only through domain.procurement.amounts (half-up per line)."""
    checks = [_check_row(row, today) for row in rows[:LINES_MAX]]
    good = [check.line for check in checks if check.line is not None]
    lines = tuple(replace(line, position=position) for position, line in enumerate(good, 1))
    total = sum((check.amount for check in checks if check.amount is not None), Decimal("0.00"))
    return LinesCheck(tuple(checks), lines, total)


def requisition_draft(data: RequisitionInput, today: date, budgets: Sequence[Budget]) -> RequisitionDraft:
    """The validated requisition; raises ValidationFailed naming every bad field and cell.

    `budgets` are the lines the department may charge (its active budgets covering today): one of them is
    required when there are any."""
    errors: Errors = {}
    title = " ".join(data.title.split())
    check_length(title, "title", TITLE_MAX, errors, required=True)
    purpose = data.purpose.strip()
    check_length(purpose, "purpose", PURPOSE_MAX, errors, required=True)
    needed_by = _date(data.needed_by, "needed_by", today, errors, required=True)
    budget_id = _budget(data.budget_id, budgets, errors)
    checked = check_lines(data.lines, today)
    errors |= checked.errors
    _check_table(data.lines, checked, errors)
    if errors:
        raise ValidationFailed(errors)
    return RequisitionDraft(title, purpose, budget_id, needed_by, checked.lines)


def _check_table(rows: Sequence[LineInput], checked: LinesCheck, errors: Errors) -> None:
    if len(rows) > LINES_MAX:
        errors["lines"] = "requisition.too_many_lines"
    elif not any(not row.blank for row in rows):
        errors["lines"] = "requisition.no_lines"
    elif checked.total > MAX_AMOUNT:
        errors["lines"] = "amount.too_large"


def _check_row(row: LineInput, today: date) -> LineCheck:
    if row.blank:
        return LineCheck(None)
    errors: Errors = {}
    item, specification, unit = " ".join(row.item.split()), row.specification.strip(), row.unit.strip()
    check_length(item, "item", ITEM_MAX, errors, required=True)
    check_length(specification, "specification", SPEC_MAX, errors, required=False)
    check_length(unit, "unit", UNIT_MAX, errors, required=True)
    needed_by = _date(row.needed_by, "needed_by", today, errors, required=False)
    quantity = _number(row.quantity, "quantity", parse_quantity, errors)
    price = _number(row.unit_price, "unit_price", _estimated_price, errors)
    if quantity is None or price is None:
        return LineCheck(None, errors)
    try:
        amount = estimated_amount(quantity, price)
    except InvalidNumber as refused:
        return LineCheck(None, errors | {"unit_price": refused.code})
    line = RequisitionLine(None, 0, item, specification, quantity, unit, price, amount, needed_by)
    return LineCheck(amount, errors, None if errors else line)


def _estimated_price(text: str) -> Decimal:
    return parse_unit_price(text, allow_zero=False)  # an estimate of nothing would commit no budget


def _number(text: str, name: str, parse: Callable[[str], Decimal], errors: Errors) -> Decimal | None:
    if not text.strip():
        errors[name] = "required"
        return None
    try:
        value = parse(text)
    except InvalidNumber as refused:
        errors[name] = refused.code
        return None
    return value


def _budget(raw: str, budgets: Sequence[Budget], errors: Errors) -> int | None:
    value = raw.strip()
    if not value:
        if budgets:
            errors["budget_id"] = "requisition.budget_required"
        return None
    chosen = int(value) if value.isdigit() and len(value) < 12 else None
    if chosen is None or chosen not in {budget.id for budget in budgets}:
        errors["budget_id"] = "requisition.budget_unavailable"
        return None
    return chosen


def _date(raw: str, name: str, today: date, errors: Errors, *, required: bool) -> date | None:
    parsed = parse_date(raw, name, errors, required=required)
    if parsed is not None and parsed < today:
        errors[name] = "requisition.needed_by_past"
    return parsed
