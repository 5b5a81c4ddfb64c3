"""One-time links: an account's holder sets a password with the link an administrator handed over.

The link only sets the password. Signing in afterwards still needs the second factor: a new account
(or one whose MFA was reset) enrols TOTP next; a password reset never bypasses it (ASVS 6.4.3).
"""

from domain.administration.errors import LinkUnavailable
from domain.administration.models import LinkPurpose, LinkTarget
from domain.audit.models import AuditEvent
from domain.identity.models import User
from domain.identity.passwords import check_password
from domain.identity.ports import PasswordHasher, PasswordStrength
from domain.identity.sessions import hash_token
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

_MAX_TOKEN = 128


def link_target(token: str, *, uow: UnitOfWork, clock: Clock) -> LinkTarget:
    """Whose account a live link opens; raises LinkUnavailable for unknown, used, expired or voided links."""
    with uow:
        found = uow.users.live_link(hash_token(token), clock.now()) if len(token) <= _MAX_TOKEN else None
        user = uow.users.get(found[0]) if found else None
    if found is None or user is None or user.id is None or not user.is_active:
        raise LinkUnavailable()
    return LinkTarget(user.id, user.username, user.display_name, found[1])


def set_password_with_link(
    token: str, password: str, *, ip: str | None, uow: UnitOfWork, clock: Clock, hasher: PasswordHasher,
    strength: PasswordStrength,
) -> User:
    """Set the password through a live link, which then stops working; every session of the user ends."""
    target = link_target(token, uow=uow, clock=clock)
    check_password(password, target.username, strength=strength, context=(target.display_name,))
    password_hash = hasher.hash(password)
    now = clock.now()
    with uow:
        user = uow.users.get(target.user_id)
        if user is None or not user.is_active or not uow.users.consume_link(hash_token(token), now):
            raise LinkUnavailable()
        uow.users.set_password(target.user_id, password_hash, now)
        ended = uow.sessions.delete_for_user(target.user_id)
        action = "user.activated" if target.purpose is LinkPurpose.ACTIVATION else "user.password_set"
        uow.audit.append(AuditEvent(action, now, target.user_id, ip, "user", str(target.user_id),
                                    after={"sessions_ended": ended}))
        uow.commit()
    user.password_hash = password_hash
    return user
