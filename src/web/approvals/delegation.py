"""My delegation while away: who receives my approvals, from when to when; end it early."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals import delegation as services
from domain.shared.errors import ValidationFailed
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("delegation", __name__, url_prefix="/account/delegation")
FIELDS = ("delegate_id", "starts_on", "ends_on")


@bp.get("")
def index() -> HttpResponse:
    return _page(200, {}, {})


@bp.post("")
def save() -> HttpResponse:
    d = deps()
    try:
        services.set_delegation(request.form, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _page(422, {k: request.form.get(k, "")[:20] for k in FIELDS}, error.errors)
    flash(_("Delegation saved. New approvals go to your delegate on those days."), "success")
    return see_other(url_for(".index"))


@bp.post("/end")
def end() -> HttpResponse:
    d = deps()
    if services.end_delegation(actor=current_actor(), uow=d.uow(), clock=d.clock):
        flash(_("Delegation ended. New approvals come to you again."), "success")
    return see_other(url_for(".index"))


def _page(status: int, values: dict[str, str], errors: dict[str, str]) -> HttpResponse:
    d = deps()
    view = services.my_delegation(actor=current_actor(), uow=d.reader(), clock=d.clock)
    values = values or {"starts_on": view.today.isoformat(), "ends_on": view.today.isoformat()}
    return render("approvals/delegation.html", {"delegation-form": "approvals/_delegation_form.html"}, status,
                  view=view, values=values, errors=error_messages(errors))
