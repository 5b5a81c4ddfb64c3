"""The one blueprint of the purchase order pages (endpoints `orders.*`); views.py, drafts.py and lifecycle.py add
their routes to it, routes.py gathers them."""

from flask import Blueprint

from web.orders.labels import current_labels

bp = Blueprint("orders", __name__)
BASE = "/purchase-orders"


@bp.context_processor
def _labels() -> dict[str, object]:
    return current_labels()
