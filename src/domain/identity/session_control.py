"""Seeing and ending signed-in sessions: one's own (after step-up) and, for administrators, anyone's.

Pages address a session by `public_session_id`, a one-way digest of the token hash: the hash is the
lookup key of a live token and never leaves the server. Deleting the row ends the session at once.
"""

import hashlib

from domain.audit.models import AuditEvent
from domain.identity.access import require, require_fresh, require_sensitive
from domain.identity.models import Actor, SessionPolicy, SessionSummary, Stage, User
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def public_session_id(token_hash: str) -> str:
    """The id pages show for a session; it cannot be turned back into the token hash."""
    return hashlib.sha256(b"houtai.session-id:" + token_hash.encode()).hexdigest()[:32]


def list_own_sessions(
    actor: Actor, current_hash: str, *, uow: UnitOfWork, clock: Clock, policy: SessionPolicy
) -> list[SessionSummary]:
    """The actor's live signed-in sessions, most recently active first, this browser's marked."""
    with uow:
        return _live(actor.user_id, current_hash, uow=uow, clock=clock, policy=policy)


def revoke_own_session(actor: Actor, public_id: str, current_hash: str, *, uow: UnitOfWork, clock: Clock) -> bool:
    """End one of the actor's sessions; True when it was this browser's. Others' → NotFound.

    Ending another session needs step-up (ASVS 5.0 7.5.2); ending this one is a plain sign-out.
    """
    if public_id != public_session_id(current_hash):
        require_fresh(actor)
    return _end_one(actor, actor.user_id, public_id, current_hash, uow=uow, clock=clock)


def sign_out_everywhere(actor: Actor, current_hash: str, *, keep_current: bool, uow: UnitOfWork, clock: Clock) -> int:
    """End all the actor's sessions, or all but this browser's (step-up first); returns how many ended."""
    require_fresh(actor)
    return _end_all(actor, actor.user_id, current_hash if keep_current else None, uow=uow, clock=clock)


def list_user_sessions(
    actor: Actor, user_id: int, current_hash: str, *, uow: UnitOfWork, clock: Clock, policy: SessionPolicy
) -> tuple[User, list[SessionSummary]]:
    """A user's live signed-in sessions, for administrators (session.manage); NotFound for unknown users."""
    require(actor, Permission.SESSION_MANAGE)
    with uow:
        user = uow.users.get(user_id)
        if user is None:
            raise NotFound()
        return user, _live(user_id, current_hash, uow=uow, clock=clock, policy=policy)


def end_user_session(
    actor: Actor, user_id: int, public_id: str, current_hash: str, *, uow: UnitOfWork, clock: Clock
) -> bool:
    """End one session of any user (session.manage + step-up); True when it was the actor's own browser."""
    require_sensitive(actor, Permission.SESSION_MANAGE)
    return _end_one(actor, user_id, public_id, current_hash, uow=uow, clock=clock)


def end_all_user_sessions(actor: Actor, user_id: int, *, uow: UnitOfWork, clock: Clock) -> int:
    """End every session of a user (session.manage + step-up); returns how many ended."""
    require_sensitive(actor, Permission.SESSION_MANAGE)
    with uow:
        if uow.users.get(user_id) is None:
            raise NotFound()
    return _end_all(actor, user_id, None, uow=uow, clock=clock)


def _live(
    user_id: int, current_hash: str, *, uow: UnitOfWork, clock: Clock, policy: SessionPolicy
) -> list[SessionSummary]:
    now = clock.now()
    return [SessionSummary(public_session_id(s.token_hash), s.created_at, s.last_seen_at, s.ip, s.user_agent,
                           s.token_hash == current_hash)
            for s in uow.sessions.for_user(user_id) if s.stage is Stage.FULL and not s.is_expired(now, policy)]


def _end_one(actor: Actor, user_id: int, public_id: str, current_hash: str, *, uow: UnitOfWork, clock: Clock) -> bool:
    with uow:
        found = next((s for s in uow.sessions.for_user(user_id) if public_session_id(s.token_hash) == public_id),
                     None)
        if found is None:
            raise NotFound()
        uow.sessions.delete(found.token_hash)
        _audit(actor, user_id, {"which": "one", "session": public_id, "sessions": 1}, uow=uow, clock=clock)
        uow.commit()
    return found.token_hash == current_hash


def _end_all(actor: Actor, user_id: int, keep: str | None, *, uow: UnitOfWork, clock: Clock) -> int:
    with uow:
        ended = uow.sessions.delete_for_user(user_id, keep)
        _audit(actor, user_id, {"which": "others" if keep else "all", "sessions": ended}, uow=uow, clock=clock)
        uow.commit()
    return ended


def _audit(actor: Actor, user_id: int, after: dict[str, object], *, uow: UnitOfWork, clock: Clock) -> None:
    uow.audit.append(AuditEvent("session.revoked", clock.now(), actor.user_id, actor.ip, "user", str(user_id),
                                after=after))
