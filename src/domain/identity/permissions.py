"""What a role may do (RBAC) and how far it sees (record scope). Pure data.

Roles live in the database (seeded by migration 0002 from DEFAULT_ROLES, editable by
administrators); an Actor carries the union of its roles' grants, loaded on every request.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Permission(StrEnum):
    CUSTOMER_READ = "customer.read"
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_UPDATE = "customer.update"
    CUSTOMER_ARCHIVE = "customer.archive"
    CUSTOMER_ASSIGN = "customer.assign"
    CUSTOMER_REVEAL = "customer.reveal"
    FOLLOWUP_CREATE = "followup.create"
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"
    USER_MANAGE = "user.manage"
    DEPARTMENT_MANAGE = "department.manage"
    ROLE_MANAGE = "role.manage"
    SESSION_MANAGE = "session.manage"

    @property
    def module(self) -> str:
        return MODULE_OF[self.value.split(".")[0]]


MODULE_OF = {"customer": "customers", "followup": "customers", "audit": "audit", "user": "administration",
             "department": "administration", "role": "administration", "session": "administration"}
MODULES = ("customers", "administration", "audit")


class Scope(StrEnum):
    """How many records of an entity a role sees: its own, its department subtree's, or all."""

    OWN = "own"
    DEPARTMENT = "department"
    ALL = "all"


SCOPE_ORDER = {Scope.OWN: 0, Scope.DEPARTMENT: 1, Scope.ALL: 2}
ENTITIES = ("customer",)  # entities with record rules; each later module adds its own


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    permissions: frozenset[Permission]
    scopes: Mapping[str, Scope] = field(default_factory=dict)
    builtin: bool = False


_SALES = frozenset({Permission.CUSTOMER_READ, Permission.CUSTOMER_CREATE, Permission.CUSTOMER_UPDATE,
                    Permission.CUSTOMER_REVEAL, Permission.FOLLOWUP_CREATE})

DEFAULT_ROLES: dict[str, Role] = {role.key: role for role in (
    Role("administrator", "Administrator", frozenset(Permission), {"customer": Scope.ALL}, True),
    Role("sales_manager", "Sales manager", _SALES | {Permission.CUSTOMER_ARCHIVE, Permission.CUSTOMER_ASSIGN},
         {"customer": Scope.DEPARTMENT}, True),
    Role("sales_rep", "Sales rep", _SALES, {"customer": Scope.OWN}, True),
    Role("buyer", "Buyer", frozenset(), {}, True),
    Role("procurement_manager", "Procurement manager", frozenset(), {}, True),
    Role("employee", "Employee", frozenset(), {}, True),
    Role("finance", "Finance", frozenset({Permission.CUSTOMER_READ}), {"customer": Scope.ALL}, True),
    Role("auditor", "Auditor", frozenset({Permission.CUSTOMER_READ, Permission.AUDIT_READ, Permission.AUDIT_EXPORT}),
         {"customer": Scope.ALL}, True),
)}


def combined_permissions(roles: Iterable[Role]) -> frozenset[Permission]:
    """Union of the permissions of `roles`."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= role.permissions
    return frozenset(granted)


def combined_scopes(roles: Iterable[Role]) -> dict[str, Scope]:
    """Per entity, the widest scope any of `roles` grants; entities absent are not visible at all."""
    widest: dict[str, Scope] = {}
    for role in roles:
        for entity, scope in role.scopes.items():
            if entity not in widest or SCOPE_ORDER[scope] > SCOPE_ORDER[widest[entity]]:
                widest[entity] = scope
    return widest


def default_grants(role_keys: Iterable[str]) -> tuple[frozenset[Permission], dict[str, Scope]]:
    """The grants of the named default roles (tests and fakes; the app reads roles from the database)."""
    roles = [DEFAULT_ROLES[key] for key in role_keys if key in DEFAULT_ROLES]
    return combined_permissions(roles), combined_scopes(roles)
