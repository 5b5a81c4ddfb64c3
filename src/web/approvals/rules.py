"""Approval rules: list, create and edit with ordered steps (plain form buttons add, remove and move steps)."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals import rules as services
from domain.approvals.rules import RuleInput
from domain.shared.errors import StaleVersion, ValidationFailed
from web.approvals.forms import edited_steps, rule_input, rule_values
from web.approvals.labels import DOCUMENT_TYPES
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("approval_rules", __name__, url_prefix="/approvals/rules")
FORM = {"rule-form": "approvals/rules/_form.html"}


@bp.get("")
def index() -> HttpResponse:
    d, actor = deps(), current_actor()
    found = services.list_rules(actor=actor, uow=d.reader())
    return render("approvals/rules/index.html", None, rules=found,
                  choices=services.rule_choices(actor=actor, uow=d.reader()))


@bp.get("/new")
def new() -> HttpResponse:
    return _form(200, RuleInput(), None, 0)


@bp.post("")
def create() -> HttpResponse:
    return _submit(None)


@bp.get("/<int:rule_id>/edit")
def edit(rule_id: int) -> HttpResponse:
    rule = services.get_rule(rule_id, actor=current_actor(), uow=deps().reader())
    return _form(200, rule_values(rule), rule_id, rule.version)


@bp.post("/<int:rule_id>")
def update(rule_id: int) -> HttpResponse:
    return _submit(rule_id)


def _submit(rule_id: int | None) -> HttpResponse:
    d, data, version = deps(), rule_input(request.form), version_of(request.form)
    changed = edited_steps(data, request.form.get("op", "save"))
    if changed is not None:
        return _form(200, changed, rule_id, version)
    try:
        services.save_rule(rule_id, data, version, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form(422, data, rule_id, version, error.errors)
    except StaleVersion:
        flash(_("Not saved: someone changed this rule meanwhile. Here it is as saved now; make your change again."),
              "error")
        return see_other(url_for(".edit", rule_id=rule_id))
    flash(_("Approval rule saved. It applies to documents submitted from now on."), "success")
    return see_other(url_for(".index"))


def _form(status: int, data: RuleInput, rule_id: int | None, version: int,
          errors: dict[str, str] | None = None) -> HttpResponse:
    choices = services.rule_choices(actor=current_actor(), uow=deps().reader())
    document_options = [(key, DOCUMENT_TYPES.get(key, key)) for key in choices.document_types]
    return render("approvals/rules/form.html", FORM, status, data=data, rule_id=rule_id, version=version,
                  choices=choices, document_options=document_options, errors=error_messages(errors or {}))
