"""The three-way match of one invoice line: order ↔ receipt ↔ invoice. Pure; every comparison is exact.

- Quantity: what this invoice bills on the line plus what earlier invoices (not rejected) billed must not pass
  the accepted quantity × (1 + quantity tolerance). Nothing accepted yet means nothing may be billed.
- Price: the unit price (before tax) must not pass the order's unit price × (1 + price tolerance). A lower price
  matches (we pay less); the detail records the difference either way.
- VAT rate: equal to the order's.
A value exactly at a limit passes; one thousandth of a unit or one fen beyond fails.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from domain.invoicing.models import InvoiceStatus, LineMatch, MatchStatus
from domain.procurement.tolerances import HUNDRED, Tolerances, limit

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class LineFacts:
    """The order line as the match sees it, with what other invoices already billed."""

    accepted: Decimal
    invoiced_before: Decimal
    order_price: Decimal
    order_tax_rate: int


def match_line(quantity: Decimal, unit_price: Decimal, tax_rate: int, facts: LineFacts,
               tolerances: Tolerances) -> LineMatch:
    """Compare one invoice line with its order line and what was accepted; see the module docstring."""
    invoiced_total = facts.invoiced_before + quantity
    quantity_limit = limit(facts.accepted, tolerances.invoice_quantity)
    price_limit = limit(facts.order_price, tolerances.invoice_price)
    issues = []
    if invoiced_total > quantity_limit:
        issues.append(MatchStatus.NOT_RECEIVED if facts.accepted == 0 else MatchStatus.QUANTITY_OVER)
    if unit_price > price_limit:
        issues.append(MatchStatus.PRICE_OVER)
    if tax_rate != facts.order_tax_rate:
        issues.append(MatchStatus.TAX_RATE)
    detail = {
        "quantity": _plain(quantity), "accepted": _plain(facts.accepted),
        "invoiced_before": _plain(facts.invoiced_before), "invoiced_total": _plain(invoiced_total),
        "quantity_limit": _plain(quantity_limit), "quantity_tolerance": f"{tolerances.invoice_quantity:.2f}",
        "unit_price": _plain(unit_price), "order_price": _plain(facts.order_price),
        "price_limit": _plain(price_limit), "price_tolerance": f"{tolerances.invoice_price:.2f}",
        "price_difference": price_difference(unit_price, facts.order_price),
        "tax_rate": tax_rate, "order_tax_rate": facts.order_tax_rate, "issues": [i.value for i in issues]}
    return LineMatch(issues[0] if issues else MatchStatus.MATCHED, tuple(issues), detail)


def invoice_status(matches: Iterable[LineMatch]) -> InvoiceStatus:
    """Matched (ready to pay) when every line matched; otherwise the invoice waits in the exception queue."""
    return InvoiceStatus.MATCHED if all(m.status is MatchStatus.MATCHED for m in matches) else InvoiceStatus.EXCEPTION


def price_difference(unit_price: Decimal, order_price: Decimal) -> str | None:
    """How far the price is from the order's, in percent to one decimal ("8.0", "-2.5"); None against a free line."""
    if order_price == 0:
        return None
    return str(((unit_price - order_price) * HUNDRED / order_price).quantize(TENTH, ROUND_HALF_UP))


def line_match(status: str, detail: dict[str, Any]) -> LineMatch:
    """A stored match back as a LineMatch."""
    return LineMatch(MatchStatus(status), tuple(MatchStatus(i) for i in detail.get("issues", [])), detail)


def _plain(value: Decimal) -> str:
    """A quantity or price without trailing zeros: 10, 10.8, 0.0035."""
    return f"{value.normalize():f}"
