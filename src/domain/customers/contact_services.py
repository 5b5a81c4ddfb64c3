"""Contact use cases: changed with customer.update, revealed with customer.reveal and step-up, all in the
customer's record scope, audited on the customer with sensitive values masked."""

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from domain.audit.models import AuditEvent, Values, changed_values
from domain.customers.contacts import Contact, contact_fields
from domain.customers.errors import CustomerArchived
from domain.customers.models import SENSITIVE_FIELDS
from domain.customers.services import in_scope, keep_unentered_secrets
from domain.identity.access import require, require_fresh
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, StaleVersion
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def contact_of(customer_id: int, contact_id: int, *, actor: Actor, uow: UnitOfWork) -> Contact:
    """One contact of a customer in the actor's scope; NotFound otherwise."""
    require(actor, Permission.CUSTOMER_READ)
    with uow:
        in_scope(customer_id, actor, uow)
        return _contact(customer_id, contact_id, uow)


def add_contact(customer_id: int, raw: Mapping[str, str], *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Contact:
    """Add a person to a live customer."""
    require(actor, Permission.CUSTOMER_UPDATE)
    fields = contact_fields(raw)
    now = clock.now()
    with uow:
        _live(customer_id, actor, uow)
        contact = Contact(None, customer_id, fields, now, now)
        contact = replace(contact, id=uow.contacts.add(contact))
        uow.audit.append(_event("contact.created", contact, actor, now, after=fields.audited()))
        uow.commit()
    return contact


def update_contact(
    customer_id: int, contact_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor,
    uow: UnitOfWork, clock: Clock,
) -> Contact:
    """Save edits made on `expected_version` (StaleVersion otherwise); empty sensitive fields keep their value
    unless `remove_<field>` is set."""
    require(actor, Permission.CUSTOMER_UPDATE)
    entered = contact_fields(raw)
    now = clock.now()
    with uow:
        _live(customer_id, actor, uow)
        contact = _current(customer_id, contact_id, expected_version, uow)
        fields = keep_unentered_secrets(entered, contact.fields, raw)
        if fields == contact.fields:
            return contact
        updated = replace(contact, fields=fields, updated_at=now, version=contact.version + 1)
        if not uow.contacts.update(updated, expected_version):
            raise StaleVersion(expected_version)
        before, after = changed_values(contact.fields.audited(), fields.audited())
        uow.audit.append(_event("contact.updated", updated, actor, now, before=before, after=after))
        uow.commit()
    return updated


def remove_contact(
    customer_id: int, contact_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> None:
    """Delete a contact; the audit record keeps its masked values."""
    require(actor, Permission.CUSTOMER_UPDATE)
    now = clock.now()
    with uow:
        _live(customer_id, actor, uow)
        contact = _current(customer_id, contact_id, expected_version, uow)
        if not uow.contacts.delete(contact_id, expected_version):
            raise StaleVersion(expected_version)
        uow.audit.append(_event("contact.removed", contact, actor, now, before=contact.fields.audited()))
        uow.commit()


def reveal_contact_field(
    customer_id: int, contact_id: int, field: str, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> str:
    """The clear value of a contact's phone or e-mail, like reveal_customer_field: permission, scope, step-up,
    and a customer.revealed audit record naming the field and contact, never the value."""
    require(actor, Permission.CUSTOMER_REVEAL)
    if field not in SENSITIVE_FIELDS:
        raise NotFound()
    with uow:
        in_scope(customer_id, actor, uow)
        contact = _contact(customer_id, contact_id, uow)
        value = getattr(contact.fields, field)
        if not value:
            raise NotFound()
        require_fresh(actor)
        uow.audit.append(AuditEvent("customer.revealed", clock.now(), actor.user_id, actor.ip, "customer",
                                    str(customer_id), after={"field": field, "contact_id": contact_id}))
        uow.commit()
    return str(value)


def _live(customer_id: int, actor: Actor, uow: UnitOfWork) -> None:
    if in_scope(customer_id, actor, uow).archived_at:
        raise CustomerArchived()


def _contact(customer_id: int, contact_id: int, uow: UnitOfWork) -> Contact:
    contact = uow.contacts.get(contact_id, customer_id)
    if contact is None:
        raise NotFound()
    return contact


def _current(customer_id: int, contact_id: int, expected_version: int, uow: UnitOfWork) -> Contact:
    contact = _contact(customer_id, contact_id, uow)
    if contact.version != expected_version:
        raise StaleVersion(contact.version)
    return contact


def _event(action: str, contact: Contact, actor: Actor, now: datetime, before: Values | None = None,
           after: Values | None = None) -> AuditEvent:
    after = (after or {}) | {"contact_id": contact.id} if after is not None else None
    before = (before or {}) | {"contact_id": contact.id} if before is not None else None
    return AuditEvent(action, now, actor.user_id, actor.ip, "customer", str(contact.customer_id), before, after)
