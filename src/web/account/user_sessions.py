"""Administrators (session.manage) see and end any user's signed-in sessions."""

from flask import Blueprint, flash, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.identity import session_control
from web.account.views import sign_out_here
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.sessions import current_record

bp = Blueprint("user_sessions", __name__, url_prefix="/admin/users")
FRAGMENTS = {"user-sessions": "account/_user_sessions.html"}


@bp.get("/<int:user_id>/sessions")
def index(user_id: int) -> HttpResponse:
    d = deps()
    user, sessions = session_control.list_user_sessions(current_actor(), user_id, current_record().token_hash,
                                                        uow=d.reader(), clock=d.clock, policy=d.policy)
    return render("account/user_sessions.html", FRAGMENTS, user=user, sessions=sessions)


@bp.post("/<int:user_id>/sessions/<public_id>/end")
def end_one(user_id: int, public_id: str) -> HttpResponse:
    d = deps()
    was_current = session_control.end_user_session(current_actor(), user_id, public_id[:64],
                                                   current_record().token_hash, uow=d.uow(), clock=d.clock)
    return sign_out_here() if was_current else _changed(user_id, _("The session was ended."))


@bp.post("/<int:user_id>/sessions/end-all")
def end_all(user_id: int) -> HttpResponse:
    d, actor = deps(), current_actor()
    ended = session_control.end_all_user_sessions(actor, user_id, uow=d.uow(), clock=d.clock)
    if user_id == actor.user_id:
        return sign_out_here()
    return _changed(user_id, _("Ended %(count)d sessions of this user.", count=ended))


def _changed(user_id: int, message: str) -> HttpResponse:
    if hx_target() == "user-sessions":
        return index(user_id)
    flash(message, "success")
    return see_other(url_for(".index", user_id=user_id))
