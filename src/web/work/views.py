"""The owner's work queue: contracts with open renewal reminders and recent expiries."""

from flask import Blueprint, flash, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts.reminder_services import acknowledge_reminder, work_queue
from domain.contracts.reminders import local_today
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other

bp = Blueprint("work", __name__, url_prefix="/work")
REMINDERS = {"work-reminders": "work/_reminders.html"}


@bp.get("")
def index() -> HttpResponse:
    d = deps()
    queue = work_queue(local_today(d.clock), actor=current_actor(), uow=d.reader())
    return render("work/index.html", REMINDERS, queue=queue)


@bp.post("/contracts/<int:contract_id>/acknowledge")
def acknowledge(contract_id: int) -> HttpResponse:
    d = deps()
    acknowledge_reminder(contract_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    if hx_target() in REMINDERS:
        return index()
    flash(_("Reminder acknowledged."), "success")
    return see_other(url_for(".index"))
