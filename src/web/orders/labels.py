"""Labels, list query and display helpers of the purchase order pages (validation lives in the domain)."""

from collections.abc import Mapping
from decimal import Decimal

from flask_babel import lazy_gettext as _l, lazy_pgettext

from domain.procurement.amounts import TAX_RATES
from domain.purchasing.models import OrderListQuery, OrderStatus
from domain.purchasing.validation import optional_id
from web import numbering
from web.i18n import per_language

STATUSES = {"draft": _l("Draft"), "pending_approval": _l("Pending approval"), "rejected": _l("Rejected"),
            "approved": lazy_pgettext("order status", "Approved"), "sent": _l("Sent to the supplier"),
            "partly_received": _l("Partly received"), "received": _l("Received"),
            "closed": lazy_pgettext("order status", "Closed"), "cancelled": _l("Cancelled")}
SUPPLIER_STATUSES = {"pending": _l("Pending qualification"), "qualified": _l("Qualified"),
                     "suspended": _l("Suspended"), "blacklisted": _l("Blacklisted")}
FIELDS = {"number": _l("Order number"), "supplier_id": _l("Supplier"), "title": _l("Title"),
          "delivery_address": _l("Delivery address"), "payment_terms": _l("Payment terms"), "notes": _l("Notes"),
          "contract_id": _l("Framework contract"), "buyer_id": _l("Buyer"), "gross_total": _l("Gross total"),
          "item": _l("Item"), "specification": _l("Specification"), "quantity": _l("Quantity"), "unit": _l("Unit"),
          "unit_price": _l("Unit price before VAT"), "tax_rate": _l("VAT rate"), "delivery_on": _l("Delivery date"),
          "budget_id": _l("Budget line"), "reason": _l("Reason"), "lines": _l("Lines")}
_TABLES = {"order_status_names": STATUSES, "supplier_status_names": SUPPLIER_STATUSES, "order_fields": FIELDS}


@per_language
def current_labels() -> dict[str, object]:
    """The label tables in the request's language (pages of other blueprints, such as the list tools', need them)."""
    tables: dict[str, object] = {name: {k: str(v) for k, v in table.items()} for name, table in _TABLES.items()}
    return tables | {"tax_rates": TAX_RATES}


def order_query(args: Mapping[str, str]) -> OrderListQuery:
    """An OrderListQuery from request args; unknown or malformed values fall back to defaults."""
    status = args.get("status", "")
    return OrderListQuery(
        text=args.get("q", "").strip()[:100],
        status=OrderStatus(status) if status in OrderStatus.__members__.values() else None,
        supplier_id=optional_id(args.get("supplier", "")), buyer_id=optional_id(args.get("buyer", "")),
        after=args.get("after") or None, before=args.get("before") or None, number_prefix=number_prefix())


def number_prefix() -> str:
    """The literal start of the order numbers (PO- of PO-{year}-{seq:05d}): a search starting so means a number."""
    return numbering.number_pattern("purchase_order").text.split("{", 1)[0]




def amount(value: Decimal) -> str:
    return f"{value:,.2f}"
