"""My follow-ups: next actions due today or overdue, and marking them done."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.customers.reminders import complete_follow_up, due_follow_ups
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other

bp = Blueprint("follow_ups", __name__, url_prefix="/follow-ups")
LIST = {"due-list": "follow_ups/_due.html"}


@bp.get("/mine")
def mine() -> HttpResponse:
    d = deps()
    page = due_follow_ups(request.args.get("after") or None, actor=current_actor(), uow=d.reader(), clock=d.clock)
    return render("follow_ups/mine.html", LIST, page=page, today=d.clock.now().date())


@bp.post("/<int:follow_up_id>/done")
def done(follow_up_id: int) -> HttpResponse:
    d = deps()
    complete_follow_up(follow_up_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    if hx_target() == f"due-{follow_up_id}":
        return render("follow_ups/_done.html", None)
    flash(_("Marked as done."), "success")
    return see_other(url_for(".mine"))
