"""Administration ports."""

from typing import Protocol

from domain.administration.models import Department


class DepartmentRepository(Protocol):
    """The department tree with its materialised paths."""

    def add(self, name: str, parent_id: int | None) -> Department:
        """Insert a department below `parent_id` (None: a root) and give it its path."""
        ...
    def get(self, department_id: int) -> Department | None: ...
    def all(self) -> list[Department]: ...
    def save(self, department: Department) -> None:
        """Write the name, manager and version (never the parent or path: see `move`)."""
        ...
    def move(self, department: Department, parent: Department | None) -> None:
        """Re-parent `department` and rewrite the paths of its whole subtree in one statement."""
        ...
