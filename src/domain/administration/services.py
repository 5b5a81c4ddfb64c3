"""User administration: list, create, edit, disable and enable, unlock, password reset and MFA reset.

Each use case checks `user.manage` here (deny by default) and audits in the same transaction.
Segregation of duties: administrators cannot change their own roles, disable themselves or reset
their own password or second factor through these screens, and the last active administrator stays.
"""

import secrets
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

from domain.administration.errors import AlreadyActivated, LastAdministrator, SelfAdministration
from domain.administration.models import (
    ADMINISTRATOR,
    UNUSABLE_PASSWORD,
    IssuedLink,
    LinkPurpose,
    UserListQuery,
    UserSummary,
    ordered_tree,
)
from domain.audit.models import AuditEvent, Values, changed_values
from domain.identity.access import require, require_fresh
from domain.identity.models import Actor, User
from domain.identity.passwords import check_username
from domain.identity.permissions import Permission
from domain.identity.sessions import hash_token
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

MANAGE = Permission.USER_MANAGE


@dataclass(frozen=True)
class Choices:
    """What the user forms and filters offer: departments in tree order (indented) and roles."""

    departments: list[tuple[int, str]]
    roles: dict[str, str]


@dataclass(frozen=True)
class UserList:
    page: Page[UserSummary]
    choices: Choices


@dataclass(frozen=True)
class UserDetail:
    user: User
    department_name: str | None
    role_names: dict[str, str]
    last_sign_in: datetime | None
    sessions: int
    locked: bool

    @property
    def activated(self) -> bool:
        return self.user.password_hash != UNUSABLE_PASSWORD


def list_users(query: UserListQuery, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> UserList:
    """One keyset page of users with the filter choices."""
    require(actor, MANAGE)
    with uow:
        return UserList(uow.users.search(query, clock.now()), _choices(uow))


def user_choices(*, actor: Actor, uow: UnitOfWork) -> Choices:
    """Departments and roles a user may be given."""
    require(actor, MANAGE)
    with uow:
        return _choices(uow)


def get_user(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> UserDetail:
    """A user with department, roles, last sign-in and live sessions; NotFound if there is none."""
    require(actor, MANAGE)
    with uow:
        user = _user(user_id, uow)
        department = uow.departments.get(user.department_id) if user.department_id else None
        roles = uow.users.role_names()
        return UserDetail(user, department.name if department else None,
                          {key: roles.get(key, key) for key in sorted(user.roles)},
                          uow.users.last_sign_in(user_id), uow.sessions.count_for_user(user_id),
                          user.is_locked(clock.now()))


def create_user(
    username: str, display_name: str, department_id: str, roles: Collection[str], *, actor: Actor, uow: UnitOfWork,
    clock: Clock,
) -> IssuedLink:
    """Create an account without a password and issue its activation link (roles need step-up)."""
    require(actor, MANAGE)
    require_fresh(actor)
    now = clock.now()
    with uow:
        name, profile = _new_user_fields(username, display_name, department_id, roles, uow)
        user = User(None, name, profile[0], UNUSABLE_PASSWORD, profile[2], now, profile[1])
        user.id = uow.users.add(user)
        uow.audit.append(_event("user.created", user.id, actor, now, after={"username": name} | _values(user)))
        link = _issue(user, LinkPurpose.ACTIVATION, actor, uow, now)
        uow.commit()
    return link


def update_user(
    user_id: int, display_name: str, department_id: str, roles: Collection[str], expected_version: int, *,
    actor: Actor, uow: UnitOfWork, clock: Clock,
) -> User:
    """Save display name, department and roles made on `expected_version`; a role change needs step-up."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _user(user_id, uow)
        name, department, new_roles = _profile(display_name, department_id, roles, uow, {})
        if user.version != expected_version:
            raise StaleVersion(user.version)
        updated = replace(user, display_name=name, department_id=department, roles=new_roles, version=user.version + 1)
        before, after = changed_values(_values(user), _values(updated))
        if not after:
            return user
        if new_roles != user.roles:
            _check_role_change(user, new_roles, actor, uow)
        if not uow.users.update(updated, expected_version):
            raise StaleVersion(expected_version + 1)
        uow.audit.append(_event("user.updated", user_id, actor, now, before, after))
        uow.commit()
    return updated


def disable_user(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> User:
    """Disable an account and end all its sessions at once."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _other_user(user_id, actor, uow, "user.disable.self")
        if not user.is_active:
            return user
        if ADMINISTRATOR in user.roles:
            _keep_an_administrator(user, uow)
        user.is_active = False
        uow.users.set_active(user_id, False)
        ended = uow.sessions.delete_for_user(user_id)
        uow.audit.append(_event("user.disabled", user_id, actor, now, {"is_active": True},
                                {"is_active": False, "sessions_ended": ended}))
        uow.commit()
    return user


def enable_user(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> User:
    """Let a disabled account sign in again."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _user(user_id, uow)
        if user.is_active:
            return user
        user.is_active = True
        uow.users.set_active(user_id, True)
        uow.audit.append(_event("user.enabled", user_id, actor, now, {"is_active": False}, {"is_active": True}))
        uow.commit()
    return user


def unlock_user(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> User:
    """Clear failed sign-ins and the lockout they caused."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _user(user_id, uow)
        if user.locked_until is None and not user.failed_logins:
            return user
        uow.users.reset_login_failures(user_id)
        before = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
        uow.audit.append(_event("user.unlocked", user_id, actor, now, before, {"failed_logins": 0}))
        uow.commit()
    return replace(user, locked_until=None, failed_logins=0)


def reset_password(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> IssuedLink:
    """Make the password unusable, end all sessions and issue a reset link (sign-in still needs TOTP)."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _other_user(user_id, actor, uow, "user.reset_password.self")
        require_fresh(actor)
        uow.users.set_password(user_id, UNUSABLE_PASSWORD, now)
        ended = uow.sessions.delete_for_user(user_id)
        uow.audit.append(_event("user.password_reset", user_id, actor, now, after={"sessions_ended": ended}))
        link = _issue(user, LinkPurpose.RESET, actor, uow, now)
        uow.commit()
    return link


def reissue_activation(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> IssuedLink:
    """A new activation link for an account that was never activated; the previous one stops working."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _user(user_id, uow)
        if user.password_hash != UNUSABLE_PASSWORD:
            raise AlreadyActivated()
        link = _issue(user, LinkPurpose.ACTIVATION, actor, uow, now)
        uow.commit()
    return link


def reset_mfa(user_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> User:
    """Forget the user's TOTP and recovery codes and end their sessions: they enrol again at next sign-in."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        user = _other_user(user_id, actor, uow, "user.reset_mfa.self")
        require_fresh(actor)
        uow.users.clear_mfa(user_id)
        ended = uow.sessions.delete_for_user(user_id)
        uow.audit.append(_event("user.mfa_reset", user_id, actor, now, {"mfa_enrolled": user.totp_confirmed},
                                {"mfa_enrolled": False, "sessions_ended": ended}))
        uow.commit()
    return replace(user, totp_secret=None, totp_confirmed=False, totp_last_step=None)


def _user(user_id: int, uow: UnitOfWork) -> User:
    user = uow.users.get(user_id)
    if user is None:
        raise NotFound()
    return user


def _other_user(user_id: int, actor: Actor, uow: UnitOfWork, refusal: str) -> User:
    user = _user(user_id, uow)
    if user.id == actor.user_id:
        raise SelfAdministration(refusal)
    return user


def _check_role_change(user: User, roles: frozenset[str], actor: Actor, uow: UnitOfWork) -> None:
    if user.id == actor.user_id:
        raise SelfAdministration("user.roles.self")
    require_fresh(actor)
    if user.is_active and ADMINISTRATOR in user.roles and ADMINISTRATOR not in roles:
        _keep_an_administrator(user, uow)


def _keep_an_administrator(user: User, uow: UnitOfWork) -> None:
    if not set(uow.users.active_administrators()) - {user.id}:
        raise LastAdministrator()


def _new_user_fields(
    username: str, display_name: str, department_id: str, roles: Collection[str], uow: UnitOfWork
) -> tuple[str, tuple[str, int, frozenset[str]]]:
    errors: dict[str, str] = {}
    try:
        name = check_username(username)
    except ValidationFailed as error:
        name, errors = "", error.errors
    if name and uow.users.get_by_username(name) is not None:
        errors["username"] = "username.taken"
    return name, _profile(display_name, department_id, roles, uow, errors)


def _profile(
    display_name: str, department_id: str, roles: Collection[str], uow: UnitOfWork, errors: dict[str, str]
) -> tuple[str, int, frozenset[str]]:
    """Validated (display name, department id, roles); raises ValidationFailed with every field's error."""
    name = " ".join(display_name.split())
    if not name or len(name) > 100:
        errors["display_name"] = "too_long" if name else "required"
    department = int(department_id) if department_id.isdigit() and len(department_id) < 10 else None
    if department is None or uow.departments.get(department) is None:
        errors["department_id"] = "choice.invalid" if department_id else "required"
    chosen = frozenset(roles)
    if not chosen or not chosen <= uow.users.role_names().keys():
        errors["roles"] = "roles.required" if not chosen else "choice.invalid"
    if errors:
        raise ValidationFailed(errors)
    return name, department or 0, chosen


def _choices(uow: UnitOfWork) -> Choices:
    departments = [(d.id or 0, "— " * d.depth + d.name) for d in ordered_tree(uow.departments.all())]
    return Choices(departments, uow.users.role_names())


def _issue(user: User, purpose: LinkPurpose, actor: Actor, uow: UnitOfWork, now: datetime) -> IssuedLink:
    assert user.id is not None
    token = secrets.token_urlsafe(32)  # 32 random bytes; only its SHA-256 is stored
    expires = now + purpose.lifetime
    uow.users.add_link(hash_token(token), user.id, purpose, actor.user_id, now, expires)
    uow.audit.append(_event("user.link_issued", user.id, actor, now,
                            after={"purpose": purpose.value, "expires_at": expires}))
    return IssuedLink(user.id, user.username, purpose, token, expires)


def _values(user: User) -> Values:
    return {"display_name": user.display_name, "department_id": user.department_id, "roles": sorted(user.roles)}


def _event(action: str, user_id: int, actor: Actor, now: datetime, before: Values | None = None,
           after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "user", str(user_id), before, after)
