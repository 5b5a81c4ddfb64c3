"""SQL repository for roles and their grants (role_permissions, role_scopes) and who holds them (user_roles)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from adapters.sqlalchemy.identity import _grants
from adapters.sqlalchemy.tables import departments, role_permissions, role_scopes, roles, user_roles, users
from domain.administration.role_models import StoredRole
from domain.identity.models import Actor
from domain.identity.permissions import Permission, Role, Scope

_KNOWN_PERMISSIONS = {p.value for p in Permission}
_KNOWN_SCOPES = {s.value for s in Scope}


class SqlRoleRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def all(self) -> list[StoredRole]:
        rows = list(self._db.execute(select(roles).order_by(roles.c.builtin.desc(), roles.c.key)))
        counted = self._db.execute(select(user_roles.c.role, func.count()).group_by(user_roles.c.role))
        holders: dict[str, int] = {key: int(count) for key, count in counted}
        built = self._roles(rows)
        return [StoredRole(role, row.version, holders.get(row.key, 0)) for role, row in zip(built, rows, strict=True)]

    def get(self, key: str) -> StoredRole | None:
        row = self._db.execute(select(roles).where(roles.c.key == key)).first()
        if row is None:
            return None
        holders = self._db.execute(select(func.count()).where(user_roles.c.role == key)).scalar_one()
        return StoredRole(self._roles([row])[0], row.version, int(holders))

    def named(self, keys: Iterable[str]) -> list[Role]:
        return self._roles(list(self._db.execute(select(roles).where(roles.c.key.in_(list(keys)))
                                                 .order_by(roles.c.key))))

    def add(self, role: Role) -> None:
        self._db.execute(insert(roles).values(key=role.key, name=role.name, builtin=role.builtin, version=1))
        self._write_grants(role)

    def update(self, role: Role, expected_version: int) -> bool:
        result = self._db.execute(update(roles).where(roles.c.key == role.key, roles.c.version == expected_version)
                                  .values(name=role.name, version=roles.c.version + 1))
        if result.rowcount != 1:
            return False
        self._db.execute(delete(role_permissions).where(role_permissions.c.role == role.key))
        self._db.execute(delete(role_scopes).where(role_scopes.c.role == role.key))
        self._write_grants(role)
        return True

    def delete(self, key: str) -> None:
        self._db.execute(delete(roles).where(roles.c.key == key))  # grants go with it (ON DELETE CASCADE)

    def actor_of(self, user_id: int) -> Actor | None:
        user = self._db.execute(select(users.c.username, users.c.display_name, users.c.department_id).where(
            users.c.id == user_id, users.c.is_active)).first()
        if user is None:
            return None
        held = user_roles.c.user_id == user_id
        keys = frozenset(self._db.execute(select(user_roles.c.role).where(held)).scalars())
        permissions = self._db.execute(select(role_permissions.c.permission).join(
            user_roles, user_roles.c.role == role_permissions.c.role).where(held)).scalars()
        scopes = self._db.execute(select(role_scopes.c.entity + ":" + role_scopes.c.scope).join(
            user_roles, user_roles.c.role == role_scopes.c.role).where(held)).scalars()
        granted, widest = _grants(",".join(permissions), ",".join(scopes))  # the session loader's own reading
        return Actor(user_id, user.username, user.display_name, keys, user.department_id, None, granted, widest)

    def department_name(self, department_id: int | None) -> str | None:
        if department_id is None:
            return None
        return self._db.execute(select(departments.c.name).where(departments.c.id == department_id)).scalar()

    def _roles(self, rows: list[Row[Any]]) -> list[Role]:
        keys = [row.key for row in rows]
        permissions: dict[str, set[Permission]] = defaultdict(set)
        for key, permission in self._db.execute(select(role_permissions).where(role_permissions.c.role.in_(keys))):
            if permission in _KNOWN_PERMISSIONS:
                permissions[key].add(Permission(permission))
        scopes: dict[str, dict[str, Scope]] = defaultdict(dict)
        for key, entity, scope in self._db.execute(select(role_scopes).where(role_scopes.c.role.in_(keys))):
            if scope in _KNOWN_SCOPES:
                scopes[key][entity] = Scope(scope)
        return [Role(row.key, row.name, frozenset(permissions[row.key]), scopes[row.key], row.builtin) for row in rows]

    def _write_grants(self, role: Role) -> None:
        if role.permissions:
            self._db.execute(insert(role_permissions), [{"role": role.key, "permission": p.value}
                                                        for p in sorted(role.permissions)])
        if role.scopes:
            self._db.execute(insert(role_scopes), [{"role": role.key, "entity": e, "scope": s.value}
                                                   for e, s in sorted(role.scopes.items())])
