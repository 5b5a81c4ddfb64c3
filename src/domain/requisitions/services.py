"""Requisition records: list, read, and the checks every use case shares (scope, requester, version, audit)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.administration.models import tree_choices
from domain.approvals.involvement import approves
from domain.approvals.records import business_day
from domain.audit.models import AuditEvent, Values
from domain.budgets import ledger
from domain.budgets.models import Budget, BudgetCheck
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission, Scope
from domain.lists.models import SavedView
from domain.lists.saved_views import visible_views
from domain.requisitions.errors import NoDepartment
from domain.requisitions.lifecycle import Action, ensure
from domain.requisitions.lists import REQUISITION_LIST
from domain.requisitions.models import Requisition, RequisitionListQuery, RequisitionStatus, RequisitionSummary
from domain.shared.errors import InvalidTransition, NotFound, StaleVersion
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

DOCUMENT = "requisition"  # the approval engine's document type and the budget ledger's
UNCOMMITTED = (RequisitionStatus.DRAFT, RequisitionStatus.SUBMITTED, RequisitionStatus.REJECTED)


@dataclass(frozen=True)
class RequisitionDetail:
    requisition: Requisition
    department_name: str
    requester_name: str
    budget: Budget | None
    in_scope: bool  # False: an approver outside the record scope reads it (no actions)
    budget_after: BudgetCheck | None = None  # before approval: the budget line after this requisition


@dataclass(frozen=True)
class RequisitionList:
    page: Page[RequisitionSummary]
    departments: list[tuple[int, str]]  # choices of the department filter; empty for own scope
    views: list[SavedView] = field(default_factory=list)  # saved views of the requisition list the actor may use


@dataclass(frozen=True)
class FormContext:
    """What the requisition form offers: the department it is for and that department's open budget lines."""

    department_id: int
    department_name: str
    budgets: list[Budget]


def list_requisitions(query: RequisitionListQuery, *, actor: Actor, uow: UnitOfWork,
                      with_filters: bool = True, with_views: bool = False) -> RequisitionList:
    """One keyset page of the requisitions the actor may see, the departments they may filter by, and their saved
    views of the list, in one read transaction."""
    require(actor, Permission.REQUISITION_READ)
    with uow:
        page = uow.requisitions.search(query, actor)
        departments = visible_departments(actor, uow) if with_filters else []
        views = visible_views(REQUISITION_LIST, actor, uow) if with_views else []
    return RequisitionList(page, departments, views)


def get_requisition(requisition_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> RequisitionDetail:
    """A requisition in the actor's scope, or one they have an approval task on (read only); NotFound otherwise."""
    with uow:
        requisition = uow.requisitions.get(requisition_id, actor) if actor.can(Permission.REQUISITION_READ) else None
        in_scope = requisition is not None
        if requisition is None and approves(DOCUMENT, requisition_id, actor, uow, clock.now()):
            requisition = uow.requisitions.get_unscoped(requisition_id)
        if requisition is None:
            require(actor, Permission.REQUISITION_READ)
            raise NotFound()
        names = uow.users.names({requisition.requester_id})
        budget = uow.budgets.get(requisition.budget_id) if requisition.budget_id else None
        return RequisitionDetail(requisition, uow.users.department_name(requisition.department_id) or "",
                                 names.get(requisition.requester_id, ""), budget, in_scope, _after(requisition, uow))


def _after(requisition: Requisition, uow: UnitOfWork) -> BudgetCheck | None:
    """What approving would leave of the budget line; None once the ledger holds the requisition (or without one)."""
    if requisition.budget_id is None or requisition.status not in UNCOMMITTED:
        return None
    return ledger.check(requisition.budget_id, requisition.estimated_total, uow)


def form_context(requisition_id: int | None, *, actor: Actor, uow: UnitOfWork, clock: Clock,
                 editing: bool = True) -> FormContext:
    """The department and budget lines of a new requisition (the actor's department) or of a draft of theirs
    (`editing`: refused unless it is the actor's draft; else any requisition in scope, e.g. after a conflict)."""
    require(actor, Permission.REQUISITION_CREATE)
    with uow:
        if requisition_id is None:
            return budget_lines(own_department(actor), today(clock.now()), uow)
        requisition = editable(requisition_id, None, actor, uow, Action.EDIT) if editing else \
            in_scope(requisition_id, actor, uow)
        return budget_lines(requisition.department_id, today(clock.now()), uow)


def budget_lines(department_id: int, day: date, uow: UnitOfWork) -> FormContext:
    """The department's active budgets covering `day`: the budget lines a requisition may charge."""
    return FormContext(department_id, uow.users.department_name(department_id) or "",
                       uow.budgets.of_department(department_id, on=day))


def own_department(actor: Actor) -> int:
    """The department a requisition of the actor is for; NoDepartment when they belong to none."""
    if actor.department_id is None:
        raise NoDepartment(NoDepartment.code)
    return actor.department_id


def visible_departments(actor: Actor, uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of the departments whose requisitions the actor's scope covers, in tree order."""
    scope = actor.scope(DOCUMENT)
    if scope is Scope.ALL:
        return tree_choices(uow.departments.all())
    root = uow.departments.get(actor.department_id) if actor.department_id is not None else None
    return tree_choices(uow.departments.all(), root) if scope is Scope.DEPARTMENT and root is not None else []


def in_scope(requisition_id: int, actor: Actor, uow: UnitOfWork) -> Requisition:
    requisition = uow.requisitions.get(requisition_id, actor)
    if requisition is None:
        raise NotFound()
    return requisition


def editable(requisition_id: int, expected_version: int | None, actor: Actor, uow: UnitOfWork,
             action: Action) -> Requisition:
    """The requester's own requisition in scope, if `action` is allowed in its status and nobody saved since
    `expected_version` (None: not checked); drafts are edited, submitted and reopened by their requester only."""
    requisition = in_scope(requisition_id, actor, uow)
    if requisition.requester_id != actor.user_id:
        raise InvalidTransition("requisition.not_requester")
    ensure(requisition.status, action)
    check_version(requisition, expected_version)
    return requisition


def check_version(requisition: Requisition, expected_version: int | None) -> None:
    if expected_version is not None and requisition.version != expected_version:
        raise StaleVersion(requisition.version)


def save(requisition: Requisition, expected_version: int, uow: UnitOfWork) -> None:
    """Write the header against `expected_version`; StaleVersion if someone saved in between."""
    if not uow.requisitions.update(requisition, expected_version):
        current = uow.requisitions.get_unscoped(requisition.id or 0, with_lines=False)
        raise StaleVersion(current.version if current else expected_version)


def today(now: datetime) -> date:
    """The company's calendar day: budgets covering it, and needed-by dates not before it."""
    return business_day(now)


def audited(requisition: Requisition) -> Values:
    """The requisition as its audit record shows it, each line compacted to one string."""
    return {"number": requisition.number, "title": requisition.title, "purpose": requisition.purpose,
            "budget_id": requisition.budget_id,
            "needed_by": requisition.needed_by.isoformat() if requisition.needed_by else None,
            "estimated_total": f"{requisition.estimated_total:.2f}", "status": requisition.status.value,
            "lines": [line.compact() for line in requisition.lines]}


def event(action: str, requisition: Requisition, actor: Actor | None, now: datetime, before: Values | None = None,
          after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id if actor else None, actor.ip if actor else None, DOCUMENT,
                      str(requisition.id), before, after)
