"""What the customer list shows besides its rows: saved-view tabs, row tags, tag filter choices."""

from collections.abc import Sequence
from dataclasses import dataclass

from domain.customers.list_models import SavedView, Tag
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ListExtras:
    views: list[SavedView]
    tags: dict[int, list[Tag]]  # by customer id, only for customers in the actor's scope
    tag_choices: list[Tag]


def list_extras(customer_ids: Sequence[int], *, with_tags: bool, with_choices: bool, actor: Actor,
                uow: UnitOfWork) -> ListExtras:
    """Views the actor may use, the tags of a page's rows and the tag filter's choices, in one transaction."""
    require(actor, Permission.CUSTOMER_READ)
    with uow:
        views = uow.saved_views.visible_to(actor)
        tags = uow.tags.of_customers(customer_ids, actor) if with_tags and customer_ids else {}
        return ListExtras(views, tags, uow.tags.all() if with_choices else [])
