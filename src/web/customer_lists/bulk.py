"""Bulk actions on the customer list: a confirmation naming how many change, then one transaction."""

from flask import Blueprint, flash, request, url_for
from flask_babel import ngettext
from werkzeug.wrappers import Response as HttpResponse

from domain.customers import bulk, services
from domain.customers.list_models import BulkAction, BulkOutcome, selected_ids
from domain.shared.errors import ValidationFailed
from web.customer_lists.context import list_context, state_url
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import STAGES, error_messages

bp = Blueprint("customer_bulk", __name__, url_prefix="/customers/bulk")
VALUE_FIELD = {BulkAction.ASSIGN: "new_owner", BulkAction.ADD_TAG: "tag_name", BulkAction.REMOVE_TAG: "tag_name",
               BulkAction.STAGE: "new_stage", BulkAction.ARCHIVE: ""}


@bp.post("/assign")
def assign() -> HttpResponse:
    return _bulk(BulkAction.ASSIGN)


@bp.post("/add-tag")
def add_tag() -> HttpResponse:
    return _bulk(BulkAction.ADD_TAG)


@bp.post("/remove-tag")
def remove_tag() -> HttpResponse:
    return _bulk(BulkAction.REMOVE_TAG)


@bp.post("/stage")
def stage() -> HttpResponse:
    return _bulk(BulkAction.STAGE)


@bp.post("/archive")
def archive() -> HttpResponse:
    return _bulk(BulkAction.ARCHIVE)


def _bulk(action: BulkAction) -> HttpResponse:
    d, actor, form = deps(), current_actor(), request.form
    ids, value = form.getlist("ids"), form.get(VALUE_FIELD[action], "")[:200]
    try:
        if form.get("confirmed") != "1":
            outcome = bulk.preview_bulk(action, ids, value, actor=actor, uow=d.reader())
            return _confirmation(action, value, outcome)
        outcome = bulk.apply_bulk(action, ids, value, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _page({"bulk-confirm": "customer_lists/_bulk_confirm.html"}, 422,
                     bulk_errors=list(error_messages(error.errors).values()))
    message = _done(outcome)
    if hx_target() == "customer-results":
        return _page({"customer-results": "customer_lists/_bulk_done.html"}, 200, done_message=message)
    flash(message, "success")
    return see_other(state_url(form))


def _confirmation(action: BulkAction, value: str, outcome: BulkOutcome) -> HttpResponse:
    confirm = {"url": url_for("." + _ENDPOINTS[action]), "field": VALUE_FIELD[action], "value": value,
               "ids": selected_ids(request.form.getlist("ids")), "outcome": outcome,
               "question": _question(action, value, outcome.changed)}
    return _page({"bulk-confirm": "customer_lists/_bulk_confirm.html"}, 200, confirm=confirm)


def _page(fragments: dict[str, str], status: int, **context: object) -> HttpResponse:
    full = hx_target() not in fragments
    return render("customers/index.html", fragments, status, **(list_context(request.form, full=full) | context))


def _question(action: BulkAction, value: str, count: int) -> str:
    question: str
    if action is BulkAction.ASSIGN:
        owners = dict(services.assignable_owners(actor=current_actor(), uow=deps().reader()))
        owner = owners.get(int(value) if value.isdigit() else 0, "")
        question = ngettext("Assign %(num)d customer to %(owner)s?", "Assign %(num)d customers to %(owner)s?", count,
                            owner=owner)
    elif action is BulkAction.ADD_TAG:
        question = ngettext("Add the tag “%(tag)s” to %(num)d customer?",
                            "Add the tag “%(tag)s” to %(num)d customers?", count, tag=value.strip())
    elif action is BulkAction.REMOVE_TAG:
        question = ngettext("Remove the tag “%(tag)s” from %(num)d customer?",
                            "Remove the tag “%(tag)s” from %(num)d customers?", count, tag=value.strip())
    elif action is BulkAction.STAGE:
        question = ngettext("Move %(num)d customer to the stage “%(stage)s”?",
                            "Move %(num)d customers to the stage “%(stage)s”?", count, stage=STAGES.get(value, value))
    else:
        question = ngettext("Archive %(num)d customer?", "Archive %(num)d customers?", count)
    return question


def _done(outcome: BulkOutcome) -> str:
    changed: str = ngettext("%(num)d customer changed.", "%(num)d customers changed.", outcome.changed)
    if not outcome.not_changed:
        return changed
    left: str = ngettext("%(num)d selected customer was left as it was.",
                         "%(num)d selected customers were left as they were.", outcome.not_changed)
    return f"{changed} {left}"


_ENDPOINTS = {BulkAction.ASSIGN: "assign", BulkAction.ADD_TAG: "add_tag", BulkAction.REMOVE_TAG: "remove_tag",
              BulkAction.STAGE: "stage", BulkAction.ARCHIVE: "archive"}
