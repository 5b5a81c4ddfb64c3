"""Server-side session lifecycle: start, resume, promote, end."""

import hashlib
import secrets

from domain.audit.models import AuditEvent
from domain.identity.models import AuthSession, SessionPolicy, Stage
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def hash_token(token: str) -> str:
    """The stored form of a session token: the database never holds a usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    stage: Stage, user_id: int | None, *, ip: str | None, user_agent: str | None, replaces: str | None,
    uow: UnitOfWork, clock: Clock, data: dict[str, object] | None = None,
) -> tuple[str, AuthSession]:
    """Create a session with a fresh random token, deleting the one it replaces (no fixation)."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    session = AuthSession(hash_token(token), stage, now, now, user_id, ip, (user_agent or "")[:200], data=data or {},
                          authenticated_at=now if stage is Stage.FULL else None)
    with uow:
        if replaces:
            uow.sessions.delete(replaces)
        uow.sessions.add(session)
        if stage is Stage.FULL:
            uow.audit.append(AuditEvent("login.succeeded", now, user_id, ip, "user", str(user_id)))
        uow.commit()
    return token, session


def rotate_token(token_hash: str, *, uow: UnitOfWork) -> tuple[str, str]:
    """Give a live session a new random token (after a password change or step-up); the old one stops working.

    Returns (token, its hash). Everything else about the session, including its age, stays.
    """
    token = secrets.token_urlsafe(32)
    with uow:
        uow.sessions.rekey(token_hash, hash_token(token))
        uow.commit()
    return token, hash_token(token)


def resume_session(token: str, *, uow: UnitOfWork, clock: Clock, policy: SessionPolicy) -> AuthSession | None:
    """The live session for a browser token, or None when unknown, expired, or its user is disabled."""
    with uow:
        session = uow.sessions.load(hash_token(token))
    if session is None or session.is_expired(clock.now(), policy):
        return None
    if session.stage is not Stage.ANONYMOUS and session.actor is None:
        return None
    return session


def touch_session(token_hash: str, *, uow: UnitOfWork, clock: Clock) -> None:
    """Record activity so the idle timeout restarts."""
    with uow:
        uow.sessions.touch(token_hash, clock.now())
        uow.commit()


def save_session_data(token_hash: str, data: dict[str, object], *, uow: UnitOfWork) -> None:
    """Persist the small per-session values (CSRF secret, flash messages, language)."""
    with uow:
        uow.sessions.save_data(token_hash, data)
        uow.commit()


def end_session(
    token_hash: str, *, actor_id: int | None, ip: str | None, uow: UnitOfWork, clock: Clock, reason: str = "logout"
) -> None:
    """Delete the session row, so every copy of its cookie stops working on every worker."""
    with uow:
        uow.sessions.delete(token_hash)
        if actor_id is not None:
            uow.audit.append(AuditEvent(reason, clock.now(), actor_id, ip, "user", str(actor_id)))
        uow.commit()


def purge_idle_sessions(*, uow: UnitOfWork, clock: Clock, policy: SessionPolicy) -> int:
    """Delete sessions idle past the timeout; returns how many."""
    with uow:
        removed = uow.sessions.delete_idle(clock.now() - policy.idle)
        uow.commit()
    return removed
