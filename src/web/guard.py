"""Deny by default: every endpoint needs a fully signed-in session unless it is marked otherwise."""

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar
from urllib.parse import urlsplit

from flask import current_app, g, make_response, redirect, request, session, url_for
from werkzeug.wrappers import Response as HttpResponse

from domain.identity.models import Actor, Stage
from web.deps import deps
from web.sessions import ServerSession

F = TypeVar("F", bound=Callable[..., object])
PUBLIC = "public"
SECOND_FACTOR = "second_factor"


def public(view: F) -> F:
    """Reachable without signing in (login, setup, health checks)."""
    view.houtai_access = PUBLIC  # type: ignore[attr-defined]
    return view


def second_factor(view: F) -> F:
    """Reachable after the password step, before the second factor (TOTP entry and enrolment)."""
    view.houtai_access = SECOND_FACTOR  # type: ignore[attr-defined]
    return view


def throttled(view: F) -> F:
    """POSTs to this view count against the per-IP login rate limit."""
    view.houtai_throttled = True  # type: ignore[attr-defined]
    return view


def check_access() -> HttpResponse | None:
    """before_request hook: let the request through, or send it to the login page."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    access = getattr(current_app.view_functions[request.endpoint], "houtai_access", None)
    record = session.record if isinstance(session, ServerSession) else None
    if access == PUBLIC:
        return None
    if access == SECOND_FACTOR:
        return None if record and record.stage is Stage.PASSWORD and record.actor else _to_login()
    if record and record.stage is Stage.FULL and record.actor:
        d = deps()
        g.actor = replace(record.actor, ip=request.remote_addr, fresh=record.is_fresh(d.clock.now(), d.policy))
        return None
    return _to_login()


def current_actor() -> Actor:
    actor: Actor = g.actor
    return actor


def safe_next(target: str | None) -> str:
    """An internal path to continue to after login; anything else becomes the home page."""
    parts = urlsplit(target or "")
    if not target or parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("system.home")
    return target


def _to_login() -> HttpResponse:
    login = url_for("auth.login")
    if getattr(request, "htmx", None):
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login
        return response
    if request.method == "GET" and request.endpoint != "auth.login":
        login = url_for("auth.login", next=request.full_path.rstrip("?"))
    return redirect(login, 303 if request.method != "GET" else 302)
