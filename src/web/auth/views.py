"""Sign-in: first-administrator setup, password, TOTP enrolment, second factor, logout."""

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.identity import login as identity
from domain.identity.errors import ChallengeExpired, InvalidCode, InvalidCredentials, SetupUnavailable, WeakPassword
from domain.identity.models import AuthSession, Stage
from domain.identity.sessions import end_session, start_session
from domain.shared.errors import ValidationFailed
from web.auth.qr import qr_svg
from web.deps import deps
from web.guard import public, safe_next, second_factor, throttled
from web.i18n import error_messages
from web.sessions import current_record, current_session_object

bp = Blueprint("auth", __name__)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@public
@throttled
def setup(token: str) -> HttpResponse | str:
    if request.method == "GET":
        return render_template("auth/setup.html", token=token, errors={}, values={})
    form = request.form
    errors = {"password_confirm": "password.mismatch"} if form.get("password") != form.get("password_confirm") else {}
    try:
        if not errors:
            d = deps()
            user = identity.create_first_administrator(
                token, form.get("username", ""), form.get("display_name", ""), form.get("password", ""),
                ip=request.remote_addr, uow=d.uow(), clock=d.clock, hasher=d.hasher, strength=d.strength)
            return password_step_done(user.id or 0, confirmed=False)
    except ValidationFailed as error:
        errors = error.errors
    except WeakPassword as error:
        errors = {"password": error.reason}
    except SetupUnavailable:
        return Response(render_template("auth/setup_unavailable.html"), 410)
    values = {"username": form.get("username", ""), "display_name": form.get("display_name", "")}
    return Response(render_template("auth/setup.html", token=token, errors=error_messages(errors), values=values), 422)


@bp.route("/login", methods=["GET", "POST"])
@public
@throttled
def login() -> HttpResponse | str:
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", next_url=next_url, error=None, username="")
    d = deps()
    username = request.form.get("username", "")
    try:
        user = identity.sign_in_with_password(username, request.form.get("password", ""), ip=request.remote_addr,
                                              uow=d.uow(), clock=d.clock, hasher=d.hasher)
    except InvalidCredentials:
        error = _("Wrong username or password, or the account is locked for 15 minutes after repeated failures. "
                  "Try again, or ask an administrator to unlock it.")
        return Response(render_template("auth/login.html", next_url=next_url, error=error, username=username), 401)
    return password_step_done(user.id or 0, confirmed=user.totp_confirmed, next_url=next_url)


@bp.route("/login/mfa", methods=["GET", "POST"])
@second_factor
@throttled
def mfa() -> HttpResponse | str:
    if request.method == "GET":
        return render_template("auth/mfa.html", error=None)
    d, record = deps(), current_record()
    try:
        identity.verify_second_factor(record.user_id or 0, request.form.get("code", ""), record.token_hash,
                                      ip=request.remote_addr, uow=d.uow(), cipher=d.cipher, totp=d.totp,
                                      clock=d.clock, policy=d.policy)
    except InvalidCode:
        error = _("That code is not valid. Enter the current 6-digit code from your app, or an unused recovery code.")
        return Response(render_template("auth/mfa.html", error=error), 401)
    except ChallengeExpired:
        return _restart_login()
    return _signed_in(record)


@bp.route("/login/enroll", methods=["GET", "POST"])
@second_factor
@throttled
def enroll() -> HttpResponse | str:
    d, record = deps(), current_record()
    try:
        if request.method == "GET":
            return _enroll_page(record, None, 200)
        codes = identity.confirm_enrolment(record.user_id or 0, request.form.get("code", ""), record.token_hash,
                                           ip=request.remote_addr, uow=d.uow(), cipher=d.cipher, totp=d.totp,
                                           clock=d.clock, policy=d.policy)
    except InvalidCode:
        return _enroll_page(record, _("That code does not match. Check the time on your phone and enter the "
                                         "current 6-digit code."), 422)
    except ChallengeExpired:
        return _restart_login()
    next_url = str(session.get("next") or url_for("customers.index"))
    _signed_in(record)
    return Response(render_template("auth/recovery_codes.html", codes=codes, next_url=next_url))


@bp.post("/logout")
def logout() -> HttpResponse:
    d, record = deps(), current_record()
    end_session(record.token_hash, actor_id=record.user_id, ip=request.remote_addr, uow=d.uow(), clock=d.clock)
    current_session_object().end()
    response = redirect(url_for("auth.login"), 303)
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


def password_step_done(user_id: int, *, confirmed: bool, next_url: str | None = None) -> HttpResponse:
    d, current = deps(), current_session_object()
    token, record = start_session(Stage.PASSWORD, user_id, ip=request.remote_addr,
                                  user_agent=request.user_agent.string, uow=d.uow(), clock=d.clock,
                                  replaces=current.record.token_hash if current.record else None)
    current.replace(token, record)
    session["next"] = next_url or url_for("customers.index")
    return redirect(url_for("auth.mfa" if confirmed else "auth.enroll"), 303)


def _signed_in(pending: AuthSession) -> HttpResponse:
    d, current = deps(), current_session_object()
    next_url = safe_next(str(session.get("next") or ""))
    token, record = start_session(Stage.FULL, pending.user_id, ip=request.remote_addr,
                                  user_agent=request.user_agent.string, replaces=pending.token_hash,
                                  uow=d.uow(), clock=d.clock)
    current.replace(token, record)
    return redirect(next_url, 303)


def _restart_login() -> HttpResponse:
    d, record = deps(), current_record()
    end_session(record.token_hash, actor_id=None, ip=request.remote_addr, uow=d.uow(), clock=d.clock)
    current_session_object().end()
    flash(_("Too many wrong codes or the sign-in took too long. Sign in again with your password."), "error")
    return redirect(url_for("auth.login"), 303)


def _enroll_page(record: AuthSession, error: str | None, status: int) -> HttpResponse:
    d = deps()
    enrolment = identity.start_enrolment(record.user_id or 0, uow=d.uow(), cipher=d.cipher, totp=d.totp)
    html = render_template("auth/enroll.html", secret=enrolment.secret, qr=qr_svg(enrolment.uri), error=error)
    return Response(html, status)
