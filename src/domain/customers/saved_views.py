"""Saved views of the customer list: the generic saved views (domain.lists.saved_views) of CUSTOMER_LIST."""

from domain.customers.list_models import CUSTOMER_LIST
from domain.identity.models import Actor
from domain.lists import saved_views as views
from domain.lists.models import SavedView
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def get_view(view_id: int, *, actor: Actor, uow: UnitOfWork) -> SavedView:
    """A customer-list view the actor may use; NotFound otherwise."""
    return views.get_view(CUSTOMER_LIST, view_id, actor=actor, uow=uow)


def save_view(raw_name: str, query: str, share: bool, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> SavedView:
    """Save a customer-list query under a name, for the actor or shared with their department."""
    return views.save_view(CUSTOMER_LIST, raw_name, query, share, actor=actor, uow=uow, clock=clock)


def rename_view(view_id: int, raw_name: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> SavedView:
    """Rename one of the actor's own customer-list views."""
    return views.rename_view(CUSTOMER_LIST, view_id, raw_name, actor=actor, uow=uow, clock=clock)


def delete_view(view_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> None:
    """Delete one of the actor's own customer-list views."""
    views.delete_view(CUSTOMER_LIST, view_id, actor=actor, uow=uow, clock=clock)
