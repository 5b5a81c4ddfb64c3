"""The one blueprint of the purchase order pages (endpoints `orders.*`); views.py, drafts.py and lifecycle.py add
their routes to it, routes.py gathers them."""

from flask import Blueprint
from flask_babel import get_locale

from web.orders.labels import label_tables

bp = Blueprint("orders", __name__)
BASE = "/purchase-orders"


@bp.context_processor
def _labels() -> dict[str, object]:
    return label_tables("zh_CN" if str(get_locale()).startswith("zh") else "en")
