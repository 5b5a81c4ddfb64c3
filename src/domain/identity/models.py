"""Users, authenticated actors and server-side sessions."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.identity.permissions import Permission, Scope, default_grants


@dataclass
class User:
    id: int | None
    username: str
    display_name: str
    password_hash: str
    roles: frozenset[str]
    created_at: datetime
    department_id: int | None = None
    is_active: bool = True
    totp_secret: bytes | None = None  # encrypted by the SecretCipher port, never clear text
    totp_confirmed: bool = False
    totp_last_step: int | None = None
    failed_logins: int = 0
    locked_until: datetime | None = None
    version: int = 1  # optimistic lock of the administrator's edit form

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


@dataclass(frozen=True)
class Actor:
    """The authenticated user behind a request, with the facts access decisions need.

    `permissions` and `scopes` are the union of the user's roles as stored, loaded on every request,
    so a role change applies on the next request. Left out, they come from the default roles
    (tests and fakes). `fresh` says the user proved password + TOTP within the step-up window.
    """

    user_id: int
    username: str
    display_name: str
    roles: frozenset[str]
    department_id: int | None
    ip: str | None = None
    permissions: frozenset[Permission] = None  # type: ignore[assignment]
    scopes: dict[str, Scope] = None  # type: ignore[assignment]
    fresh: bool = False

    def __post_init__(self) -> None:
        if self.permissions is None or self.scopes is None:
            permissions, scopes = default_grants(self.roles)
            object.__setattr__(self, "permissions", permissions if self.permissions is None else self.permissions)
            object.__setattr__(self, "scopes", scopes if self.scopes is None else self.scopes)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def scope(self, entity: str) -> Scope | None:
        return self.scopes.get(entity)


class Stage(StrEnum):
    """How far a session has authenticated. Only FULL reaches anything behind the login."""

    ANONYMOUS = "anonymous"
    PASSWORD = "password"
    FULL = "full"


@dataclass(frozen=True)
class SessionPolicy:
    """Session lifetimes; the defaults follow ASVS L2 (30 min idle, 12 h absolute)."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    password_step: timedelta = timedelta(minutes=5)
    touch_every: timedelta = timedelta(minutes=1)
    max_code_failures: int = 5
    step_up: timedelta = timedelta(minutes=15)  # sensitive actions need password + TOTP this recently


@dataclass
class AuthSession:
    """A server-side session; the browser holds only the random token whose hash is `token_hash`."""

    token_hash: str
    stage: Stage
    created_at: datetime
    last_seen_at: datetime
    user_id: int | None = None
    ip: str | None = None
    user_agent: str | None = None
    code_failures: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    actor: Actor | None = None
    authenticated_at: datetime | None = None  # last full sign-in or step-up (password + TOTP)

    def is_fresh(self, now: datetime, policy: SessionPolicy) -> bool:
        return self.authenticated_at is not None and now - self.authenticated_at <= policy.step_up

    def is_expired(self, now: datetime, policy: SessionPolicy) -> bool:
        if now - self.last_seen_at > policy.idle or now - self.created_at > policy.absolute:
            return True
        return self.stage is Stage.PASSWORD and now - self.created_at > policy.password_step

    def needs_touch(self, now: datetime, policy: SessionPolicy) -> bool:
        return now - self.last_seen_at >= policy.touch_every


@dataclass(frozen=True)
class SessionSummary:
    """A signed-in session as its owner or an administrator sees it; `public_id` is not the token hash."""

    public_id: str
    created_at: datetime
    last_seen_at: datetime
    ip: str | None
    user_agent: str | None
    current: bool


@dataclass(frozen=True)
class AccountOverview:
    """What the "My account" page shows about the signed-in user."""

    user: User
    department: str | None
    roles: list[str]
    recovery_codes_left: int


@dataclass(frozen=True)
class Enrolment:
    """What the TOTP enrolment page shows: the secret and its provisioning URI."""

    secret: str
    uri: str
