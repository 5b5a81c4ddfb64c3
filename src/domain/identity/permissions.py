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
    CUSTOMER_EXPORT = "customer.export"
    CUSTOMER_IMPORT = "customer.import"
    CUSTOMER_MERGE = "customer.merge"
    FOLLOWUP_CREATE = "followup.create"
    CONTRACT_READ = "contract.read"
    CONTRACT_CREATE = "contract.create"
    CONTRACT_UPDATE = "contract.update"
    CONTRACT_TERMINATE = "contract.terminate"
    APPROVAL_RULES = "approval.rules"
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"
    USER_MANAGE = "user.manage"
    DEPARTMENT_MANAGE = "department.manage"
    ROLE_MANAGE = "role.manage"
    SESSION_MANAGE = "session.manage"

    @property
    def module(self) -> str:
        return MODULE_OF[self.value.split(".")[0]]


MODULE_OF = {"customer": "customers", "followup": "customers", "contract": "contracts", "approval": "approvals",
             "audit": "audit", "user": "administration", "department": "administration", "role": "administration",
             "session": "administration"}
MODULES = ("customers", "contracts", "approvals", "administration", "audit")


class Scope(StrEnum):
    """How many records of an entity a role sees: its own, its department subtree's, or all."""

    OWN = "own"
    DEPARTMENT = "department"
    ALL = "all"


SCOPE_ORDER = {Scope.OWN: 0, Scope.DEPARTMENT: 1, Scope.ALL: 2}
ENTITIES = ("customer", "contract")  # entities with record rules; each later module adds its own


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    permissions: frozenset[Permission]
    scopes: Mapping[str, Scope] = field(default_factory=dict)
    builtin: bool = False


_SALES = frozenset({Permission.CUSTOMER_READ, Permission.CUSTOMER_CREATE, Permission.CUSTOMER_UPDATE,
                    Permission.CUSTOMER_REVEAL, Permission.CUSTOMER_EXPORT, Permission.FOLLOWUP_CREATE,
                    Permission.CONTRACT_READ, Permission.CONTRACT_CREATE, Permission.CONTRACT_UPDATE})
_READ_ALL = frozenset({Permission.CUSTOMER_READ, Permission.CONTRACT_READ})
_ALL = {"customer": Scope.ALL, "contract": Scope.ALL}

DEFAULT_ROLES: dict[str, Role] = {role.key: role for role in (
    Role("administrator", "Administrator", frozenset(Permission), _ALL, True),
    Role("sales_manager", "Sales manager",
         _SALES | {Permission.CUSTOMER_ARCHIVE, Permission.CUSTOMER_ASSIGN, Permission.CUSTOMER_IMPORT,
                   Permission.CUSTOMER_MERGE, Permission.CONTRACT_TERMINATE},
         {"customer": Scope.DEPARTMENT, "contract": Scope.DEPARTMENT}, True),
    Role("sales_rep", "Sales rep", _SALES, {"customer": Scope.OWN, "contract": Scope.OWN}, True),
    Role("buyer", "Buyer", frozenset(), {}, True),
    Role("procurement_manager", "Procurement manager", frozenset(), {}, True),
    Role("employee", "Employee", frozenset(), {}, True),
    Role("finance", "Finance", _READ_ALL, _ALL, True),
    Role("auditor", "Auditor", _READ_ALL | {Permission.AUDIT_READ, Permission.AUDIT_EXPORT}, _ALL, True),
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
