"""The signed-in user's own account: overview, password change, new recovery codes."""

from domain.audit.models import AuditEvent
from domain.identity.access import require_fresh
from domain.identity.errors import InvalidCredentials
from domain.identity.login import LOCK_FOR, MAX_FAILURES, new_recovery_codes
from domain.identity.models import AccountOverview, Actor, User
from domain.identity.passwords import check_password
from domain.identity.ports import PasswordHasher, PasswordStrength
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def account_overview(actor: Actor, *, uow: UnitOfWork) -> AccountOverview:
    """The actor's own profile: department, role names, MFA state and unused recovery codes."""
    with uow:
        user = _own_user(actor, uow)
        department = uow.users.department_name(user.department_id) if user.department_id else None
        names = uow.users.role_names(user.roles)
        return AccountOverview(user, department, sorted(names.get(r, r) for r in user.roles),
                               uow.users.remaining_recovery_codes(actor.user_id))


def change_password(
    actor: Actor, current: str, new: str, session_hash: str, *, sign_out_others: bool, uow: UnitOfWork,
    clock: Clock, hasher: PasswordHasher, strength: PasswordStrength,
) -> int:
    """Replace the actor's password after checking the current one; returns how many other sessions ended.

    A wrong current password counts towards the sign-in lockout (InvalidCredentials); a weak new one
    raises WeakPassword. Nothing changes in either case.
    """
    with uow:
        user = _own_user(actor, uow)
    if not hasher.verify(user.password_hash, current):
        _refuse(actor, uow=uow, clock=clock)
    check_password(new, user.username, strength=strength, context=(user.display_name,))
    password_hash, now = hasher.hash(new), clock.now()
    with uow:
        uow.users.set_password(actor.user_id, password_hash, now)
        ended = uow.sessions.delete_for_user(actor.user_id, keep=session_hash) if sign_out_others else 0
        uow.audit.append(AuditEvent("password.changed", now, actor.user_id, actor.ip, "user", str(actor.user_id),
                                    after={"other_sessions_ended": ended}))
        uow.commit()
    return ended


def regenerate_recovery_codes(actor: Actor, *, uow: UnitOfWork, clock: Clock) -> list[str]:
    """A new set of 10 recovery codes after step-up; the old set stops working. Shown once, stored hashed."""
    require_fresh(actor)
    with uow:
        user = _own_user(actor, uow)
        if not user.totp_confirmed:
            raise NotFound()
        codes = new_recovery_codes(user, uow)
        uow.audit.append(AuditEvent("mfa.recovery_codes_regenerated", clock.now(), actor.user_id, actor.ip, "user",
                                    str(actor.user_id), after={"codes": len(codes)}))
        uow.commit()
    return codes


def _own_user(actor: Actor, uow: UnitOfWork) -> User:
    user = uow.users.get(actor.user_id)
    if user is None or not user.is_active:
        raise NotFound()
    return user


def _refuse(actor: Actor, *, uow: UnitOfWork, clock: Clock) -> None:
    now = clock.now()
    with uow:
        uow.audit.append(AuditEvent("password.change_refused", now, actor.user_id, actor.ip, "user",
                                    str(actor.user_id)))
        if uow.users.record_login_failure(actor.user_id, now, MAX_FAILURES, LOCK_FOR):
            uow.audit.append(AuditEvent("login.locked", now, actor.user_id, actor.ip, "user", str(actor.user_id)))
        uow.commit()
    raise InvalidCredentials()
