"""Role administration: the permission matrix, custom roles and record scopes per role.

Every change is sensitive (permission + step-up) and audited with the grants before and after.
Grants apply on each holder's next request, because the session loader reads them every time.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from domain.administration.role_models import RoleLocked, StoredRole
from domain.audit.models import AuditEvent, Values
from domain.identity.access import require, require_sensitive
from domain.identity.models import Actor
from domain.identity.permissions import ENTITIES, Permission, Role, Scope
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

KEY = re.compile(r"[a-z][a-z0-9_]{2,49}")
NO_SCOPE = "none"
ADMINISTRATOR = "administrator"
# The administrator role keeps these, so nobody can lock the company out of its own back office.
ADMINISTRATOR_KEEPS = frozenset({Permission.ROLE_MANAGE, Permission.USER_MANAGE})
Grants = tuple[frozenset[Permission], dict[str, Scope]]


def list_roles(*, actor: Actor, uow: UnitOfWork) -> list[StoredRole]:
    """Every role with its grants and holder count: the columns of the permission matrix."""
    require(actor, Permission.ROLE_MANAGE)
    with uow:
        return uow.roles.all()


def get_role(key: str, *, actor: Actor, uow: UnitOfWork) -> StoredRole:
    """One role with its grants; NotFound if there is no such role."""
    require(actor, Permission.ROLE_MANAGE)
    with uow:
        return _existing(key, uow)


def parse_grants(permissions: Iterable[str], scopes: Mapping[str, str]) -> Grants:
    """Permissions and per-entity scopes from form values; anything unknown is refused, not ignored."""
    errors = _grant_errors(permissions, scopes)
    if errors:
        raise ValidationFailed(errors)
    granted = frozenset(Permission(p) for p in permissions)
    return granted, {entity: Scope(value) for entity, value in scopes.items() if value != NO_SCOPE}


def create_role(
    key: str, name: str, permissions: Iterable[str], scopes: Mapping[str, str], *, actor: Actor, uow: UnitOfWork,
    clock: Clock,
) -> StoredRole:
    """Add a custom role; its key is unique, lower-case and permanent."""
    require_sensitive(actor, Permission.ROLE_MANAGE)
    key, name, permissions = key.strip(), name.strip(), list(permissions)
    errors = _name_errors(name) | _grant_errors(permissions, scopes)
    if not KEY.fullmatch(key):
        errors["key"] = "role.key_invalid"
    if errors:
        raise ValidationFailed(errors)
    role = Role(key, name, *parse_grants(permissions, scopes))
    with uow:
        if uow.roles.get(key) is not None:
            raise ValidationFailed({"key": "role.key_taken"})
        uow.roles.add(role)
        uow.audit.append(_event("role.created", key, actor, clock.now(), after=grant_values(role)))
        uow.commit()
    return StoredRole(role)


def update_role(
    key: str, name: str | None, permissions: Iterable[str], scopes: Mapping[str, str], expected_version: int, *,
    actor: Actor, uow: UnitOfWork, clock: Clock,
) -> StoredRole:
    """Save a role's name (None keeps it; custom roles only) and all its grants, as edited on `expected_version`."""
    require_sensitive(actor, Permission.ROLE_MANAGE)
    grants = parse_grants(list(permissions), scopes)
    with uow:
        stored = _current(key, expected_version, uow)
        role = _changed(stored.role, name, grants)
        if role == stored.role:
            return stored
        if not uow.roles.update(role, expected_version):
            raise StaleVersion(_existing(key, uow).version)
        uow.audit.append(_event("role.updated", key, actor, clock.now(), grant_values(stored.role),
                                grant_values(role)))
        uow.commit()
    return StoredRole(role, expected_version + 1, stored.holders)


def delete_role(key: str, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> None:
    """Delete a custom role that no user holds; builtin roles stay."""
    require_sensitive(actor, Permission.ROLE_MANAGE)
    with uow:
        stored = _current(key, expected_version, uow)
        if stored.role.builtin:
            raise RoleLocked("role.builtin")
        if stored.holders:
            raise RoleLocked("role.in_use")
        uow.roles.delete(key)
        uow.audit.append(_event("role.deleted", key, actor, clock.now(), before=grant_values(stored.role)))
        uow.commit()


def grant_values(role: Role) -> Values:
    """A role's name and grants as plain, sorted values for the audit trail."""
    return {"name": role.name, "permissions": sorted(p.value for p in role.permissions),
            "scopes": {entity: role.scopes[entity].value for entity in sorted(role.scopes)}}


def _changed(role: Role, name: str | None, grants: Grants) -> Role:
    permissions, scopes = grants
    name = role.name if name is None else name.strip()
    errors = _name_errors(name)
    if role.builtin and name != role.name:
        errors["name"] = "role.builtin_name"
    if role.key == ADMINISTRATOR and not permissions >= ADMINISTRATOR_KEEPS:
        errors["permissions"] = "role.administrator_keeps"
    if errors:
        raise ValidationFailed(errors)
    return Role(role.key, name, permissions, scopes, role.builtin)


def _grant_errors(permissions: Iterable[str], scopes: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not set(permissions) <= {p.value for p in Permission}:
        errors["permissions"] = "permission.unknown"
    allowed = {s.value for s in Scope} | {NO_SCOPE}
    if not set(scopes) <= set(ENTITIES) or not set(scopes.values()) <= allowed:
        errors["scopes"] = "scope.unknown"
    return errors


def _name_errors(name: str) -> dict[str, str]:
    if not name:
        return {"name": "required"}
    return {"name": "too_long"} if len(name) > 100 else {}


def _existing(key: str, uow: UnitOfWork) -> StoredRole:
    stored = uow.roles.get(key)
    if stored is None:
        raise NotFound()
    return stored


def _current(key: str, expected_version: int, uow: UnitOfWork) -> StoredRole:
    stored = _existing(key, uow)
    if stored.version != expected_version:
        raise StaleVersion(stored.version)
    return stored


def _event(action: str, key: str, actor: Actor, now: datetime, before: Values | None = None,
           after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "role", key, before, after)
