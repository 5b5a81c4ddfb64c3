"""Bulk actions on any registered list: a confirmation that counts what changes, then one transaction."""

from collections.abc import Mapping
from typing import Any

from flask import flash, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.lists.bulk import apply_bulk, preview_bulk
from domain.lists.models import BulkOutcome, selected_ids
from domain.shared.errors import InvalidTransition, StaleVersion, ValidationFailed
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import ERRORS
from web.lists.context import list_tools, state_url
from web.lists.registry import BulkUi, ListPage
from web.templating import fixed_url

CONFIRM = "bulk-confirm"


def bulk(page: ListPage, action: str) -> HttpResponse:
    """Without `confirmed`, ask ("Archive 12 customers?"); with it, apply and show the list again."""
    ui, d, actor, form = _ui(page), deps(), current_actor(), request.form
    button, field = ui.button(action)
    ids, value = form.getlist("ids"), form.get(field, "")[:200] if field else ""
    try:
        if form.get("confirmed") != "1":
            outcome = preview_bulk(ui.spec, action, ids, value, actor=actor, uow=d.reader())
            return _answer(page, {CONFIRM: "lists/_bulk_confirm.html"}, 200, confirm=_confirmation(
                page, action, field, value, outcome, button.question(value, outcome.changed)))
        outcome = apply_bulk(ui.spec, action, ids, value, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _refused(page, 422, _messages(ui, error.errors))
    except (StaleVersion, InvalidTransition):  # a selected record changed between the preview's count and now
        return _refused(page, 409, [_("One of the selected records was changed by someone else meanwhile, so nothing "
                                      "was changed. Look at the list again and repeat the action.")])
    message = ui.done(outcome)
    if hx_target() == page.results_id:
        return _answer(page, {page.results_id: "lists/_bulk_done.html"}, 200, done_message=message)
    flash(message, "success")
    return see_other(state_url(page, form))


def _confirmation(page: ListPage, action: str, field: str, value: str, outcome: BulkOutcome,
                  question: str) -> dict[str, Any]:
    return {"url": fixed_url(f"{page.blueprint}.bulk_{action}"), "field": field, "value": value,
            "ids": selected_ids(request.form.getlist("ids")), "outcome": outcome, "question": question,
            "reasons": [(count, _message(_ui(page), code)) for code, count in outcome.reasons]}


def _answer(page: ListPage, fragments: dict[str, str], status: int, **extra: object) -> HttpResponse:
    """The list page with `extra`, or the fragment htmx asked for (the confirmation alone reads no list)."""
    target = hx_target()
    if target == CONFIRM:
        context = {"tools": list_tools(page, request.form, [], full=False)}
    else:
        context = page.context(request.form, target not in fragments)
    return render(page.template, fragments, status, **(context | extra))


def _refused(page: ListPage, status: int, messages: list[str]) -> HttpResponse:
    """Why nothing changed, where the confirmation shows: also when the confirmation's own form (which swaps the
    results) asked; the list page with the message without JavaScript."""
    target = hx_target()
    if target not in (CONFIRM, page.results_id):
        return render(page.template, None, status, **(page.context(request.form, True) | {"bulk_errors": messages}))
    response = render("lists/_bulk_confirm.html", None, status, bulk_errors=messages,
                      tools=list_tools(page, request.form, [], full=False))
    if target != CONFIRM:
        response.headers["HX-Retarget"], response.headers["HX-Reswap"] = "#" + CONFIRM, "outerHTML"
    return response


def _messages(ui: BulkUi, errors: Mapping[str, str]) -> list[str]:
    return [_message(ui, code) for code in errors.values()]


def _message(ui: BulkUi, code: str) -> str:
    return str(ui.errors.get(code) or ERRORS.get(code, code))


def _ui(page: ListPage) -> BulkUi:
    assert page.bulk is not None  # the routes exist only for lists with bulk actions
    return page.bulk
