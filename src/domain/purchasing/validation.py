"""Field rules for order forms; errors are codes the web layer translates.

Line errors are keyed `line-<index>-<field>` (index from 0, in the order the rows were sent), so the form can
show each message next to its field and keep every row the buyer typed.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from domain.procurement.amounts import InvalidNumber, parse_quantity, parse_tax_rate, parse_unit_price
from domain.purchasing.models import LineInput, OrderHeader
from domain.shared.errors import ValidationFailed

TITLE_MAX, ADDRESS_MAX, TERMS_MAX, NOTES_MAX, REASON_MAX = 200, 300, 200, 4000, 1000
ITEM_MAX, SPECIFICATION_MAX, UNIT_MAX = 200, 500, 20
LINE_FIELDS = ("line_id", "requisition_line_id", "item", "specification", "quantity", "unit", "unit_price",
               "tax_rate", "delivery_on", "budget_id")
LINES_MAX = 200
Errors = dict[str, str]


def order_fields(raw: Mapping[str, str], rows: Sequence[Mapping[str, str]]) -> tuple[OrderHeader, list[LineInput]]:
    """The header and the non-blank lines; raises ValidationFailed naming every bad field of both."""
    errors: Errors = {}
    header = _header(raw, errors)
    lines = _lines(rows, errors)
    if errors:
        raise ValidationFailed(errors)
    return header, lines


def entered_lines(rows: Sequence[Mapping[str, str]]) -> tuple[list[LineInput | None], Errors]:
    """Each row parsed (None where it has errors, or is blank), and the errors: the live totals show what they can."""
    errors: Errors = {}
    parsed = [_line(index, row, errors) if not _blank(row) else None for index, row in enumerate(rows[:LINES_MAX])]
    return parsed, errors


def line_error_key(index: int, field: str) -> str:
    return f"line-{index}-{field}"


def reason(raw: Mapping[str, str], required: bool = True) -> str:
    """A cancellation or closing reason."""
    errors: Errors = {}
    text = _text(raw, "reason", REASON_MAX, errors, required=required)
    if errors:
        raise ValidationFailed(errors)
    return text


def optional_id(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def _header(raw: Mapping[str, str], errors: Errors) -> OrderHeader:
    supplier_id = optional_id(raw.get("supplier_id", ""))
    if supplier_id is None:
        errors["supplier_id"] = "order.supplier_required"
    title = " ".join(raw.get("title", "").split())
    _check_length(title, "title", TITLE_MAX, errors, required=True)
    contract = raw.get("contract_id", "").strip()
    contract_id = optional_id(contract)
    if contract and contract_id is None:
        errors["contract_id"] = "choice.invalid"
    return OrderHeader(supplier_id or 0, title, _text(raw, "delivery_address", ADDRESS_MAX, errors),
                       _text(raw, "payment_terms", TERMS_MAX, errors), _text(raw, "notes", NOTES_MAX, errors),
                       contract_id)


def _lines(rows: Sequence[Mapping[str, str]], errors: Errors) -> list[LineInput]:
    if len(rows) > LINES_MAX:
        errors["lines"] = "order.too_many_lines"
    parsed, line_errors = entered_lines(rows)
    errors.update(line_errors)
    lines = [line for line in parsed if line is not None]
    if not lines and not line_errors:
        errors["lines"] = "order.no_lines"
    return lines


def _line(index: int, row: Mapping[str, str], errors: Errors) -> LineInput | None:
    found: Errors = {}
    item = " ".join(row.get("item", "").split())
    _check_length(item, "item", ITEM_MAX, found, required=True)
    specification = _text(row, "specification", SPECIFICATION_MAX, found)
    unit = _text(row, "unit", UNIT_MAX, found, required=True)
    quantity = _number(row, "quantity", parse_quantity, found)
    unit_price = _number(row, "unit_price", parse_unit_price, found)
    tax_rate = _tax_rate(row, found)
    delivery_on = _day(row, "delivery_on", found)
    errors.update({line_error_key(index, field): code for field, code in found.items()})
    if found:
        return None
    return LineInput(optional_id(row.get("line_id", "")), optional_id(row.get("requisition_line_id", "")), item,
                     specification, quantity, unit, unit_price, tax_rate, delivery_on,
                     optional_id(row.get("budget_id", "")), index)


def _blank(row: Mapping[str, str]) -> bool:
    """A row nobody filled in (the empty row Enter adds): ignored rather than refused."""
    return not any(str(row.get(name, "")).strip() for name in ("line_id", "requisition_line_id", "item",
                                                               "specification", "quantity", "unit_price"))


def _number(row: Mapping[str, str], field: str, parse: Callable[[str], Decimal], errors: Errors) -> Decimal:
    text = row.get(field, "").strip()
    if not text:
        errors[field] = "required"
        return Decimal(0)
    try:
        return parse(text)
    except InvalidNumber as refused:
        errors[field] = refused.code
        return Decimal(0)


def _tax_rate(row: Mapping[str, str], errors: Errors) -> int:
    try:
        return parse_tax_rate(row.get("tax_rate", ""))
    except InvalidNumber as refused:
        errors["tax_rate"] = refused.code
        return 0


def _day(row: Mapping[str, str], field: str, errors: Errors) -> date | None:
    text = row.get(field, "").strip()
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        day = None
        errors[field] = "date.invalid"
    if day is not None and not 2000 <= day.year <= 2100:
        errors[field] = "date.invalid"
    return day


def _text(raw: Mapping[str, str], field: str, limit: int, errors: Errors, required: bool = False) -> str:
    value = raw.get(field, "").strip()
    _check_length(value, field, limit, errors, required)
    return value


def _check_length(value: str, field: str, limit: int, errors: Errors, required: bool) -> None:
    if required and not value:
        errors[field] = "required"
    elif len(value) > limit:
        errors[field] = "too_long"
