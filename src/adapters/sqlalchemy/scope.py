"""Record scope as SQL: the one rule every repository applies to every query of a scoped entity."""

from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, false, or_, true

from adapters.sqlalchemy.identity import subtree
from domain.identity.models import Actor
from domain.identity.permissions import Scope


def record_scope(actor: Actor, entity: str, owner: Any, department: Any) -> ColumnElement[bool]:
    """The rows the actor may see of `entity`: own, department subtree (plus own), all, or none."""
    return _scope_clause(scope_shape(actor, entity), owner, department, actor.user_id, actor.department_id)


def scope_shape(actor: Actor, entity: str) -> str:
    """Which of record_scope's four clauses applies to the actor: "all", "department", "own" or "none"."""
    scope = actor.scope(entity)
    if scope is Scope.ALL:
        return "all"
    if scope is Scope.DEPARTMENT and actor.department_id is not None:
        return "department"
    return "own" if scope is not None else "none"


def bound_scope(shape: str, owner: Any, department: Any) -> ColumnElement[bool]:
    """record_scope's clause of one shape with the bind parameters of `scope_values` instead of the actor's ids,
    for statements built once and run for everyone (SQLAlchemy then memoizes their cache key)."""
    return _scope_clause(shape, owner, department, bindparam("scope_user", type_=Integer),
                         bindparam("scope_department", type_=Integer))


def scope_values(actor: Actor) -> dict[str, int | None]:
    """The parameters a `bound_scope` clause takes."""
    return {"scope_user": actor.user_id, "scope_department": actor.department_id}


def _scope_clause(shape: str, owner: Any, department: Any, user: Any, user_department: Any) -> ColumnElement[bool]:
    if shape == "all":
        return true()
    if shape == "department":
        # "+ 0" keeps the planner off an OR of two index ranges, which must sort the whole department
        # for every page; walking the list's own order index and filtering stops after one page.
        return or_(owner + 0 == user, (department + 0).in_(subtree(user_department)))
    return owner == user if shape == "own" else false()
