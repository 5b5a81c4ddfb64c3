"""Customer use cases. Every one checks the actor's permission and reads through the record scope."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from domain.audit.models import AuditEvent, Values, changed_values
from domain.customers.contacts import Contact, ContactFields
from domain.customers.errors import CustomerArchived
from domain.customers.list_models import Tag
from domain.customers.merge_models import Merge
from domain.customers.models import (
    SENSITIVE_FIELDS,
    Customer,
    CustomerFields,
    CustomerListQuery,
    CustomerSummary,
    FollowUp,
)
from domain.customers.timeline import Change, changes_of, newest_first
from domain.customers.validation import customer_fields, follow_up_fields
from domain.identity.access import require, require_fresh
from domain.identity.models import Actor
from domain.identity.permissions import Permission, Scope
from domain.identity.teams import visible_owners
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.shared.sensitive import keep_unentered, masked_values
from domain.unit_of_work import UnitOfWork

F = TypeVar("F", CustomerFields, ContactFields)


@dataclass(frozen=True)
class CustomerDetail:
    customer: Customer
    owner_name: str
    follow_ups: list[FollowUp]
    tags: list[Tag] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    timeline: list[FollowUp | Change] = field(default_factory=list)  # follow-ups and changes, newest first
    merges: list[Merge] = field(default_factory=list)  # customers merged into this one


@dataclass(frozen=True)
class CustomerList:
    page: Page[CustomerSummary]
    owners: list[tuple[int, str]]  # choices of the owner filter; empty when the actor sees only their own


def list_customers(
    query: CustomerListQuery, *, actor: Actor, uow: UnitOfWork, with_owner_filter: bool = True
) -> CustomerList:
    """One keyset page of the customers the actor may see, and the owners they may filter by."""
    require(actor, Permission.CUSTOMER_READ)
    with uow:
        page = uow.customers.search(query, actor)
        owners = visible_owners(actor, "customer", uow) if with_owner_filter else []
    return CustomerList(page, owners)


def get_customer(customer_id: int, *, actor: Actor, uow: UnitOfWork) -> CustomerDetail:
    """A customer in the actor's scope with its owner and follow-up timeline; NotFound otherwise."""
    require(actor, Permission.CUSTOMER_READ)
    with uow:
        customer = in_scope(customer_id, actor, uow)
        owner = uow.users.names({customer.owner_id}).get(customer.owner_id, "")
        follow_ups = uow.follow_ups.for_customer(customer_id)
        timeline = newest_first(follow_ups, changes_of(customer_id, uow))
        tags = uow.tags.of_customers([customer_id], actor).get(customer_id, [])
        return CustomerDetail(customer, owner, follow_ups, tags, uow.contacts.for_customer(customer_id), timeline,
                              uow.merges.into(customer_id))


def assignable_owners(*, actor: Actor, uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of the users the actor may make owner of a customer: themselves, their team, or anyone."""
    if not actor.can(Permission.CUSTOMER_ASSIGN) or actor.scope("customer") in (Scope.OWN, None):
        return [(actor.user_id, actor.display_name)]
    with uow:
        return assignable_among(actor, visible_owners(actor, "customer", uow))


def assignable_among(actor: Actor, visible: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The owners the actor may assign customers to, given the owners their scope covers (visible_owners)."""
    if not actor.can(Permission.CUSTOMER_ASSIGN):
        return [(actor.user_id, actor.display_name)]
    return visible or [(actor.user_id, actor.display_name)]


def customer_by_form_token(form_token: str, *, actor: Actor, uow: UnitOfWork) -> Customer | None:
    """The customer a create form already made (double submit), or None."""
    require(actor, Permission.CUSTOMER_CREATE)
    with uow:
        return uow.customers.get_by_form_token(form_token) if form_token else None


def register_customer(
    raw: Mapping[str, str], form_token: str, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> Customer:
    """Create a customer; a repeated form token returns the customer it already created."""
    require(actor, Permission.CUSTOMER_CREATE)
    fields = customer_fields(raw)
    now = clock.now()
    with uow:
        existing = uow.customers.get_by_form_token(form_token) if form_token else None
        if existing:
            return existing
        department_id = _check_owner(fields.owner_id, actor, uow)
        try:
            _check_credit_code_free(fields.credit_code, None, uow)
        except ValidationFailed:
            twin = uow.customers.get_by_form_token(form_token) if form_token else None
            if twin:  # the same form, submitted twice, committed first in between our two reads
                return twin
            raise
        customer = Customer(None, fields, department_id, now, now, actor.user_id, form_token=form_token or None)
        customer.id = uow.customers.add(customer)
        uow.audit.append(event("customer.created", customer, actor, now, after=_audited(fields)))
        uow.commit()
    return customer


def update_customer(
    customer_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> Customer:
    """Save edits made on `expected_version`; raises StaleVersion if someone saved in between.

    Sensitive fields are write-only: left empty they keep the stored value, unless `remove_<field>` is set.
    """
    require(actor, Permission.CUSTOMER_UPDATE)
    entered = customer_fields(raw)
    now = clock.now()
    with uow:
        customer = editable(customer_id, expected_version, actor, uow)
        fields = keep_unentered_secrets(entered, customer.fields, raw)
        if fields == customer.fields:
            return customer
        _check_credit_code_free(fields.credit_code, customer_id, uow)
        department_id = customer.department_id
        if fields.owner_id != customer.owner_id:
            department_id = _check_owner(fields.owner_id, actor, uow)
        updated = replace(customer, fields=fields, department_id=department_id, updated_at=now,
                          version=customer.version + 1)
        _save(updated, expected_version, actor, uow)
        before, after = changed_values(customer.fields.as_values(), fields.as_values())
        before, after = masked_values(before, SENSITIVE_FIELDS), masked_values(after, SENSITIVE_FIELDS)
        uow.audit.append(event("customer.updated", updated, actor, now, before=before, after=after))
        uow.commit()
    return updated


def archive_customer(
    customer_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> Customer:
    """Archive a customer: it leaves the lists but keeps its history."""
    require(actor, Permission.CUSTOMER_ARCHIVE)
    now = clock.now()
    with uow:
        customer = editable(customer_id, expected_version, actor, uow)
        archived = replace(customer, archived_at=now, updated_at=now, version=customer.version + 1)
        _save(archived, expected_version, actor, uow)
        uow.audit.append(event("customer.archived", archived, actor, now, after={"archived_at": now.isoformat()}))
        uow.commit()
    return archived


def reassign_customer(
    customer_id: int, owner: str, expected_version: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> Customer:
    """Hand a customer to another owner (its department follows the owner); audited as customer.assigned."""
    require(actor, Permission.CUSTOMER_ASSIGN)
    owner_id = int(owner) if owner.isdigit() and len(owner) < 12 else 0
    now = clock.now()
    with uow:
        customer = editable(customer_id, expected_version, actor, uow)
        if owner_id == customer.owner_id:
            return customer
        department_id = _check_owner(owner_id, actor, uow)
        moved = replace(customer, fields=replace(customer.fields, owner_id=owner_id), department_id=department_id,
                        updated_at=now, version=customer.version + 1)
        _save(moved, expected_version, actor, uow)
        uow.audit.append(event("customer.assigned", moved, actor, now, before={"owner_id": customer.owner_id},
                               after={"owner_id": owner_id}))
        uow.commit()
    return moved


def reveal_customer_field(customer_id: int, field: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> str:
    """The clear value of one sensitive field; needs the reveal permission and a fresh step-up.

    Audited as customer.revealed with the field name, never the value. NotFound outside the actor's
    scope, for fields that are not sensitive, and for empty values.
    """
    require(actor, Permission.CUSTOMER_REVEAL)
    if field not in SENSITIVE_FIELDS:
        raise NotFound()
    with uow:
        customer = in_scope(customer_id, actor, uow)
        value = getattr(customer.fields, field)
        if not value:
            raise NotFound()
        require_fresh(actor)
        uow.audit.append(event("customer.revealed", customer, actor, clock.now(), after={"field": field}))
        uow.commit()
    return str(value)


def add_follow_up(customer_id: int, raw: Mapping[str, str], *, actor: Actor, uow: UnitOfWork, clock: Clock) -> FollowUp:
    """Append a follow-up (call, visit, e-mail, WeChat, note) to a customer's timeline."""
    require(actor, Permission.FOLLOWUP_CREATE)
    kind, content, next_on = follow_up_fields(raw)
    now = clock.now()
    with uow:
        customer = in_scope(customer_id, actor, uow)
        if customer.archived_at:
            raise CustomerArchived()
        follow_up = FollowUp(None, customer_id, actor.user_id, kind, content, next_on, now, actor.display_name)
        follow_up = replace(follow_up, id=uow.follow_ups.add(follow_up))
        if next_on:
            uow.customers.refresh_next_action(customer_id)
        after = {"kind": kind.value, "content": content, "next_action_on": next_on.isoformat() if next_on else None}
        uow.audit.append(AuditEvent("followup.created", now, actor.user_id, actor.ip, "customer",
                                    str(customer_id), after=after))
        uow.commit()
    return follow_up


def keep_unentered_secrets(entered: F, stored: F, raw: Mapping[str, str]) -> F:
    """Sensitive fields are write-only: left empty they keep the stored value, unless `remove_<field>` is set."""
    return keep_unentered(entered, stored, raw, SENSITIVE_FIELDS)


def _audited(fields: CustomerFields) -> Values:
    return masked_values(fields.as_values(), SENSITIVE_FIELDS)


def in_scope(customer_id: int, actor: Actor, uow: UnitOfWork) -> Customer:
    customer = uow.customers.get(customer_id, actor)
    if customer is None:
        raise NotFound()
    return customer


def editable(customer_id: int, expected_version: int, actor: Actor, uow: UnitOfWork) -> Customer:
    customer = in_scope(customer_id, actor, uow)
    if customer.archived_at:
        raise CustomerArchived()
    if customer.version != expected_version:
        raise StaleVersion(customer.version)
    return customer


def _save(customer: Customer, expected_version: int, actor: Actor, uow: UnitOfWork) -> None:
    if not uow.customers.update(customer, expected_version):
        current = uow.customers.get(customer.id or 0, actor)
        raise StaleVersion(current.version if current else expected_version)


def _check_credit_code_free(credit_code: str | None, customer_id: int | None, uow: UnitOfWork) -> None:
    holder = uow.customers.credit_code_holder(credit_code) if credit_code else None
    if holder is not None and holder != customer_id:
        raise ValidationFailed({"credit_code": "credit_code.taken"})


def _check_owner(owner_id: int, actor: Actor, uow: UnitOfWork) -> int | None:
    """The owner's department; refuses owners the actor may not assign (field-level rule)."""
    active, department_id = uow.customers.owner_department(owner_id)
    if not active:
        raise ValidationFailed({"owner_id": "choice.invalid"})
    if owner_id == actor.user_id:
        return department_id
    scope = actor.scope("customer")
    if not actor.can(Permission.CUSTOMER_ASSIGN) or scope is Scope.OWN or scope is None:
        raise ValidationFailed({"owner_id": "owner.not_allowed"})
    if scope is Scope.DEPARTMENT and not uow.customers.department_of(department_id, actor):
        raise ValidationFailed({"owner_id": "owner.not_allowed"})
    return department_id


def event(
    action: str, customer: Customer, actor: Actor, now: datetime, before: Values | None = None,
    after: Values | None = None,
) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "customer", str(customer.id), before, after)



def check_owner(owner_id: int, actor: Actor, uow: UnitOfWork) -> int | None:
    """The department of a customer owned by `owner_id`; ValidationFailed unless the actor may assign them
    (the form's rule, shared with imports)."""
    return _check_owner(owner_id, actor, uow)
