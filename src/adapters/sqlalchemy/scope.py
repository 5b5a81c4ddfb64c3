"""Record scope as SQL: the one rule every repository applies to every query of a scoped entity."""

from typing import Any

from sqlalchemy import ColumnElement, false, or_, true

from adapters.sqlalchemy.identity import subtree
from domain.identity.models import Actor
from domain.identity.permissions import Scope


def record_scope(actor: Actor, entity: str, owner: Any, department: Any) -> ColumnElement[bool]:
    """The rows the actor may see of `entity`: own, department subtree (plus own), all, or none."""
    scope = actor.scope(entity)
    if scope is Scope.ALL:
        return true()
    if scope is Scope.DEPARTMENT and actor.department_id is not None:
        # "+ 0" keeps the planner off an OR of two index ranges, which must sort the whole department
        # for every page; walking the list's own order index and filtering stops after one page.
        return or_(owner + 0 == actor.user_id, (department + 0).in_(subtree(actor.department_id)))
    return owner == actor.user_id if scope is not None else false()
