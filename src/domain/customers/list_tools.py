"""The customer list page's reads in one read transaction: rows, filter choices, saved views, tags, bulk owners."""

from dataclasses import dataclass

from domain.customers.list_models import CUSTOMER_LIST, SavedView, Tag
from domain.customers.models import CustomerListQuery, CustomerSummary
from domain.customers.services import assignable_among
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.identity.teams import visible_owners
from domain.lists.saved_views import visible_views
from domain.shared.paging import Page
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class CustomerListPage:
    page: Page[CustomerSummary]
    views: list[SavedView]
    tags: dict[int, list[Tag]]  # by customer id, only for customers in the actor's scope
    owners: list[tuple[int, str]]  # the owner filter's choices; empty when the actor sees only their own
    tag_choices: list[Tag]
    bulk_owners: list[tuple[int, str]]  # whom the bulk bar may assign to; empty without customer.assign


def customer_list_page(query: CustomerListQuery, *, with_tags: bool, full: bool, actor: Actor,
                       uow: UnitOfWork) -> CustomerListPage:
    """One keyset page and the list tools' data; the choices (filters, bulk bar) only for a `full` page."""
    require(actor, Permission.CUSTOMER_READ)
    with uow:
        page = uow.customers.search(query, actor)
        ids = [c.id for c in page.items]
        owners = visible_owners(actor, "customer", uow) if full else []
        return CustomerListPage(
            page, visible_views(CUSTOMER_LIST, actor, uow),
            uow.tags.of_customers(ids, actor) if with_tags and ids else {}, owners,
            uow.tags.all() if full else [],
            assignable_among(actor, owners) if full and actor.can(Permission.CUSTOMER_ASSIGN) else [])
