"""Health checks and the language switch."""

from flask import Blueprint, abort, make_response, redirect, request, session, url_for
from werkzeug.wrappers import Response as HttpResponse

from domain.identity.models import Stage
from domain.identity.permissions import Permission
from web.deps import deps
from web.guard import public, safe_next
from web.i18n import LANGUAGES
from web.sessions import ServerSession

bp = Blueprint("system", __name__)


@bp.get("/healthz")
@public
def healthz() -> HttpResponse:
    return _plain("ok", 200)


@bp.get("/readyz")
@public
def readyz() -> HttpResponse:
    ready = deps().database_ready()
    return _plain("ready" if ready else "not ready", 200 if ready else 503)


@bp.post("/language")
@public
def set_language() -> HttpResponse:
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    return redirect(safe_next(request.form.get("next")), 303)


@bp.get("/")
@public
def home() -> HttpResponse:
    """Customers for those who may read them; everyone else starts at their account page."""
    record = session.record if isinstance(session, ServerSession) else None
    actor = record.actor if record and record.stage is Stage.FULL else None
    if actor is not None and not actor.can(Permission.CUSTOMER_READ):
        return redirect(url_for("account.index"))
    return redirect(url_for("customers.index"))


def _plain(text: str, status: int) -> HttpResponse:
    response = make_response(text, status)
    response.mimetype = "text/plain"
    return response
