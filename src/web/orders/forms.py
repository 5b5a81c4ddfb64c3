"""What the order forms send and show: the header, the lines as parallel lists, and stored values as text."""

from collections.abc import Mapping
from typing import Any

from domain.purchasing.models import PurchaseOrder
from domain.purchasing.validation import LINE_FIELDS, LINES_MAX
from web.numbers import quantity

HEADER = ("supplier_id", "title", "delivery_address", "payment_terms", "notes", "contract_id")


def header_of(form: Mapping[str, str]) -> dict[str, str]:
    """Only the known header fields of a submitted form, so nothing else is echoed back."""
    return {name: str(form.get(name, "")) for name in HEADER}


def rows_of(form: Any) -> list[dict[str, str]]:
    """The lines of a submitted form: every line field repeats its name once per row (request.form.getlist)."""
    columns = {name: [str(v) for v in form.getlist(name)[:LINES_MAX + 1]] for name in LINE_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    return [{name: values[i] if i < len(values) else "" for name, values in columns.items()} for i in range(count)]


def header_values(order: PurchaseOrder) -> dict[str, str]:
    return {"supplier_id": str(order.supplier_id), "title": order.title, "delivery_address": order.delivery_address,
            "payment_terms": order.payment_terms, "notes": order.notes,
            "contract_id": str(order.contract_id or "")}


def line_values(order: PurchaseOrder) -> list[dict[str, str]]:
    """The stored lines as the form shows them (quantities and prices without trailing zeros)."""
    return [{"line_id": str(line.id), "requisition_line_id": str(line.requisition_line_id or ""), "item": line.item,
             "specification": line.specification, "quantity": quantity(line.quantity), "unit": line.unit,
             "unit_price": quantity(line.unit_price), "tax_rate": str(line.tax_rate),
             "delivery_on": line.delivery_on.isoformat() if line.delivery_on else "",
             "budget_id": str(line.budget_id or "")} for line in order.lines]


def conflicting(header: Mapping[str, str], rows: list[dict[str, str]], current: PurchaseOrder) -> dict[str, str]:
    """Header fields whose saved value differs from what the form asks for, and "lines" when the lines do."""
    saved = header_values(current)
    differs = {k: v for k, v in saved.items() if header.get(k, "").strip() != v}
    keys = ("item", "quantity", "unit_price", "tax_rate")
    if [[r.get(k, "") for k in keys] for r in rows] != [[r[k] for k in keys] for r in line_values(current)]:
        differs["lines"] = str(len(current.lines))
    return differs
