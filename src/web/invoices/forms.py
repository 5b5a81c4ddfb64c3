"""Form input, list query, labels and plain-words match explanations of the invoice pages."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _, lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from domain.invoicing.entry import InvoiceEntry, InvoiceLineEntry
from domain.invoicing.models import InvoiceListQuery, InvoiceStatus, LineMatch, MatchStatus, OrderForInvoice
from web.i18n import per_language
from web.numbers import quantity, unit_price as price

MAX_LINES = 500
HEAD_FIELDS = ("number", "invoice_date", "printed_total")
LINE_FIELDS = ("quantity", "unit_price", "tax_rate")
STATUSES = {"matched": _l("Matched"), "exception": _l("Exception"), "accepted": _l("Accepted with reason"),
            "rejected": _l("Rejected")}
MATCHES = {"matched": _l("Matches"), "not_received": _l("Nothing received"), "quantity_over": _l("Quantity"),
           "price_over": _l("Price"), "tax_rate_mismatch": _l("VAT rate")}


def invoice_entry(form: MultiDict[str, str]) -> InvoiceEntry:
    """The invoice form as typed: one row per `line_id`, its fields named `quantity-<id>` and so on."""
    rows = tuple(InvoiceLineEntry(line_id, *(form.get(f"{name}-{line_id}", "") for name in LINE_FIELDS))
                 for line_id in form.getlist("line_id")[:MAX_LINES])
    return InvoiceEntry(form.get("number", ""), form.get("invoice_date", ""), form.get("printed_total", ""), rows,
                        form.get("form_token", "")[:64])


def expected_values(order: OrderForInvoice, values: Mapping[str, str]) -> tuple[dict[str, str], InvoiceEntry]:
    """The form filled in with what the invoice is expected to bill: the accepted quantities not invoiced yet, at the
    order's prices (the clerk then corrects what the paper says differently)."""
    rows = tuple(InvoiceLineEntry(str(line.id), quantity(line.uninvoiced), price(line.unit_price), str(line.tax_rate))
                 for line in order.lines if line.uninvoiced)
    filled = {f"{name}-{row.line_id}": getattr(row, name) for row in rows for name in LINE_FIELDS}
    return dict(values) | filled | {"prefilled": "1"}, InvoiceEntry("", "", "", rows)


def typed_values(form: Mapping[str, str]) -> dict[str, str]:
    """What was typed, to put back into the form (the known fields only)."""
    return {k: str(v) for k, v in form.items() if k in HEAD_FIELDS or k.split("-", 1)[0] in LINE_FIELDS}


def invoice_query(args: Mapping[str, str]) -> InvoiceListQuery:
    """An InvoiceListQuery from request args; unknown or malformed values fall back to defaults."""
    status = args.get("status", "")
    order = args.get("order", "")
    return InvoiceListQuery(
        text=args.get("q", "").strip()[:100],
        status=InvoiceStatus(status) if status in InvoiceStatus.__members__.values() else None,
        ready_to_pay=args.get("ready") == "1", order_id=int(order) if order.isdigit() and len(order) < 12 else None,
        after=args.get("after") or None, before=args.get("before") or None)


@per_language
def labels() -> dict[str, Any]:
    return {"invoice_status_names": {k: str(v) for k, v in STATUSES.items()},
            "match_names": {k: str(v) for k, v in MATCHES.items()}}


def explain(match: LineMatch) -> list[str]:
    """Each problem of a line in words, with what was expected, what was found and the tolerance."""
    d = match.detail
    if match.status is MatchStatus.MATCHED:
        difference = Decimal(d["price_difference"] or 0)
        if difference < 0:
            return [_("price %(price)s is %(percent)s %% below the order's %(order)s", price=price(d["unit_price"]),
                      percent=quantity(-difference), order=price(d["order_price"]))]
        return [_("as ordered and received")]
    return [_EXPLAIN[issue](d) for issue in match.issues]



def _quantity_over(d: dict[str, Any]) -> str:
    return str(_("%(total)s invoiced in all (%(before)s on earlier invoices) but %(accepted)s accepted; the quantity "
             "tolerance of %(tolerance)s %% allows %(limit)s", total=d["invoiced_total"], before=d["invoiced_before"],
             accepted=d["accepted"], tolerance=quantity(d["quantity_tolerance"]), limit=d["quantity_limit"]))


def _not_received(d: dict[str, Any]) -> str:
    return str(_("%(quantity)s invoiced, but nothing of this line has been accepted yet; wait for the goods or reject "
             "the invoice", quantity=d["quantity"]))


def _price_over(d: dict[str, Any]) -> str:
    if d["price_difference"] is None:
        return str(_("price %(price)s on a line ordered free of charge", price=price(d["unit_price"])))
    return str(_("price %(price)s is %(percent)s %% above the order's %(order)s; tolerance %(tolerance)s %%",
             price=price(d["unit_price"]), percent=d["price_difference"], order=price(d["order_price"]),
             tolerance=quantity(d["price_tolerance"])))


def _tax_rate(d: dict[str, Any]) -> str:
    return str(_("VAT %(rate)s %% instead of the order's %(order)s %%", rate=d["tax_rate"], order=d["order_tax_rate"]))


_EXPLAIN = {MatchStatus.QUANTITY_OVER: _quantity_over, MatchStatus.NOT_RECEIVED: _not_received,
            MatchStatus.PRICE_OVER: _price_over, MatchStatus.TAX_RATE: _tax_rate}
