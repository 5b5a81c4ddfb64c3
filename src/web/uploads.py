"""Request size limits per view: forms keep the app-wide MAX_CONTENT_LENGTH, upload views may accept more."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, request
from flask_babel import gettext as _

from web.errors import error_response

F = TypeVar("F", bound=Callable[..., object])
ENVELOPE = 64 * 1024  # multipart boundaries, headers and the CSRF field around the file itself


def accepts_upload(config_key: str, default: int) -> Callable[[F], F]:
    """Let this view's requests carry a file of up to `config[config_key]` bytes (`default` when unset)."""
    def mark(view: F) -> F:
        view.houtai_upload_limit = (config_key, default)  # type: ignore[attr-defined]
        return view

    return mark


def upload_limit(config_key: str, default: int) -> int:
    return int(current_app.config.get(config_key, default))


def apply_upload_limit(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """Register with `Blueprint.url_value_preprocessor`: Flask runs those before every before_request hook,
    so the larger limit is in place before CSRF protection parses the form."""
    marked = getattr(current_app.view_functions.get(endpoint or ""), "houtai_upload_limit", None)
    if marked:
        request.max_content_length = upload_limit(*marked) + ENVELOPE


def too_large_response(config_key: str, default: int) -> Response:
    """413 naming the view's limit and what to do instead (for a blueprint's RequestEntityTooLarge handler)."""
    return error_response(413, _("The file is larger than %(limit)s MB. Compress it or split it into parts, "
                                 "then attach them one by one.", limit=upload_megabytes(config_key, default)))


def upload_megabytes(config_key: str, default: int) -> int:
    return upload_limit(config_key, default) // (1024 * 1024)


def uploaded_file(field: str = "file") -> tuple[str, bytes]:
    """The name and bytes of the request's file (("", b"") when none was sent)."""
    file = request.files.get(field)
    return (file.filename or "", file.read()) if file else ("", b"")
