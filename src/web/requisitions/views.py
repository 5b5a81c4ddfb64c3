"""Requisitions: list with search and filters, raise one, edit a draft (optimistic locking), live totals, detail."""

import secrets

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.engine import approval_trail
from domain.requisitions import drafting, services
from domain.requisitions.errors import NoDepartment
from domain.shared.errors import Conflict, InvalidTransition, StaleVersion, ValidationFailed
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import ERRORS
from web.requisitions import forms
from web.requisitions.form_page import conflict_page, form_page, no_department_page, stored_form
from web.requisitions.list_page import requisition_context

bp = Blueprint("requisitions", __name__, url_prefix="/requisitions")
RESULTS = {"requisition-results": "requisitions/_results.html"}


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return forms.labels()


@bp.get("")
def index() -> HttpResponse:
    return render("requisitions/index.html", RESULTS, **requisition_context(request.args, hx_target() is None))


@bp.get("/new")
def new() -> HttpResponse:
    d = deps()
    try:
        context = services.form_context(None, actor=current_actor(), uow=d.reader(), clock=d.clock)
    except NoDepartment:
        return no_department_page(200)
    return form_page("requisitions/new.html", 200, context, header={}, rows=[], form_token=secrets.token_urlsafe(24))


@bp.post("")
def create() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    try:
        context = services.form_context(None, actor=actor, uow=d.reader(), clock=d.clock)
    except NoDepartment:
        return no_department_page(422)
    edited = forms.edited_rows(forms.rows_of(request.form), request.form.get("op", ""))
    if edited is not None:
        return form_page("requisitions/new.html", 200, context, rows=edited, form_token=token)
    try:
        requisition = drafting.create_requisition(forms.requisition_input(request.form), actor=actor, uow=d.uow(),
                                                  clock=d.clock, pattern=forms.number_pattern(), form_token=token)
    except ValidationFailed as error:
        return form_page("requisitions/new.html", 422, context, errors=error.errors, form_token=token)
    except Conflict:  # the same form, submitted twice at once: the other request made the draft
        twin = drafting.requisition_by_form_token(token, actor=actor, uow=d.reader())
        if twin is None:
            raise
        requisition = twin
    flash(_("Requisition %(number)s drafted. Check it, then submit it for approval.", number=requisition.number),
          "success")
    return see_other(url_for(".detail", requisition_id=requisition.id))


@bp.get("/<int:requisition_id>")
def detail(requisition_id: int) -> HttpResponse:
    actor, d = current_actor(), deps()
    found = services.get_requisition(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
    trail = approval_trail("requisition", requisition_id, actor=actor, uow=d.reader())  # after the read check
    return render("requisitions/detail.html", None, detail=found, requisition=found.requisition,
                  approval_trail=trail)


@bp.get("/<int:requisition_id>/edit")
def edit(requisition_id: int) -> HttpResponse:
    try:
        return stored_form(requisition_id, 200)
    except InvalidTransition as refused:
        flash(str(ERRORS[refused.code]), "error")
        return see_other(url_for(".detail", requisition_id=requisition_id))


@bp.post("/<int:requisition_id>")
def update(requisition_id: int) -> HttpResponse:
    d, actor, version = deps(), current_actor(), version_of(request.form)
    try:
        context = services.form_context(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
    except InvalidTransition as error:
        return conflict_page(requisition_id, error)
    edited = forms.edited_rows(forms.rows_of(request.form), request.form.get("op", ""))
    if edited is not None:
        return form_page("requisitions/edit.html", 200, context, rows=edited, version=version,
                         requisition_id=requisition_id)
    try:
        drafting.update_requisition(requisition_id, forms.requisition_input(request.form), version, actor=actor,
                                    uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return form_page("requisitions/edit.html", 422, context, errors=error.errors, version=version,
                         requisition_id=requisition_id)
    except (StaleVersion, InvalidTransition) as error:
        return conflict_page(requisition_id, error)
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", requisition_id=requisition_id))


@bp.post("/totals")
@bp.post("/<int:requisition_id>/totals")
def totals(requisition_id: int | None = None) -> HttpResponse:
    """The live totals region (htmx, on every change of the line table or the budget line): never saves."""
    d = deps()
    preview = drafting.preview_requisition(forms.requisition_input(request.form), requisition_id,
                                           actor=current_actor(), uow=d.reader(), clock=d.clock)
    return render("requisitions/_totals.html", None, preview=preview, results=forms.row_results(preview, live=True),
                  totals_url=request.path)
