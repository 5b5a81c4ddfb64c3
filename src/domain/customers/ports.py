"""Customer ports."""

from typing import Protocol

from domain.customers.models import Customer, CustomerListQuery, CustomerSummary, FollowUp
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
    def credit_code_holder(self, credit_code: str) -> int | None:
        """The id of the customer registered under `credit_code`, in any scope (uniqueness is global)."""
        ...
    def owner_department(self, owner_id: int) -> tuple[bool, int | None]:
        """(owner is an active user, owner's department id)."""
        ...
    def department_of(self, department_id: int | None, actor: Actor) -> bool:
        """True when the department lies in the actor's department subtree."""
        ...


class FollowUpRepository(Protocol):
    """Follow-ups of a customer, newest first."""

    def add(self, follow_up: FollowUp) -> int: ...
    def for_customer(self, customer_id: int, limit: int = 100) -> list[FollowUp]: ...
