"""File downloads that can never run in the page: attachment, nosniff, and a sandboxing CSP."""

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

from flask import Response

F = TypeVar("F", bound=Callable[..., object])
SANDBOX_CSP = "default-src 'none'; sandbox"


def sandboxed(view: F) -> F:
    """Serve this view's responses under SANDBOX_CSP instead of the app's page CSP (Talisman per-view option)."""
    view.talisman_view_options = {"content_security_policy": SANDBOX_CSP}  # type: ignore[attr-defined]
    return view


def attachment(data: bytes, filename: str, content_type: str) -> Response:
    """A download with an RFC 6266 file name: ASCII fallback plus the UTF-8 original; never rendered inline."""
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)[:100]
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = \
        f"attachment; filename=\"{ascii_name or 'download'}\"; filename*=UTF-8''{quote(filename[:150])}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
