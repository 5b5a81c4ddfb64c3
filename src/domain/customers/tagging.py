"""Tagging customers: add or remove one tag on one customer."""

from datetime import datetime

from domain.audit.models import AuditEvent
from domain.customers.errors import CustomerArchived
from domain.customers.list_models import Tag, tag_key, tag_name
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def add_tag(customer_id: int, raw_name: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> list[Tag]:
    """Tag a customer in the actor's scope (creating the tag if new); returns the customer's tags."""
    require(actor, Permission.CUSTOMER_UPDATE)
    name = tag_name(raw_name)
    with uow:
        _taggable(customer_id, actor, uow)
        tag = find_or_add(name, uow)
        if uow.tags.attach(customer_id, tag.id):
            uow.audit.append(tag_event("customer.tagged", customer_id, tag, actor, clock.now()))
        return _committed_tags(customer_id, actor, uow)


def remove_tag(customer_id: int, tag_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> list[Tag]:
    """Take a tag off a customer in the actor's scope; returns the customer's tags."""
    require(actor, Permission.CUSTOMER_UPDATE)
    with uow:
        _taggable(customer_id, actor, uow)
        tag = uow.tags.get(tag_id)
        if tag is None:
            raise NotFound()
        if uow.tags.detach(customer_id, tag.id):
            uow.audit.append(tag_event("customer.untagged", customer_id, tag, actor, clock.now()))
        return _committed_tags(customer_id, actor, uow)


def find_or_add(name: str, uow: UnitOfWork) -> Tag:
    """The tag spelled `name` in any case, created when there is none."""
    key = tag_key(name)
    return uow.tags.find(key) or uow.tags.add(name, key)


def tag_event(action: str, customer_id: int, tag: Tag, actor: Actor, now: datetime) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "customer", str(customer_id),
                      after={"tag": tag.name})


def _taggable(customer_id: int, actor: Actor, uow: UnitOfWork) -> None:
    customer = uow.customers.get(customer_id, actor)
    if customer is None:
        raise NotFound()
    if customer.archived_at:
        raise CustomerArchived()


def _committed_tags(customer_id: int, actor: Actor, uow: UnitOfWork) -> list[Tag]:
    tags = uow.tags.of_customers([customer_id], actor).get(customer_id, [])
    uow.commit()
    return tags
