"""One-time links handed over by an administrator: activate an account, or set a new password."""

from flask import Blueprint, Response, render_template, request
from werkzeug.wrappers import Response as HttpResponse

from domain.administration.activation import link_target, set_password_with_link
from domain.administration.errors import LinkUnavailable
from domain.administration.models import LinkTarget
from domain.identity.errors import WeakPassword
from web.auth.views import password_step_done
from web.deps import deps
from web.guard import public, throttled
from web.i18n import error_messages

bp = Blueprint("links", __name__)


@bp.route("/activate/<token>", methods=["GET", "POST"])
@public
@throttled
def activate(token: str) -> HttpResponse | str:
    d = deps()
    try:
        target = link_target(token, uow=d.reader(), clock=d.clock)
        if request.method == "GET":
            return _page(token, target, {}, 200)
        password = request.form.get("password", "")
        if password != request.form.get("password_confirm"):
            return _page(token, target, {"password_confirm": "password.mismatch"}, 422)
        user = set_password_with_link(token, password, ip=request.remote_addr, uow=d.uow(), clock=d.clock,
                                      hasher=d.hasher, strength=d.strength)
    except WeakPassword as error:
        return _page(token, target, {"password": error.reason}, 422)
    except LinkUnavailable:
        return Response(render_template("auth/link_unavailable.html"), 410)
    # The password step is done; the usual sign-in continues with TOTP (or its enrolment).
    return password_step_done(user.id or 0, confirmed=user.totp_confirmed)


def _page(token: str, target: LinkTarget, errors: dict[str, str], status: int) -> HttpResponse:
    html = render_template("auth/activate.html", token=token, target=target, errors=error_messages(errors))
    return Response(html, status)
