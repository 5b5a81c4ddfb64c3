"""Routing: which rule applies to a document, and who approves each step (pure, reads through the UoW)."""

from decimal import Decimal

from domain.administration.models import Department
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep
from domain.unit_of_work import UnitOfWork


def lineage(department: Department | None) -> list[int | None]:
    """The department, its ancestors nearest first, then None (company-wide)."""
    ids = [int(part) for part in department.path.strip("/").split("/")] if department else []
    return [*reversed(ids), None]


def matching_rule(rules: list[ApprovalRule], amount: Decimal, department: Department | None) -> ApprovalRule | None:
    """The active rule covering `amount` for the department or its nearest ancestor, else the company-wide one."""
    covering = [rule for rule in rules if rule.active and rule.covers(amount)]
    for department_id in lineage(department):
        found = [rule for rule in covering if rule.department_id == department_id]
        if found:
            return min(found, key=lambda rule: (-rule.min_amount, rule.id or 0))
    return None


def approvers(step: RuleStep, department: Department | None, excluded: set[int], uow: UnitOfWork) -> list[int]:
    """Who approves `step`, never anyone in `excluded` (the requester: no self-approval); [] when nobody."""
    if step.kind is ApproverKind.USER:
        named = step.user_id
        return [named] if named is not None and named not in excluded and _active(named, uow) else []
    if step.kind is ApproverKind.ROLE:
        return _role_holders(step.role_key or "", department, excluded, uow)
    return _manager(department, excluded, uow)


def _role_holders(role_key: str, department: Department | None, excluded: set[int], uow: UnitOfWork) -> list[int]:
    for department_id in lineage(department):
        holders = [u for u in uow.approvals.role_holders(role_key, department_id) if u not in excluded]
        if holders:
            return holders
    return []


def _manager(department: Department | None, excluded: set[int], uow: UnitOfWork) -> list[int]:
    for department_id in lineage(department)[:-1]:
        level = uow.departments.get(department_id) if department_id is not None else None
        manager = level.manager_id if level else None
        if manager is not None and manager not in excluded and _active(manager, uow):
            return [manager]
    return []


def _active(user_id: int | None, uow: UnitOfWork) -> bool:
    user = uow.users.get(user_id) if user_id is not None else None
    return user is not None and user.is_active
