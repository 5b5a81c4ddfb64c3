"""Server-side sessions for Flask: the cookie holds only a random token; the row holds the rest."""

from typing import Any

from flask import Flask, Request, Response, request as current_request, session as current_session
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from domain.identity.models import AuthSession, Stage
from domain.identity.sessions import resume_session, rotate_token, save_session_data, start_session, touch_session
from web.deps import Dependencies, deps

KEPT_ACROSS_LOGIN = ("lang",)


class ServerSession(CallbackDict[str, Any], SessionMixin):
    """Session values (CSRF secret, flashes, language) backed by an `auth_sessions` row."""

    def __init__(self, record: AuthSession | None = None, token: str | None = None, stale: bool = False) -> None:
        def on_update(_: object) -> None:
            self.modified = True

        super().__init__(record.data if record else {}, on_update)
        self.record, self.token, self.stale = record, token, stale
        self.modified = False
        self.ended = False
        self.rotated = False

    def replace(self, token: str, record: AuthSession) -> None:
        """Switch to a freshly started session (login steps): new token, old values dropped."""
        kept = {k: self[k] for k in KEPT_ACROSS_LOGIN if k in self}
        self.clear()
        record.data.update(kept)
        self.update(record.data)
        self.record, self.token, self.ended = record, token, False
        self.modified = bool(kept)
        self.rotated = True

    def rekey(self, token: str, token_hash: str) -> None:
        """Carry on under a rotated token: same session row and values, new cookie."""
        assert self.record is not None
        self.record.token_hash, self.token, self.rotated = token_hash, token, True

    def end(self) -> None:
        """Forget the session; the caller has deleted its row."""
        self.record, self.token, self.ended = None, None, True
        self.clear()
        self.modified = False


class ServerSessionInterface(SessionInterface):
    def __init__(self, dependencies: Dependencies) -> None:
        self._deps = dependencies

    def cookie_name(self, app: Flask, request: Request) -> str:
        return "__Host-houtai" if _secure(app, request) else "houtai"

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.cookie_name(app, request))
        if not token or len(token) > 128:
            return ServerSession()
        d = self._deps
        record = resume_session(token, uow=d.reader(), clock=d.clock, policy=d.policy)
        return ServerSession(record, token) if record else ServerSession(stale=True)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ServerSession)
        name, d = self.cookie_name(app, current_request), self._deps
        if session.record is None and session.modified:
            token, record = start_session(Stage.ANONYMOUS, None, ip=current_request.remote_addr, user_agent=None,
                                          replaces=None, uow=d.uow(), clock=d.clock, data=dict(session))
            session.record, session.token, session.rotated = record, token, True
        elif session.record is not None and session.modified:
            save_session_data(session.record.token_hash, dict(session), uow=d.uow())
        elif session.record is not None and session.record.needs_touch(d.clock.now(), d.policy):
            touch_session(session.record.token_hash, uow=d.uow(), clock=d.clock)
        secure = name.startswith("__Host-")
        if session.token and (session.rotated or session.stale):
            response.set_cookie(name, session.token, path="/", secure=secure, httponly=True, samesite="Lax")
        elif session.ended or session.stale:
            response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="Lax")


def current_session_object() -> ServerSession:
    assert isinstance(current_session, ServerSession)
    return current_session


def current_record() -> AuthSession:
    """The signed-in request's session row (the guard has checked there is one)."""
    record = current_session_object().record
    assert record is not None
    return record


def rotate_current_token() -> None:
    """A new cookie token for this browser's session (after a password change or step-up)."""
    current = current_session_object()
    assert current.record is not None
    token, token_hash = rotate_token(current.record.token_hash, uow=deps().uow())
    current.rekey(token, token_hash)


def end_current_session() -> None:
    """Forget this browser's session after its row was deleted (logout, revoked, failed step-up)."""
    current_session_object().end()


def _secure(app: Flask, request: Request) -> bool:
    return bool(app.config.get("HTTPS")) or request.is_secure

