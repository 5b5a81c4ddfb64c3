"""Administration: departments (a tree), the user list, and the one-time links handed to users."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

ADMINISTRATOR = "administrator"
UNUSABLE_PASSWORD = "!"  # never a valid hash: the account cannot sign in until its link is used


@dataclass
class Department:
    """A node of the department tree; `path` is "/1/4/" (ids from the root), so a subtree is a prefix."""

    id: int | None
    name: str
    parent_id: int | None
    path: str = ""
    manager_id: int | None = None
    version: int = 1

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def contains(self, other: "Department") -> bool:
        """True when `other` is this department or lies below it."""
        return other.path.startswith(self.path)


@dataclass(frozen=True)
class DepartmentNode:
    """One row of the tree view, in display order (depth-first, siblings by name)."""

    department: Department
    depth: int
    manager_name: str | None


class LinkPurpose(StrEnum):
    ACTIVATION = "activation"
    RESET = "reset"

    @property
    def lifetime(self) -> timedelta:
        return timedelta(hours=72) if self is LinkPurpose.ACTIVATION else timedelta(hours=24)


@dataclass(frozen=True)
class IssuedLink:
    """A one-time link right after it was issued: the only moment its token exists in clear text."""

    user_id: int
    username: str
    purpose: LinkPurpose
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkTarget:
    """Whose account a live link opens, and what for."""

    user_id: int
    username: str
    display_name: str
    purpose: LinkPurpose


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"
    LOCKED = "locked"


@dataclass(frozen=True)
class UserListQuery:
    """Filters and keyset cursor of the user list (ordered by display name, then id)."""

    text: str = ""
    department_id: int | None = None
    role: str | None = None
    status: UserStatus | None = None
    after: str | None = None
    before: str | None = None
    per_page: int = 50


class UserSummary(NamedTuple):
    """One row of the user list."""

    id: int
    username: str
    display_name: str
    department_name: str | None
    roles: tuple[str, ...]
    is_active: bool
    locked: bool
    mfa_enrolled: bool


def ordered_tree(departments: list[Department]) -> list[Department]:
    """Depth-first display order: each department followed by its subtree, siblings by name."""
    children: dict[int | None, list[Department]] = {}
    for department in sorted(departments, key=lambda d: (d.name, d.id or 0)):
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[Department] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        department = stack.pop()
        ordered.append(department)
        stack.extend(reversed(children.get(department.id, [])))
    return ordered


def tree_choices(departments: list[Department], root: Department | None = None) -> list[tuple[int, str]]:
    """(id, name) of the departments (of `root`'s subtree when given) in tree order, "— " per level below the top:
    the department pickers and filters."""
    shown = [d for d in ordered_tree(departments) if root is None or root.contains(d)]
    top = root.depth if root is not None else 0
    return [(d.id or 0, "— " * (d.depth - top) + d.name) for d in shown]
