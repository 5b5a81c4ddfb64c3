"""Roles as administrators manage them: a role's grants plus its version and how many users hold it."""

from dataclasses import dataclass

from domain.identity.permissions import Role
from domain.shared.errors import DomainError


@dataclass(frozen=True)
class StoredRole:
    role: Role
    version: int = 1
    holders: int = 0

    @property
    def key(self) -> str:
        return self.role.key


class RoleLocked(DomainError):
    """The role cannot be changed this way; `code` says why (builtin role, or users still hold it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
