"""The approval inbox: what waits for me, approve or reject (with a comment) by keyboard."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.engine import decide
from domain.approvals.errors import AlreadyDecided
from domain.approvals.inbox import approval_inbox
from domain.approvals.models import Outcome
from domain.budgets.errors import BudgetExceeded
from domain.shared.errors import ValidationFailed
from web.budgets.forms import budget_refusal
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("approvals", __name__, url_prefix="/approvals")


@bp.get("")
def index() -> HttpResponse:
    return _inbox(200)


@bp.post("/tasks/<int:task_id>/approve")
def approve(task_id: int) -> HttpResponse:
    return _decide(task_id, True)


@bp.post("/tasks/<int:task_id>/reject")
def reject(task_id: int) -> HttpResponse:
    return _decide(task_id, False)


def _decide(task_id: int, approve: bool) -> HttpResponse:
    d = deps()
    try:
        outcome = decide(task_id, approve, request.form.get("comment", ""), actor=current_actor(), uow=d.uow(),
                         clock=d.clock, override=approve and request.form.get("override") == "1")
    except ValidationFailed as error:
        return _inbox(422, task_id, error.errors)
    except BudgetExceeded as exceeded:  # nothing was decided; the approver may go beyond it with the override
        return _inbox(422, task_id, {"approval": budget_refusal(exceeded)})
    except AlreadyDecided:
        flash(_("Someone decided this approval meanwhile; nothing was changed. Here is what still waits for you."),
              "error")
        return see_other(url_for(".index"))
    flash(_decided_message(approve, outcome), "success")
    return see_other(url_for(".index"))


def _decided_message(approve: bool, outcome: Outcome) -> str:
    if not approve:
        return str(_("Rejected. The requester sees your comment in the document's approval trail."))
    if outcome is Outcome.APPROVED:
        return str(_("Approved. That was the last step: the document is approved."))
    return str(_("Approved. The document goes on to its next approvers."))


def _inbox(status: int, task_id: int | None = None, errors: dict[str, str] | None = None) -> HttpResponse:
    d, after = deps(), request.args.get("after", "")
    page = approval_inbox(int(after) if after.isdigit() and len(after) < 10 else None, actor=current_actor(),
                          uow=d.reader(), clock=d.clock)
    fragments = {f"task-{task_id}": "approvals/_task.html"} if task_id else None
    task = next((t for t in page.items if t.task_id == task_id), None)
    return render("approvals/index.html", fragments, status, page=page, task=task, failed=task_id,
                  errors=error_messages(errors or {}), comment=request.form.get("comment", "")[:1000])
