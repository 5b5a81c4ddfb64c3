"""Ports of role administration."""

from collections.abc import Iterable
from typing import Protocol

from domain.administration.role_models import StoredRole
from domain.identity.models import Actor
from domain.identity.permissions import Role


class RoleRepository(Protocol):
    """Roles and their grants as stored; the session loader reads the same rows on every request."""

    def all(self) -> list[StoredRole]:
        """Every role with its grants and holder count, builtin roles first, then by key."""
        ...
    def get(self, key: str) -> StoredRole | None: ...
    def named(self, keys: Iterable[str]) -> list[Role]:
        """The stored grants of the roles named (unknown keys are skipped)."""
        ...
    def add(self, role: Role) -> None: ...
    def update(self, role: Role, expected_version: int) -> bool:
        """Replace name and grants if the stored version still equals `expected_version`."""
        ...
    def delete(self, key: str) -> None: ...
    def actor_of(self, user_id: int) -> Actor | None:
        """The user as an Actor with their stored grants, as a session would load them; None if unknown or inactive."""
        ...
    def department_name(self, department_id: int | None) -> str | None: ...
