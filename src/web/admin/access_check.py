"""'View as user': can user X see customer Y, and why? Evaluated on X's stored grants, never the asker's."""

from flask import Blueprint, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.administration.access_check import AccessAnswer, check_customer_access, checkable_users
from domain.shared.errors import NotFound
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render
from web.why import user_reasons

bp = Blueprint("access_check", __name__, url_prefix="/admin/access-check")
ANSWER = {"access-answer": "admin/access/_answer.html"}


@bp.get("")
def index() -> HttpResponse:
    return _page(200, values={})


@bp.post("")
def check() -> HttpResponse:
    user_id, customer_id = _number("user_id"), _number("customer_id")
    values = {"user_id": str(user_id or ""), "customer_id": str(customer_id or "")}
    if user_id is None or customer_id is None:
        return _page(422, values=values, error=_("Choose a user and enter a customer number (digits only)."))
    d = deps()
    try:
        answer = check_customer_access(user_id, customer_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except NotFound:  # 422 for htmx, which swaps only 2xx, 409 and 422 responses
        error = _("There is no such user, or no customer with this number among the customers you can see "
                  "yourself. Check the number.")
        return _page(422 if hx_target() else 404, values=values, error=error)
    return _page(200, values=values, answer=answer, reasons=_reasons(answer))


def _reasons(answer: AccessAnswer) -> list[str]:
    if answer.explanation is None:
        return [_("The account of %(user)s is deactivated: it cannot sign in or see anything.",
                  user=answer.user_name)]
    return user_reasons(answer.explanation, answer.user_name)


def _page(status: int, *, values: dict[str, str], **context: object) -> HttpResponse:
    users = checkable_users(actor=current_actor(), uow=deps().reader())
    return render("admin/access/index.html", ANSWER, status, users=users, values=values, **context)


def _number(name: str) -> int | None:
    value = request.form.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None
