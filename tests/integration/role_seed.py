"""Put the roles back as migration 0002 seeded them, after tests that edit or add roles."""

from sqlalchemy import Connection, delete, insert, update

from adapters.sqlalchemy.tables import role_permissions, role_scopes, roles
from domain.identity.permissions import DEFAULT_ROLES


def restore_roles(connection: Connection) -> None:
    """Drop custom roles and reset the builtin ones' names, grants and versions (user_roles must be empty)."""
    connection.execute(delete(roles).where(roles.c.builtin.is_(False)))
    connection.execute(delete(role_permissions))
    connection.execute(delete(role_scopes))
    for role in DEFAULT_ROLES.values():
        connection.execute(update(roles).where(roles.c.key == role.key).values(name=role.name, version=1))
    connection.execute(insert(role_permissions), [{"role": r.key, "permission": p.value}
                                                  for r in DEFAULT_ROLES.values() for p in r.permissions])
    connection.execute(insert(role_scopes), [{"role": r.key, "entity": e, "scope": s.value}
                                             for r in DEFAULT_ROLES.values() for e, s in r.scopes.items()])
