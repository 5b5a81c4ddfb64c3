"""Raising and editing requisitions, and the live totals of the form (line amounts, total, budget after it)."""

from dataclasses import dataclass, replace
from decimal import Decimal

from domain.audit.models import changed_values
from domain.budgets import ledger
from domain.budgets.models import BudgetCheck
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.requisitions.lifecycle import Action, transition
from domain.requisitions.models import Requisition, RequisitionStatus, total_of
from domain.requisitions.services import (
    FormContext,
    audited,
    budget_lines,
    editable,
    event,
    in_scope,
    own_department,
    save,
    today,
)
from domain.requisitions.validation import LineCheck, RequisitionInput, check_lines, requisition_draft
from domain.shared import numbering
from domain.shared.numbering import NumberPattern
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RequisitionPreview:
    """The form's totals region: each row's amount and cell errors, the total, the chosen budget after it."""

    rows: tuple[LineCheck, ...]
    total: Decimal
    budget: BudgetCheck | None


def create_requisition(data: RequisitionInput, *, actor: Actor, uow: UnitOfWork, clock: Clock,
                       pattern: NumberPattern, form_token: str = "") -> Requisition:
    """Raise a draft requisition for the actor's department; its number is drawn in this transaction.

    A repeated `form_token` (double click, Back and submit again) returns the draft it made already."""
    require(actor, Permission.REQUISITION_CREATE)
    department_id = own_department(actor)
    now = clock.now()
    with uow:
        existing = uow.requisitions.get_by_form_token(form_token) if form_token else None
        if existing is not None and existing.created_by == actor.user_id:
            return existing
        context = budget_lines(department_id, today(now), uow)
        draft = requisition_draft(data, today(now), context.budgets)
        requisition = Requisition(
            None, numbering.next_number(pattern, now, uow.sequences), draft.title, draft.purpose, department_id,
            actor.user_id, draft.budget_id, draft.needed_by, RequisitionStatus.DRAFT, actor.user_id, now, now,
            draft.lines, estimated_total=total_of(draft.lines), form_token=form_token or None)
        requisition.id = uow.requisitions.add(requisition)
        uow.audit.append(event("requisition.created", requisition, actor, now, after=audited(requisition)))
        uow.commit()
    return requisition


def update_requisition(requisition_id: int, data: RequisitionInput, expected_version: int, *, actor: Actor,
                       uow: UnitOfWork, clock: Clock) -> Requisition:
    """Save the requester's edits of a draft made on `expected_version`; StaleVersion if someone saved since."""
    require(actor, Permission.REQUISITION_CREATE)
    now = clock.now()
    with uow:
        requisition = editable(requisition_id, expected_version, actor, uow, Action.EDIT)
        draft = requisition_draft(data, today(now), budget_lines(requisition.department_id, today(now), uow).budgets)
        edited = replace(transition(requisition, Action.EDIT, now=now), title=draft.title, purpose=draft.purpose,
                         budget_id=draft.budget_id, needed_by=draft.needed_by, lines=draft.lines,
                         estimated_total=total_of(draft.lines))
        before, after = changed_values(audited(requisition), audited(edited))
        if not after:
            return requisition
        save(edited, expected_version, uow)
        if "lines" in after:
            edited.lines = uow.requisitions.replace_lines(requisition_id, draft.lines)
        uow.audit.append(event("requisition.updated", edited, actor, now, before=before, after=after))
        uow.commit()
    return edited


def requisition_by_form_token(form_token: str, *, actor: Actor, uow: UnitOfWork) -> Requisition | None:
    """The draft the actor's create form made already (a parallel double submit), or None."""
    require(actor, Permission.REQUISITION_CREATE)
    with uow:
        found = uow.requisitions.get_by_form_token(form_token) if form_token else None
    return found if found is not None and found.created_by == actor.user_id else None


def preview_requisition(data: RequisitionInput, requisition_id: int | None, *, actor: Actor, uow: UnitOfWork,
                        clock: Clock) -> RequisitionPreview:
    """What the form adds up to as typed: nothing is saved. The budget line must be one the form offers
    (the department's: the actor's for a new requisition, else the requisition's, which must be in scope)."""
    require(actor, Permission.REQUISITION_CREATE)
    day = today(clock.now())
    with uow:
        department_id = own_department(actor) if requisition_id is None else \
            in_scope(requisition_id, actor, uow).department_id
        context = budget_lines(department_id, day, uow)
        checked = check_lines(data.lines, day)
        budget_id = chosen_budget(data.budget_id, context)
        return RequisitionPreview(checked.rows, checked.total,
                                  ledger.check(budget_id, checked.total, uow) if budget_id else None)


def chosen_budget(raw: str, context: FormContext) -> int | None:
    """The budget line the form names, if it is one the form offers."""
    value = raw.strip()
    return next((b.id for b in context.budgets if value.isdigit() and b.id == int(value)), None)
