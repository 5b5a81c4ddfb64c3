"""Saved views of any list: a name for a list query, personal or shared with the owner's department.

A view belongs to one list (its ListSpec); it is never seen, opened or changed through another list. A
shared view is seen by everyone in that department's subtree. Only its owner renames or deletes it;
anyone else gets NotFound, as for a view they cannot see. Reading and saving a list's views needs the
list's read permission.
"""

from dataclasses import replace

from domain.audit.models import AuditEvent
from domain.identity.access import require
from domain.identity.models import Actor
from domain.lists.models import ListSpec, SavedView, view_name
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def visible_views(spec: ListSpec, actor: Actor, uow: UnitOfWork) -> list[SavedView]:
    """The views of the list the actor may use, read inside the caller's open transaction (the list page's)."""
    return uow.saved_views.visible_to(actor, spec.key)


def list_views(spec: ListSpec, *, actor: Actor, uow: UnitOfWork) -> list[SavedView]:
    """The views of the list the actor may use: their own first, then those shared with them, by name."""
    require(actor, spec.read)
    with uow:
        return visible_views(spec, actor, uow)


def get_view(spec: ListSpec, view_id: int, *, actor: Actor, uow: UnitOfWork) -> SavedView:
    """A view of the list the actor may use; NotFound for another user's private view or another list's view."""
    require(actor, spec.read)
    with uow:
        view = next((v for v in visible_views(spec, actor, uow) if v.id == view_id), None)
    if view is None:
        raise NotFound()
    return view


def save_view(spec: ListSpec, raw_name: str, query: str, share: bool, *, actor: Actor, uow: UnitOfWork,
              clock: Clock) -> SavedView:
    """Save the list query (already canonical) under a name, for the actor or shared with their department."""
    require(actor, spec.read)
    name = view_name(raw_name)
    if share and actor.department_id is None:
        raise ValidationFailed({"share": "view.no_department"})
    view = SavedView(None, actor.user_id, name, query, actor.department_id if share else None, clock.now(),
                     list_key=spec.key)
    with uow:
        view = replace(view, id=uow.saved_views.add(view))
        uow.audit.append(_event("saved_view.created", view, actor, clock, after=_audited(view)))
        uow.commit()
    return view


def rename_view(spec: ListSpec, view_id: int, raw_name: str, *, actor: Actor, uow: UnitOfWork,
                clock: Clock) -> SavedView:
    """Rename one of the actor's own views of the list."""
    require(actor, spec.read)
    name = view_name(raw_name)
    with uow:
        view = _own(spec, view_id, actor, uow)
        uow.saved_views.rename(view_id, name)
        uow.audit.append(_event("saved_view.renamed", view, actor, clock, before={"name": view.name},
                                after={"name": name}))
        uow.commit()
    return replace(view, name=name)


def delete_view(spec: ListSpec, view_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> None:
    """Delete one of the actor's own views of the list."""
    require(actor, spec.read)
    with uow:
        view = _own(spec, view_id, actor, uow)
        uow.saved_views.delete(view_id)
        uow.audit.append(_event("saved_view.deleted", view, actor, clock, before=_audited(view)))
        uow.commit()


def _own(spec: ListSpec, view_id: int, actor: Actor, uow: UnitOfWork) -> SavedView:
    view = uow.saved_views.get(view_id)
    if view is None or view.owner_id != actor.user_id or view.list_key != spec.key:
        raise NotFound()
    return view


def _audited(view: SavedView) -> dict[str, object]:
    # the query is left out: it may hold a phone number someone searched for
    return {"list": view.list_key, "name": view.name, "shared_department_id": view.shared_department_id}


def _event(action: str, view: SavedView, actor: Actor, clock: Clock, before: dict[str, object] | None = None,
           after: dict[str, object] | None = None) -> AuditEvent:
    return AuditEvent(action, clock.now(), actor.user_id, actor.ip, "saved_view", str(view.id), before, after)
