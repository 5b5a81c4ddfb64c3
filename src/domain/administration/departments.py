"""Department administration: a tree of departments, each with an optional manager.

Every use case checks `department.manage` (deny by default) and audits in the same transaction.
Moving a department rewrites the materialised paths of its subtree, so record scopes follow at once.
"""

from datetime import datetime
from typing import Protocol

from domain.administration.models import Department, DepartmentNode, ordered_tree
from domain.audit.models import AuditEvent, Values
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

MANAGE = Permission.DEPARTMENT_MANAGE


class Change(Protocol):
    """The shape of rename, move and set-manager: one department, one submitted value."""

    def __call__(self, department_id: int, value: str, /, *, actor: Actor, uow: UnitOfWork,
                 clock: Clock) -> Department: ...


def department_tree(*, actor: Actor, uow: UnitOfWork) -> list[DepartmentNode]:
    """All departments in tree order, with their managers' names."""
    require(actor, MANAGE)
    with uow:
        departments = ordered_tree(uow.departments.all())
        names = uow.users.names({d.manager_id for d in departments if d.manager_id})
    return [DepartmentNode(d, d.depth, names.get(d.manager_id) if d.manager_id else None) for d in departments]


def manager_choices(department_id: int, *, actor: Actor, uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of the active users of a department and its subtree: who may manage it."""
    require(actor, MANAGE)
    with uow:
        _department(department_id, uow)
        return uow.users.active_user_names(department_id)


def create_department(name: str, parent_id: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Department:
    """Add a department at the top level (empty `parent_id`) or below another one."""
    require(actor, MANAGE)
    clean = _name(name)
    now = clock.now()
    with uow:
        parent = _parent(parent_id, uow)
        department = uow.departments.add(clean, parent.id if parent else None)
        uow.audit.append(_event("department.created", department, actor, now,
                                after={"name": clean, "parent_id": department.parent_id}))
        uow.commit()
    return department


def rename_department(department_id: int, name: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Department:
    """Give a department a new name."""
    require(actor, MANAGE)
    clean = _name(name)
    now = clock.now()
    with uow:
        department = _department(department_id, uow)
        if department.name == clean:
            return department
        before = {"name": department.name}
        department.name, department.version = clean, department.version + 1
        uow.departments.save(department)
        uow.audit.append(_event("department.renamed", department, actor, now, before, {"name": clean}))
        uow.commit()
    return department


def move_department(department_id: int, parent_id: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Department:
    """Put a department (with its subtree) below another one, or at the top; never below itself."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        department = _department(department_id, uow)
        parent = _parent(parent_id, uow)
        if parent is not None and department.contains(parent):
            raise ValidationFailed({"parent_id": "department.cycle"})
        new_parent = parent.id if parent else None
        if new_parent == department.parent_id:
            return department
        before = {"parent_id": department.parent_id, "path": department.path}
        uow.departments.move(department, parent)
        moved = _department(department_id, uow)
        uow.audit.append(_event("department.moved", moved, actor, now, before,
                                {"parent_id": new_parent, "path": moved.path}))
        uow.commit()
    return moved


def set_manager(department_id: int, manager_id: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Department:
    """Name one of the department's active users as its manager, or nobody (empty `manager_id`)."""
    require(actor, MANAGE)
    now = clock.now()
    with uow:
        department = _department(department_id, uow)
        manager = int(manager_id) if manager_id.isdigit() and len(manager_id) < 10 else None
        if manager_id and manager not in dict(uow.users.active_user_names(department_id)):
            raise ValidationFailed({"manager_id": "choice.invalid"})
        if manager == department.manager_id:
            return department
        before = {"manager_id": department.manager_id}
        department.manager_id, department.version = manager, department.version + 1
        uow.departments.save(department)
        uow.audit.append(_event("department.manager_set", department, actor, now, before, {"manager_id": manager}))
        uow.commit()
    return department


def _department(department_id: int, uow: UnitOfWork) -> Department:
    department = uow.departments.get(department_id)
    if department is None:
        raise NotFound()
    return department


def _parent(parent_id: str, uow: UnitOfWork) -> Department | None:
    if not parent_id:
        return None
    parent = uow.departments.get(int(parent_id)) if parent_id.isdigit() and len(parent_id) < 10 else None
    if parent is None:
        raise ValidationFailed({"parent_id": "choice.invalid"})
    return parent


def _name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean or len(clean) > 100:
        raise ValidationFailed({"name": "too_long" if clean else "required"})
    return clean


def _event(action: str, department: Department, actor: Actor, now: datetime, before: Values | None = None,
           after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "department", str(department.id), before, after)
