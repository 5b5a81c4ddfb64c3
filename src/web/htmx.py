"""Full page or fragment: decided here and nowhere else."""

from collections.abc import Mapping

from flask import make_response, redirect, render_template, request
from werkzeug.wrappers import Response as HttpResponse


def hx_target() -> str | None:
    """The id of the element htmx will swap into, or None for a full-page request.

    Boosted navigation and history-restore requests also carry HX-Request, but they need the
    whole page, so they count as full-page requests here.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return None
    return str(htmx.target) if htmx.target else None


def render(
    page: str, fragments: Mapping[str, str] | None = None, status: int = 200, /, **context: object
) -> HttpResponse:
    """Render `page`, or the fragment registered for the current HX-Target."""
    template = (fragments or {}).get(hx_target() or "", page)
    response = make_response(render_template(template, **context), status)
    response.vary.update(("HX-Request", "HX-Target"))
    return response


def see_other(url: str) -> HttpResponse:
    """Post/Redirect/Get: 303 for browsers, HX-Location for htmx so it navigates without a reload."""
    if getattr(request, "htmx", None):
        response = make_response("", 204)
        response.headers["HX-Location"] = url
        return response
    return redirect(url, 303)
