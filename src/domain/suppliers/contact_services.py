"""People at a supplier: changed with supplier.update, revealed with supplier.reveal and step-up. The fields and
their rules are the customer contacts' (contact_fields); audited on the supplier with phone and e-mail masked."""

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from domain.audit.models import AuditEvent, Values, changed_values
from domain.customers.contacts import contact_fields
from domain.customers.models import SENSITIVE_FIELDS as CONTACT_SENSITIVE
from domain.identity.access import require, require_fresh
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, StaleVersion
from domain.shared.ports import Clock
from domain.shared.records import at_version, found
from domain.shared.sensitive import keep_unentered
from domain.suppliers.models import SupplierContact
from domain.suppliers.services import existing
from domain.unit_of_work import UnitOfWork


def supplier_contact(supplier_id: int, contact_id: int, *, actor: Actor, uow: UnitOfWork) -> SupplierContact:
    """One contact of a supplier; NotFound otherwise."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        existing(supplier_id, uow)
        return _contact(supplier_id, contact_id, uow)


def add_supplier_contact(supplier_id: int, raw: Mapping[str, str], *, actor: Actor, uow: UnitOfWork,
                         clock: Clock) -> SupplierContact:
    """Add a person to a supplier."""
    require(actor, Permission.SUPPLIER_UPDATE)
    fields = contact_fields(raw)
    now = clock.now()
    with uow:
        existing(supplier_id, uow)
        contact = SupplierContact(None, supplier_id, fields, now, now)
        contact = replace(contact, id=uow.supplier_contacts.add(contact))
        uow.audit.append(_event("supplier.contact_created", contact, actor, now, after=fields.audited()))
        uow.commit()
    return contact


def update_supplier_contact(supplier_id: int, contact_id: int, raw: Mapping[str, str], expected_version: int, *,
                            actor: Actor, uow: UnitOfWork, clock: Clock) -> SupplierContact:
    """Save edits made on `expected_version` (StaleVersion otherwise); empty phone or e-mail keep their value
    unless `remove_<field>` is set."""
    require(actor, Permission.SUPPLIER_UPDATE)
    entered = contact_fields(raw)
    now = clock.now()
    with uow:
        existing(supplier_id, uow)
        contact = _current(supplier_id, contact_id, expected_version, uow)
        fields = keep_unentered(entered, contact.fields, raw, CONTACT_SENSITIVE)
        if fields == contact.fields:
            return contact
        updated = replace(contact, fields=fields, updated_at=now, version=contact.version + 1)
        if not uow.supplier_contacts.update(updated, expected_version):
            raise StaleVersion(expected_version)
        before, after = changed_values(contact.fields.audited(), fields.audited())
        uow.audit.append(_event("supplier.contact_updated", updated, actor, now, before=before, after=after))
        uow.commit()
    return updated


def remove_supplier_contact(supplier_id: int, contact_id: int, expected_version: int, *, actor: Actor,
                            uow: UnitOfWork, clock: Clock) -> None:
    """Delete a contact; the audit record keeps its masked values."""
    require(actor, Permission.SUPPLIER_UPDATE)
    now = clock.now()
    with uow:
        existing(supplier_id, uow)
        contact = _current(supplier_id, contact_id, expected_version, uow)
        if not uow.supplier_contacts.delete(contact_id, expected_version):
            raise StaleVersion(expected_version)
        uow.audit.append(_event("supplier.contact_removed", contact, actor, now, before=contact.fields.audited()))
        uow.commit()


def reveal_supplier_contact_field(supplier_id: int, contact_id: int, field: str, *, actor: Actor, uow: UnitOfWork,
                                  clock: Clock) -> str:
    """The clear phone or e-mail of a contact: supplier.reveal, step-up, and a supplier.revealed audit record
    naming the field and contact, never the value."""
    require(actor, Permission.SUPPLIER_REVEAL)
    if field not in CONTACT_SENSITIVE:
        raise NotFound()
    with uow:
        existing(supplier_id, uow)
        value = getattr(_contact(supplier_id, contact_id, uow).fields, field)
        if not value:
            raise NotFound()
        require_fresh(actor)
        uow.audit.append(AuditEvent("supplier.revealed", clock.now(), actor.user_id, actor.ip, "supplier",
                                    str(supplier_id), after={"field": field, "contact_id": contact_id}))
        uow.commit()
    return str(value)


def _contact(supplier_id: int, contact_id: int, uow: UnitOfWork) -> SupplierContact:
    return found(uow.supplier_contacts.get(contact_id, supplier_id))


def _current(supplier_id: int, contact_id: int, expected_version: int, uow: UnitOfWork) -> SupplierContact:
    return at_version(_contact(supplier_id, contact_id, uow), expected_version)


def _event(action: str, contact: SupplierContact, actor: Actor, now: datetime, before: Values | None = None,
           after: Values | None = None) -> AuditEvent:
    marked = {"contact_id": contact.id}
    return AuditEvent(action, now, actor.user_id, actor.ip, "supplier", str(contact.supplier_id),
                      None if before is None else before | marked, None if after is None else after | marked)
