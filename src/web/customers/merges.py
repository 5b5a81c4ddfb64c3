"""Merging duplicate customers: choose the one to absorb, confirm what moves, merge; undo from the survivor's page."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.customers import merging
from domain.customers.errors import CustomerArchived, MergeAlreadyUndone, MergeOutdated
from domain.customers.services import get_customer
from domain.shared.errors import StaleVersion, ValidationFailed
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor, safe_next
from web.htmx import render, see_other
from web.i18n import ERRORS

bp = Blueprint("merges", __name__, url_prefix="/customers")


@bp.get("/<int:customer_id>/merge")
def choose(customer_id: int) -> HttpResponse:
    """Without `absorb`: pick the duplicate; with it: confirm, naming what would move."""
    actor, reader = current_actor(), deps().reader()
    absorb = _id(request.args.get("absorb", ""))
    if absorb is None:
        candidates = merging.merge_candidates(customer_id, actor=actor, uow=reader)
        survivor = get_customer(customer_id, actor=actor, uow=reader).customer
        return render("customers/merge.html", None, survivor=survivor, candidates=candidates, preview=None)
    preview = merging.preview_merge(customer_id, absorb, actor=actor, uow=reader)
    return render("customers/merge.html", None, survivor=preview.survivor, candidates=[], preview=preview)


@bp.post("/<int:customer_id>/merge")
def merge(customer_id: int) -> HttpResponse:
    d, absorb = deps(), _id(request.form.get("absorb", ""))
    try:
        done = merging.merge_customers(customer_id, absorb or 0, version_of(request.form), actor=current_actor(),
                                       uow=d.uow(), clock=d.clock)
    except (ValidationFailed, StaleVersion, CustomerArchived):
        flash(_("Not merged: the customers changed meanwhile or cannot be merged. Choose the duplicate again."),
              "error")
        return see_other(url_for(".choose", customer_id=customer_id))
    flash(_("Merged. “Undo merge” on this page moves everything back while nothing changed."), "success")
    return see_other(url_for("customers.detail", customer_id=done.survivor_id) + "#merges")


@bp.post("/merges/<int:merge_id>/undo")
def undo(merge_id: int) -> HttpResponse:
    d = deps()
    try:
        undone = merging.undo_merge(merge_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except (MergeAlreadyUndone, MergeOutdated) as refused:
        flash(str(ERRORS[refused.code]), "error")
        return see_other(safe_next(request.form.get("next")))
    flash(_("Merge undone: the customer and its records are back."), "success")
    return see_other(url_for("customers.detail", customer_id=undone.absorbed_id))


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
