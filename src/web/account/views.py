"""The signed-in user's own account: overview, password change, recovery codes, sessions, step-up."""

from flask import Blueprint, Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.identity import account, login as identity, session_control
from domain.identity.errors import ChallengeExpired, InvalidCode, InvalidCredentials, WeakPassword
from domain.identity.sessions import end_session
from web.account.devices import device_name
from web.deps import deps
from web.guard import current_actor, safe_next, throttled
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.sessions import current_record, end_current_session, rotate_current_token

bp = Blueprint("account", __name__, url_prefix="/account")
FRAGMENTS = {"password-form": "account/_password_form.html", "my-sessions": "account/_sessions.html"}
bp.add_app_template_filter(device_name, "device")


@bp.get("")
def index() -> HttpResponse:
    return _page(200, values={"sign_out_others": "1"}, errors={})


@bp.post("/password")
@throttled
def change_password() -> HttpResponse:
    d, form = deps(), request.form
    if form.get("new_password") != form.get("new_password_confirm"):
        return _password_refused({"new_password_confirm": "password.mismatch"})
    try:
        ended = account.change_password(
            current_actor(), form.get("current_password", ""), form.get("new_password", ""),
            current_record().token_hash, sign_out_others=form.get("sign_out_others") == "1", uow=d.uow(),
            clock=d.clock, hasher=d.hasher, strength=d.strength)
    except InvalidCredentials:
        return _password_refused({"current_password": "password.current_wrong"})
    except WeakPassword as error:
        return _password_refused({"new_password": error.reason})
    rotate_current_token()
    flash(_("Your password was changed. Use the new one from now on."), "success")
    if ended:
        flash(_("Signed out on %(count)d other devices.", count=ended), "success")
    return see_other(url_for(".index"))


@bp.post("/recovery-codes")
def regenerate_recovery_codes() -> HttpResponse:
    d = deps()
    codes = account.regenerate_recovery_codes(current_actor(), uow=d.uow(), clock=d.clock)
    return make_response(render_template("auth/recovery_codes.html", codes=codes, renewed=True,
                                         next_url=url_for(".index")))


@bp.post("/sessions/<public_id>/revoke")
def revoke_session(public_id: str) -> HttpResponse:
    d = deps()
    was_current = session_control.revoke_own_session(current_actor(), public_id[:64], current_record().token_hash,
                                                     uow=d.uow(), clock=d.clock)
    return sign_out_here() if was_current else _sessions_changed(_("The session was ended."))


@bp.post("/sessions/revoke-others")
def revoke_other_sessions() -> HttpResponse:
    d = deps()
    ended = session_control.sign_out_everywhere(current_actor(), current_record().token_hash, keep_current=True,
                                                uow=d.uow(), clock=d.clock)
    return _sessions_changed(_("Signed out on %(count)d other devices.", count=ended))


@bp.post("/sessions/revoke-all")
def revoke_all_sessions() -> HttpResponse:
    d = deps()
    session_control.sign_out_everywhere(current_actor(), current_record().token_hash, keep_current=False,
                                        uow=d.uow(), clock=d.clock)
    return sign_out_here()


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
    rotate_current_token()
    flash(_("Confirmed. You can continue."), "success")
    return see_other(next_url)


def _page(status: int, *, values: dict[str, str], errors: dict[str, str]) -> HttpResponse:
    d, actor, record = deps(), current_actor(), current_record()
    overview = account.account_overview(actor, uow=d.reader())
    sessions = session_control.list_own_sessions(actor, record.token_hash, uow=d.reader(), clock=d.clock,
                                                 policy=d.policy)
    fresh_until = record.authenticated_at + d.policy.step_up if actor.fresh and record.authenticated_at else None
    return render("account/index.html", FRAGMENTS, status, overview=overview, sessions=sessions, values=values,
                  errors=error_messages(errors), fresh_until=fresh_until)


def _password_refused(errors: dict[str, str]) -> HttpResponse:
    return _page(422, values={"sign_out_others": request.form.get("sign_out_others", "")}, errors=errors)


def _sessions_changed(message: str) -> HttpResponse:
    if hx_target() == "my-sessions":
        return _page(200, values={}, errors={})
    flash(message, "success")
    return see_other(url_for(".index") + "#sessions")


def sign_out_here() -> HttpResponse:
    """This browser's session row is gone: forget the cookie and start again at the login page."""
    end_current_session()
    login = url_for("auth.login")
    if getattr(request, "htmx", None):
        response = make_response("", 204)
        response.headers["HX-Redirect"] = login
        return response
    return redirect(login, 303)
