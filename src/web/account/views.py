"""The signed-in user's own account: step-up confirmation (password + TOTP again)."""

from flask import Blueprint, Response, flash, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.identity import login as identity
from domain.identity.errors import ChallengeExpired, InvalidCode
from domain.identity.sessions import end_session
from web.deps import deps
from web.guard import current_actor, safe_next, throttled
from web.htmx import see_other
from web.sessions import current_record, end_current_session

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/reauth", methods=["GET", "POST"])
@throttled
def reauth() -> HttpResponse | str:
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("account/reauth.html", next_url=next_url, error=None)
    d, actor, record = deps(), current_actor(), current_record()
    try:
        identity.reauthenticate(actor.user_id, request.form.get("password", ""), request.form.get("code", ""),
                                record.token_hash, ip=request.remote_addr, uow=d.uow(), clock=d.clock,
                                hasher=d.hasher, cipher=d.cipher, totp=d.totp, policy=d.policy)
    except InvalidCode:
        error = _("The password or the code is wrong. Enter your password and the current 6-digit code "
                  "(or an unused recovery code).")
        return Response(render_template("account/reauth.html", next_url=next_url, error=error), 401)
    except ChallengeExpired:
        end_session(record.token_hash, actor_id=actor.user_id, ip=request.remote_addr, uow=d.uow(), clock=d.clock,
                    reason="logout.reauth_failed")
        end_current_session()
        flash(_("Too many wrong attempts. Sign in again."), "error")
        return see_other(url_for("auth.login"))
    flash(_("Confirmed. You can continue."), "success")
    return see_other(next_url)
