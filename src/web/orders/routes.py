"""The purchase order blueprint with every route registered on it (imported by the app factory)."""

from web.orders import drafts, lifecycle, views
from web.orders.blueprint import bp

__all__ = ["bp", "drafts", "lifecycle", "views"]
