"""Error responses: a short message and a reference id, never a stack trace."""

import logging
import secrets
from urllib.parse import quote, urlsplit

from flask import Flask, Response, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as HttpResponse

from domain.audit.models import AuditEvent
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired
from web.deps import deps

log = logging.getLogger("houtai.web")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Reload the page and try again."),
        403: _("You do not have permission for this. Ask an administrator if you need it."),
        404: _("This page does not exist, or you do not have access to it."),
        405: _("This action is not available this way. Use the buttons on the page."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Wait a minute, then try again."),
        500: _("Something went wrong on our side. Try again; if it keeps happening, "
               "give the reference to your administrator."),
        503: _("The service is temporarily unavailable. Try again in a moment."),
    }


def error_response(status: int, message: str | None = None, reference: str | None = None) -> Response:
    """The error page, or for htmx requests an empty body with the message in a header for app.js.

    Every error carries a reference id, also written to the log, so support can find the event.
    """
    text = message or _messages().get(status, _messages()[500])
    if reference is None:
        reference = secrets.token_hex(6)
        log.info("http.error ref=%s status=%s path=%s", reference, status, request.path)
    if getattr(request, "htmx", None):
        response = make_response("", status)
        response.headers["X-Houtai-Message"] = quote(f"{text} ({reference})")
        return response
    return make_response(render_template("errors/error.html", status=status, message=text, reference=reference),
                         status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> Response:
        log.warning("csrf.rejected path=%s reason=%s", request.path, error.description)
        return error_response(400, _("Your form expired or came from another site. Reload the page and submit again."))

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound) -> Response:
        return error_response(404)

    @app.errorhandler(PermissionDenied)
    def denied(error: PermissionDenied) -> Response:
        log.warning("access.denied path=%s permission=%s", request.path, error)
        audit_denial(str(error))
        return error_response(403)

    @app.errorhandler(ReauthenticationRequired)
    def reauthenticate(_error: ReauthenticationRequired) -> HttpResponse:
        return _to_step_up()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return error_response(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        reference = secrets.token_hex(6)
        log.exception("unhandled error ref=%s path=%s", reference, request.path, exc_info=error)
        return error_response(500, reference=reference)


def audit_denial(permission: str) -> None:
    """Access-control failures belong in the audit trail too (who tried what, from where)."""
    actor = g.get("actor")
    d = deps()
    with d.uow() as uow:
        uow.audit.append(AuditEvent("access.denied", d.clock.now(), actor.user_id if actor else None,
                                    request.remote_addr, after={"permission": permission, "method": request.method,
                                                                "path": request.path[:200]}))
        uow.commit()


def _to_step_up() -> HttpResponse:
    """Send the user to confirm password + TOTP, then back to the page they were on."""
    back = request.full_path.rstrip("?") if request.method == "GET" else _referring_path()
    target = url_for("account.reauth", next=back)
    if getattr(request, "htmx", None):
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


def _referring_path() -> str:
    """The internal page a POST came from (its form), so step-up can return there."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc and parts.netloc != request.host:
        return "/"
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")
