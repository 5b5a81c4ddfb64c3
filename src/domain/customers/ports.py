"""Customer ports."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from domain.customers.contacts import Contact
from domain.customers.merge_models import Merge, MovedRows
from domain.customers.models import (
    Customer,
    CustomerListQuery,
    CustomerSummary,
    DueFollowUp,
    DuplicateCandidate,
    FollowUp,
)
from domain.identity.models import Actor
from domain.shared.paging import Page


class CustomerRepository(Protocol):
    """Customers, always read through the actor's record scope: out-of-scope rows are never loaded."""

    def add(self, customer: Customer) -> int: ...
    def get(self, customer_id: int, actor: Actor) -> Customer | None: ...
    def get_many(self, customer_ids: list[int], actor: Actor) -> dict[int, Customer]:
        """The customers among `customer_ids` inside the actor's scope, by id (bulk work such as imports)."""
        ...
    def add_many(self, customers: list[Customer]) -> list[int]:
        """Insert customers in one batched statement; their new ids in the given order.

        Each customer needs a unique, unguessable form token: the ids are found by it.
        """
        ...
    def update_many(self, customers: list[Customer], expected_versions: list[int]) -> int:
        """Write each customer whose stored version equals its expected version; how many were written."""
        ...
    def get_by_form_token(self, form_token: str) -> Customer | None:
        """The customer a create form made, in any scope: the token is known only to its submitter."""
        ...
    def update(self, customer: Customer, expected_version: int) -> bool:
        """Write the customer if the stored version still equals `expected_version`."""
        ...
    def search(self, query: CustomerListQuery, actor: Actor) -> Page[CustomerSummary]: ...
    def contacts(self, customer_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        """(phone, e-mail) in clear of customers already read through the scope (exports mask them)."""
        ...
    def credit_code_holder(self, credit_code: str) -> int | None:
        """The id of the customer registered under `credit_code`, in any scope (uniqueness is global)."""
        ...
    def owner_department(self, owner_id: int) -> tuple[bool, int | None]:
        """(owner is an active user, owner's department id)."""
        ...
    def department_of(self, department_id: int | None, actor: Actor) -> bool:
        """True when the department lies in the actor's department subtree."""
        ...
    def duplicates(self, name_key: str, credit_code: str | None, phone: str | None, actor: Actor,
                   exclude_id: int | None, limit: int) -> list[DuplicateCandidate]:
        """Live customers in the actor's scope sharing the name key, credit code or phone (its or a contact's)."""
        ...
    def refresh_next_action(self, customer_id: int) -> None:
        """Set the customer's next action date to its earliest open follow-up's (keeps the list's mark current)."""
        ...


class FollowUpRepository(Protocol):
    """Follow-ups of a customer, newest first."""

    def add(self, follow_up: FollowUp) -> int: ...
    def for_customer(self, customer_id: int, limit: int = 100) -> list[FollowUp]: ...
    def get(self, follow_up_id: int) -> FollowUp | None: ...
    def complete(self, follow_up_id: int, at: datetime, by: int) -> bool:
        """Mark the next action done unless it already is; False when it was."""
        ...
    def due(self, author_id: int, until: date, actor: Actor, after: tuple[date, int] | None,
            limit: int) -> list[DueFollowUp]:
        """Open actions of `author_id` due on or before `until`, on live customers in the actor's scope,
        by (due date, id) after the cursor."""
        ...


class ContactRepository(Protocol):
    """Contacts of one customer; callers check the customer's scope first."""

    def add(self, contact: Contact) -> int: ...
    def get(self, contact_id: int, customer_id: int) -> Contact | None: ...
    def for_customer(self, customer_id: int) -> list[Contact]: ...
    def update(self, contact: Contact, expected_version: int) -> bool:
        """Write the contact if the stored version still equals `expected_version`."""
        ...
    def delete(self, contact_id: int, expected_version: int) -> bool: ...


class MergeRepository(Protocol):
    """Moves a customer's dependent rows to another customer and keeps the record needed to move them back."""

    def movable(self, customer_id: int) -> MovedRows:
        """What hangs on the customer: contacts, follow-ups, contracts (with versions) and tags."""
        ...
    def move(self, rows: MovedRows, from_id: int, to_id: int) -> MovedRows:
        """Move exactly `rows` from one customer to the other; returns them with their new versions.

        Tags the target already has are dropped from the source instead (recorded as `shared_tags`).
        """
        ...
    def move_back(self, merge: Merge) -> None:
        """Return the merge's rows to the absorbed customer, and give it back the tags both had."""
        ...
    def unchanged_since(self, merge: Merge) -> bool:
        """True when every moved row is still on the survivor at the version the merge left it at."""
        ...
    def add(self, merge: Merge) -> int: ...
    def get(self, merge_id: int) -> Merge | None: ...
    def mark_undone(self, merge_id: int, at: datetime, by: int) -> bool:
        """Record the undo unless one is recorded already; False when it was."""
        ...
    def into(self, survivor_id: int, limit: int = 20) -> list[Merge]:
        """The merges that absorbed customers into `survivor_id`, newest first."""
        ...
