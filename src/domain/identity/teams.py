"""Whose records an actor sees beyond their own: the owner choices of list filters and owner pickers."""

from domain.identity.models import Actor
from domain.identity.permissions import Scope
from domain.unit_of_work import UnitOfWork


def visible_owners(actor: Actor, entity: str, uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of the active users whose `entity` records the actor's scope covers; empty for own scope."""
    scope = actor.scope(entity)
    if scope is Scope.ALL:
        return uow.users.active_user_names()
    if scope is Scope.DEPARTMENT and actor.department_id is not None:
        return uow.users.active_user_names(actor.department_id)
    return []
