"""'Why can I see this?': the rule that grants an actor access to one record, or the reason it does not.

It restates the record rule every repository applies (deny by default; scope all, own, or department
subtree plus own) as reasons a person can read. Tests hold it to the SQL scope clause.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.identity.models import Actor
from domain.identity.permissions import Permission, Role, Scope


@dataclass(frozen=True)
class RecordFacts:
    """What decides visibility of one record: its entity, owner and department."""

    entity: str
    owner_id: int
    owner_name: str
    department_id: int | None
    department_name: str | None
    in_actor_subtree: bool  # the record's department lies in the actor's department subtree


class Basis(StrEnum):
    ALL = "all"
    OWNER = "owner"
    DEPARTMENT = "department"
    NO_PERMISSION = "no_permission"
    NO_SCOPE = "no_scope"
    NOT_OWNER = "not_owner"
    NO_DEPARTMENT = "no_department"
    OUTSIDE_DEPARTMENT = "outside_department"


GRANTING = frozenset({Basis.ALL, Basis.OWNER, Basis.DEPARTMENT})


@dataclass(frozen=True)
class AccessExplanation:
    basis: Basis
    permission: Permission
    scope: Scope | None
    read_roles: tuple[Role, ...]  # the actor's roles that grant the read permission
    scope_roles: tuple[Role, ...]  # the actor's roles that grant the effective (widest) scope
    facts: RecordFacts

    @property
    def visible(self) -> bool:
        return self.basis in GRANTING


def explain_access(actor: Actor, roles: Iterable[Role], facts: RecordFacts) -> AccessExplanation:
    """Whether `actor` may read the record and which of their roles and which fact decide it."""
    permission = Permission(f"{facts.entity}.read")
    scope = actor.scope(facts.entity)
    held = tuple(roles)
    readers = tuple(role for role in held if permission in role.permissions)
    scopers = tuple(role for role in held if scope is not None and role.scopes.get(facts.entity) is scope)
    basis = _basis(actor, scope, facts) if actor.can(permission) else Basis.NO_PERMISSION
    return AccessExplanation(basis, permission, scope, readers, scopers, facts)


def _basis(actor: Actor, scope: Scope | None, facts: RecordFacts) -> Basis:
    if scope is None:
        return Basis.NO_SCOPE
    if scope is Scope.ALL:
        return Basis.ALL
    if facts.owner_id == actor.user_id:
        return Basis.OWNER
    if scope is Scope.OWN:
        return Basis.NOT_OWNER
    if actor.department_id is None:  # department scope without a department covers only one's own records
        return Basis.NO_DEPARTMENT
    return Basis.DEPARTMENT if facts.in_actor_subtree else Basis.OUTSIDE_DEPARTMENT
