"""One blueprint of list tools per registered list, all served by the same views (web/lists/views.py, bulk.py)."""

from collections.abc import Callable
from functools import partial, update_wrapper
from typing import Any

from flask import Blueprint

from web.lists import bulk, views
from web.lists.registry import ListPage


def list_blueprint(page: ListPage) -> Blueprint:
    """Blueprint "<key>_list" below the list's URL: saved views (and their forms, loaded when opened), export (if
    any), one route per bulk action."""
    bp = Blueprint(page.blueprint, __name__, url_prefix=page.url)
    bp.add_url_rule("/views", "save_view", _bound(views.save_view, page), methods=["POST"])
    bp.add_url_rule("/views/manage", "manage_views", _bound(views.manage_views, page), methods=["GET"])
    bp.add_url_rule("/views/<int:view_id>", "open_view", _bound(views.open_view, page), methods=["GET"])
    bp.add_url_rule("/views/<int:view_id>/rename", "rename_view", _bound(views.rename_view, page), methods=["POST"])
    bp.add_url_rule("/views/<int:view_id>/delete", "delete_view", _bound(views.delete_view, page), methods=["POST"])
    if page.export is not None:
        bp.add_url_rule("/export", "export", _bound(views.export, page), methods=["POST"])
    for action in page.bulk.spec.actions if page.bulk else ():
        bp.add_url_rule("/bulk/" + action.name.replace("_", "-"), "bulk_" + action.name,
                        _bound(bulk.bulk, page, action.name), methods=["POST"])
    return bp


def _bound(view: Callable[..., Any], *args: Any) -> Callable[..., Any]:
    """`view` with its first arguments given, still named like `view` (Flask-WTF and the guard read the name)."""
    return update_wrapper(partial(view, *args), view)
