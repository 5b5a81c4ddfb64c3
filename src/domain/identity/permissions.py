"""What each role may do (RBAC) and how far it sees (record scope). Pure data."""

from dataclasses import dataclass, field
from enum import StrEnum


class Permission(StrEnum):
    CUSTOMER_READ = "customer.read"
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_UPDATE = "customer.update"
    CUSTOMER_ARCHIVE = "customer.archive"
    CUSTOMER_ASSIGN = "customer.assign"
    FOLLOWUP_CREATE = "followup.create"
    AUDIT_READ = "audit.read"
    USER_MANAGE = "user.manage"


class Scope(StrEnum):
    """How many records of an entity a role sees: its own, its department subtree's, or all."""

    OWN = "own"
    DEPARTMENT = "department"
    ALL = "all"


SCOPE_ORDER = {Scope.OWN: 0, Scope.DEPARTMENT: 1, Scope.ALL: 2}


@dataclass(frozen=True)
class Role:
    name: str
    permissions: frozenset[Permission]
    scopes: dict[str, Scope] = field(default_factory=dict)


_SALES = frozenset({Permission.CUSTOMER_READ, Permission.CUSTOMER_CREATE, Permission.CUSTOMER_UPDATE,
                    Permission.FOLLOWUP_CREATE})

ROLES: dict[str, Role] = {
    "administrator": Role("administrator", frozenset(Permission), {"customer": Scope.ALL}),
    "sales_manager": Role("sales_manager", _SALES | {Permission.CUSTOMER_ARCHIVE, Permission.CUSTOMER_ASSIGN},
                          {"customer": Scope.DEPARTMENT}),
    "sales_rep": Role("sales_rep", _SALES, {"customer": Scope.OWN}),
    "auditor": Role("auditor", frozenset({Permission.CUSTOMER_READ, Permission.AUDIT_READ}), {"customer": Scope.ALL}),
}


def permissions_of(role_names: frozenset[str]) -> frozenset[Permission]:
    """Union of the permissions of the named roles; unknown role names grant nothing."""
    granted: set[Permission] = set()
    for name in role_names:
        role = ROLES.get(name)
        if role:
            granted |= role.permissions
    return frozenset(granted)


def scope_of(role_names: frozenset[str], entity: str) -> Scope | None:
    """The widest scope any of the roles has on `entity`, or None (sees nothing)."""
    scopes = [ROLES[n].scopes[entity] for n in role_names if n in ROLES and entity in ROLES[n].scopes]
    return max(scopes, key=SCOPE_ORDER.__getitem__) if scopes else None
