"""SQL repositories for users, recovery codes, setup tokens and sessions."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Connection,
    Row,
    Select,
    TextualSelect,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)

from adapters.sqlalchemy.tables import (
    UtcDateTime,
    audit_events,
    auth_sessions,
    departments,
    recovery_codes,
    roles,
    setup_tokens,
    user_roles,
    user_tokens,
    users,
)
from domain.administration.models import ADMINISTRATOR, LinkPurpose, UserListQuery, UserStatus, UserSummary
from domain.identity.models import Actor, AuthSession, Stage, User
from domain.identity.permissions import SCOPE_ORDER, Permission, Scope
from domain.shared.paging import Page, decode_cursor, encode_cursor


def subtree(department_id: int | ColumnElement[int]) -> Select[Any]:
    """Ids of the department and every department below it (materialised path prefix)."""
    root = select(departments.c.path).where(departments.c.id == department_id).scalar_subquery()
    return select(departments.c.id).where(departments.c.path.startswith(root))


_USER_COLUMNS = [users.c.id, users.c.username, users.c.display_name, users.c.password_hash, users.c.department_id,
                 users.c.is_active, users.c.totp_secret, users.c.totp_confirmed, users.c.totp_last_step,
                 users.c.failed_logins, users.c.locked_until, users.c.created_at, users.c.version]


class SqlUserRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, user: User) -> int:
        user_id = self._db.execute(insert(users).values(_user_values(user)).returning(users.c.id)).scalar_one()
        self._write_roles(user_id, user.roles)
        return int(user_id)

    def get(self, user_id: int) -> User | None:
        return self._one(select(*_USER_COLUMNS).where(users.c.id == user_id))

    def get_by_username(self, username: str) -> User | None:
        return self._one(select(*_USER_COLUMNS).where(users.c.username == username))

    def administrator_exists(self) -> bool:
        found = select(users.c.id).join(user_roles, user_roles.c.user_id == users.c.id).where(
            user_roles.c.role == "administrator", users.c.is_active).limit(1)
        return self._db.execute(found).first() is not None

    # Each change is one targeted UPDATE, never a write-back of a whole row read earlier, so two
    # concurrent changes to one account (say, a password change and a disable) cannot undo each other.
    def set_active(self, user_id: int, active: bool) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(is_active=active))

    def rehash_password(self, user_id: int, old_hash: str, new_hash: str) -> None:
        self._db.execute(update(users).where(users.c.id == user_id, users.c.password_hash == old_hash)
                         .values(password_hash=new_hash))

    def set_pending_totp(self, user_id: int, sealed_secret: bytes) -> None:
        self._db.execute(update(users).where(users.c.id == user_id, users.c.totp_secret.is_(None),
                                             users.c.totp_confirmed.is_(False)).values(totp_secret=sealed_secret))

    def confirm_totp(self, user_id: int) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(totp_confirmed=True))

    def names(self, user_ids: set[int]) -> dict[int, str]:
        rows = self._db.execute(select(users.c.id, users.c.display_name).where(users.c.id.in_(user_ids)))
        return {row.id: row.display_name for row in rows}

    def active_user_names(self, department_id: int | None = None) -> list[tuple[int, str]]:
        statement = select(users.c.id, users.c.display_name).where(users.c.is_active).order_by(
            users.c.display_name, users.c.id)
        if department_id is not None:
            statement = statement.where(users.c.department_id.in_(subtree(department_id)))
        return [(row.id, row.display_name) for row in self._db.execute(statement)]

    def advance_totp_step(self, user_id: int, step: int) -> bool:
        result = self._db.execute(
            update(users).where(users.c.id == user_id)
            .where((users.c.totp_last_step.is_(None)) | (users.c.totp_last_step < step))
            .values(totp_last_step=step))
        return result.rowcount == 1

    def record_login_failure(self, user_id: int, at: datetime, limit: int, lock_for: timedelta) -> bool:
        failures = self._db.execute(
            update(users).where(users.c.id == user_id).values(failed_logins=users.c.failed_logins + 1)
            .returning(users.c.failed_logins)).scalar_one()
        if failures < limit:
            return False
        self._db.execute(update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=at + lock_for))
        return True

    def reset_login_failures(self, user_id: int) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=None))

    def replace_recovery_codes(self, user_id: int, code_hashes: list[str]) -> None:
        self._db.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
        self._db.execute(insert(recovery_codes), [{"user_id": user_id, "code_hash": h} for h in code_hashes])

    def use_recovery_code(self, user_id: int, code_hash: str, at: datetime) -> bool:
        result = self._db.execute(
            update(recovery_codes).where(recovery_codes.c.user_id == user_id, recovery_codes.c.code_hash == code_hash,
                                         recovery_codes.c.used_at.is_(None)).values(used_at=at))
        return result.rowcount == 1

    def remaining_recovery_codes(self, user_id: int) -> int:
        return int(self._db.execute(select(func.count()).select_from(recovery_codes).where(
            recovery_codes.c.user_id == user_id, recovery_codes.c.used_at.is_(None))).scalar_one())

    def set_password(self, user_id: int, password_hash: str, at: datetime) -> None:
        self._db.execute(update(users).where(users.c.id == user_id)
                         .values(password_hash=password_hash, password_changed_at=at))

    def department_name(self, department_id: int) -> str | None:
        return self._db.execute(select(departments.c.name).where(departments.c.id == department_id)).scalar()

    def role_names(self, role_keys: frozenset[str] | None = None) -> dict[str, str]:
        statement = select(roles.c.key, roles.c.name).order_by(roles.c.name)
        if role_keys is not None:
            statement = statement.where(roles.c.key.in_(role_keys))
        return {row.key: row.name for row in self._db.execute(statement)}

    def add_setup_token(self, token_hash: str, expires_at: datetime) -> None:
        self._db.execute(insert(setup_tokens).values(token_hash=token_hash, expires_at=expires_at))

    def consume_setup_token(self, token_hash: str, at: datetime) -> bool:
        result = self._db.execute(
            update(setup_tokens).where(setup_tokens.c.token_hash == token_hash, setup_tokens.c.used_at.is_(None),
                                       setup_tokens.c.expires_at > at).values(used_at=at))
        return result.rowcount == 1

    def search(self, query: UserListQuery, now: datetime) -> Page[UserSummary]:
        after, before = decode_cursor(query.after), decode_cursor(query.before)
        backwards = before is not None and after is None
        cursor = before if backwards else after
        statement = _user_filters(_USER_LIST, query, now)
        key = tuple_(users.c.display_name, users.c.id)
        if cursor is not None:
            bound = tuple_(literal(str(cursor[0] or "")), literal(cursor[1]))
            statement = statement.where(key < bound if backwards else key > bound)
        order = (users.c.display_name.desc(), users.c.id.desc()) if backwards else (users.c.display_name, users.c.id)
        rows = list(self._db.execute(statement.order_by(*order).limit(query.per_page + 1)))
        more = len(rows) > query.per_page
        rows = rows[: query.per_page][:: -1 if backwards else 1]
        held = self._roles_of([row.id for row in rows])
        items = [UserSummary(r.id, r.username, r.display_name, r.department_name, held.get(r.id, ()), r.is_active,
                             r.locked_until is not None and r.locked_until > now, r.totp_confirmed) for r in rows]
        if not items:
            return Page(items, None, None)
        first, last = encode_cursor((items[0].display_name, items[0].id)), encode_cursor((items[-1].display_name,
                                                                                           items[-1].id))
        has_next, has_prev = (cursor is not None, more) if backwards else (more, cursor is not None)
        return Page(items, last if has_next else None, first if has_prev else None)

    def update(self, user: User, expected_version: int) -> bool:
        result = self._db.execute(update(users).where(users.c.id == user.id, users.c.version == expected_version)
                                  .values(display_name=user.display_name, department_id=user.department_id,
                                          version=user.version))
        if result.rowcount != 1:
            return False
        assert user.id is not None
        self._write_roles(user.id, user.roles)
        return True

    def clear_mfa(self, user_id: int) -> None:
        self._db.execute(update(users).where(users.c.id == user_id).values(
            totp_secret=None, totp_confirmed=False, totp_last_step=None))
        self._db.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))

    def active_administrators(self) -> list[int]:
        # Row locks (PostgreSQL) make two administrators disabling each other take turns; SQLite
        # write transactions are serialised already.
        found = select(users.c.id).join(user_roles, user_roles.c.user_id == users.c.id).where(
            user_roles.c.role == ADMINISTRATOR, users.c.is_active).with_for_update()
        return list(self._db.execute(found).scalars())

    def last_sign_in(self, user_id: int) -> datetime | None:
        moment: datetime | None = self._db.execute(select(func.max(audit_events.c.occurred_at)).where(
            audit_events.c.entity_type == "user", audit_events.c.entity_id == str(user_id),
            audit_events.c.action == "login.succeeded")).scalar()
        return moment

    def add_link(self, token_hash: str, user_id: int, purpose: LinkPurpose, created_by: int, created_at: datetime,
                 expires_at: datetime) -> None:
        self._db.execute(delete(user_tokens).where(user_tokens.c.user_id == user_id,
                                                   user_tokens.c.purpose == purpose.value,
                                                   user_tokens.c.used_at.is_(None)))
        self._db.execute(insert(user_tokens).values(token_hash=token_hash, user_id=user_id, purpose=purpose.value,
                                                    created_by=created_by, created_at=created_at,
                                                    expires_at=expires_at))

    def live_link(self, token_hash: str, at: datetime) -> tuple[int, LinkPurpose] | None:
        row = self._db.execute(select(user_tokens.c.user_id, user_tokens.c.purpose).where(
            user_tokens.c.token_hash == token_hash, user_tokens.c.used_at.is_(None),
            user_tokens.c.expires_at > at)).first()
        return (row.user_id, LinkPurpose(row.purpose)) if row else None

    def consume_link(self, token_hash: str, at: datetime) -> bool:
        result = self._db.execute(update(user_tokens).where(
            user_tokens.c.token_hash == token_hash, user_tokens.c.used_at.is_(None),
            user_tokens.c.expires_at > at).values(used_at=at))
        return result.rowcount == 1

    def _roles_of(self, user_ids: list[int]) -> dict[int, tuple[str, ...]]:
        held: dict[int, list[str]] = {}
        rows = self._db.execute(select(user_roles.c.user_id, user_roles.c.role)
                                .where(user_roles.c.user_id.in_(user_ids)).order_by(user_roles.c.role))
        for row in rows:
            held.setdefault(row.user_id, []).append(row.role)
        return {user_id: tuple(keys) for user_id, keys in held.items()}

    def _one(self, statement: Any) -> User | None:
        row = self._db.execute(statement).first()
        return _to_user(row, self._roles(row.id)) if row else None

    def _roles(self, user_id: int) -> frozenset[str]:
        return frozenset(self._db.execute(select(user_roles.c.role).where(user_roles.c.user_id == user_id)).scalars())

    def _write_roles(self, user_id: int, roles: frozenset[str]) -> None:
        self._db.execute(delete(user_roles).where(user_roles.c.user_id == user_id))
        if roles:
            self._db.execute(insert(user_roles), [{"user_id": user_id, "role": r} for r in sorted(roles)])


_AGGREGATE = {"sqlite": "group_concat({}, ',')", "postgresql": "string_agg({}, ',')"}
_SCOPE_PAIR = "c.entity || ':' || c.scope"
_LOAD_SESSION: dict[str, TextualSelect] = {}


def _load_session(dialect: str) -> TextualSelect:
    """Session, user, roles and their grants in one prebuilt statement: this runs on every request,
    which is also why a role or permission change applies on the user's next request."""
    if dialect not in _LOAD_SESSION:
        agg = _AGGREGATE[dialect]
        _LOAD_SESSION[dialect] = text(
            "SELECT s.token_hash, s.user_id, s.stage, s.created_at, s.last_seen_at, s.ip, s.user_agent, "
            "s.code_failures, s.data, s.authenticated_at, u.username, u.display_name, u.department_id, u.is_active, "
            f"(SELECT {agg.format('r.role')} FROM user_roles r WHERE r.user_id = s.user_id) AS roles, "
            f"(SELECT {agg.format('p.permission')} FROM user_roles r "
            " JOIN role_permissions p ON p.role = r.role WHERE r.user_id = s.user_id) AS permissions, "
            f"(SELECT {agg.format(_SCOPE_PAIR)} FROM user_roles r "
            " JOIN role_scopes c ON c.role = r.role WHERE r.user_id = s.user_id) AS scopes "
            "FROM auth_sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash = :token_hash"
        ).columns(created_at=UtcDateTime, last_seen_at=UtcDateTime, authenticated_at=UtcDateTime, data=JSON,
                  is_active=Boolean)
    return _LOAD_SESSION[dialect]


def _grants(permissions: str | None, scopes: str | None) -> tuple[frozenset[Permission], dict[str, Scope]]:
    known = {p.value for p in Permission}
    granted = frozenset(Permission(p) for p in (permissions or "").split(",") if p in known)
    widest: dict[str, Scope] = {}
    for pair in (scopes or "").split(","):
        entity, _, value = pair.partition(":")
        if value in Scope.__members__.values() and (
                entity not in widest or SCOPE_ORDER[Scope(value)] > SCOPE_ORDER[widest[entity]]):
            widest[entity] = Scope(value)
    return granted, widest


class SqlSessionRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, session: AuthSession) -> None:
        self._db.execute(insert(auth_sessions).values(
            token_hash=session.token_hash, user_id=session.user_id, stage=session.stage.value,
            created_at=session.created_at, last_seen_at=session.last_seen_at, ip=session.ip,
            user_agent=session.user_agent, code_failures=session.code_failures, data=session.data,
            authenticated_at=session.authenticated_at))

    def load(self, token_hash: str) -> AuthSession | None:
        row = self._db.execute(_load_session(self._db.dialect.name), {"token_hash": token_hash}).first()
        if row is None:
            return None
        actor = None
        if row.user_id is not None and row.is_active:
            roles = frozenset(row.roles.split(",")) if row.roles else frozenset()
            permissions, scopes = _grants(row.permissions, row.scopes)
            actor = Actor(row.user_id, row.username, row.display_name, roles, row.department_id, row.ip,
                          permissions, scopes)
        return AuthSession(row.token_hash, Stage(row.stage), row.created_at, row.last_seen_at, row.user_id, row.ip,
                           row.user_agent, row.code_failures, dict(row.data or {}), actor, row.authenticated_at)

    def delete(self, token_hash: str) -> None:
        self._db.execute(delete(auth_sessions).where(auth_sessions.c.token_hash == token_hash))

    def touch(self, token_hash: str, at: datetime) -> None:
        self._db.execute(update(auth_sessions).where(auth_sessions.c.token_hash == token_hash).values(last_seen_at=at))

    def save_data(self, token_hash: str, data: dict[str, Any]) -> None:
        self._db.execute(update(auth_sessions).where(auth_sessions.c.token_hash == token_hash).values(data=data))

    def rekey(self, token_hash: str, new_hash: str) -> None:
        self._db.execute(update(auth_sessions).where(auth_sessions.c.token_hash == token_hash)
                         .values(token_hash=new_hash))

    def mark_authenticated(self, token_hash: str, at: datetime) -> None:
        self._db.execute(update(auth_sessions).where(auth_sessions.c.token_hash == token_hash)
                         .values(authenticated_at=at))

    def count_code_failure(self, token_hash: str) -> int:
        count = self._db.execute(
            update(auth_sessions).where(auth_sessions.c.token_hash == token_hash)
            .values(code_failures=auth_sessions.c.code_failures + 1).returning(auth_sessions.c.code_failures)
        ).scalar_one_or_none()
        return int(count or 0)

    def delete_idle(self, before: datetime) -> int:
        return self._db.execute(delete(auth_sessions).where(auth_sessions.c.last_seen_at < before)).rowcount

    def for_user(self, user_id: int) -> list[AuthSession]:
        rows = self._db.execute(select(auth_sessions).where(auth_sessions.c.user_id == user_id)
                                .order_by(auth_sessions.c.last_seen_at.desc(), auth_sessions.c.token_hash))
        return [AuthSession(row.token_hash, Stage(row.stage), row.created_at, row.last_seen_at, row.user_id, row.ip,
                            row.user_agent, row.code_failures, {}, None, row.authenticated_at) for row in rows]

    def delete_for_user(self, user_id: int, keep: str | None = None) -> int:
        statement = delete(auth_sessions).where(auth_sessions.c.user_id == user_id)
        if keep is not None:
            statement = statement.where(auth_sessions.c.token_hash != keep)
        return self._db.execute(statement).rowcount
    def count_for_user(self, user_id: int) -> int:
        return int(self._db.execute(select(func.count()).select_from(auth_sessions).where(
            auth_sessions.c.user_id == user_id, auth_sessions.c.stage == Stage.FULL.value)).scalar_one())


_USER_LIST = select(users.c.id, users.c.username, users.c.display_name, departments.c.name.label("department_name"),
                    users.c.is_active, users.c.locked_until, users.c.totp_confirmed
                    ).outerjoin(departments, departments.c.id == users.c.department_id)


def _user_filters(statement: Select[Any], query: UserListQuery, now: datetime) -> Select[Any]:
    if query.text:
        statement = statement.where(or_(users.c.username.icontains(query.text, autoescape=True),
                                        users.c.display_name.icontains(query.text, autoescape=True)))
    if query.department_id is not None:
        statement = statement.where(users.c.department_id.in_(subtree(query.department_id)))
    if query.role:
        statement = statement.where(users.c.id.in_(select(user_roles.c.user_id).where(user_roles.c.role == query.role)))
    if query.status is UserStatus.ACTIVE:
        statement = statement.where(users.c.is_active)
    elif query.status is UserStatus.DISABLED:
        statement = statement.where(users.c.is_active.is_(False))
    elif query.status is UserStatus.LOCKED:
        statement = statement.where(users.c.locked_until > now)
    return statement


def _user_values(user: User) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "password_hash": user.password_hash,
            "department_id": user.department_id, "is_active": user.is_active, "totp_secret": user.totp_secret,
            "totp_confirmed": user.totp_confirmed, "totp_last_step": user.totp_last_step,
            "failed_logins": user.failed_logins, "locked_until": user.locked_until, "created_at": user.created_at}


def _to_user(row: Row[Any], roles: frozenset[str]) -> User:
    return User(row.id, row.username, row.display_name, row.password_hash, roles, row.created_at, row.department_id,
                row.is_active, row.totp_secret, row.totp_confirmed, row.totp_last_step, row.failed_logins,
                row.locked_until, row.version)
