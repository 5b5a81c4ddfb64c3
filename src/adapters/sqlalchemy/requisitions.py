"""SQL repository for requisitions and their lines. The record scope is part of every query for a person."""

from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, delete, func, insert, or_, select, update

from adapters.sqlalchemy.keyset import newest_first
from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import budgets, departments, requisition_lines, requisitions, users
from domain.identity.models import Actor
from domain.requisitions.models import (
    Requisition,
    RequisitionExportRow,
    RequisitionLine,
    RequisitionListQuery,
    RequisitionStatus,
    RequisitionSummary,
)
from domain.shared.paging import Page

r = requisitions.c
_SUMMARY = select(r.id, r.number, r.title, departments.c.name.label("department_name"),
                  users.c.display_name.label("requester_name"), r.estimated_total, r.currency, r.status, r.needed_by,
                  r.created_at).join(departments, departments.c.id == r.department_id
                                     ).join(users, users.c.id == r.requester_id)
_LINES = select(func.count()).where(requisition_lines.c.requisition_id == r.id).scalar_subquery()
_EXPORT = select(r.number, r.title, r.purpose, departments.c.name.label("department_name"),
                 users.c.display_name.label("requester_name"), r.status, r.estimated_total, r.currency,
                 func.coalesce(budgets.c.code + " " + budgets.c.name, "").label("budget"), r.needed_by,
                 _LINES.label("lines"), r.submitted_at, r.decided_at, r.created_at, r.closed_reason, r.id
                 ).join(departments, departments.c.id == r.department_id).join(
    users, users.c.id == r.requester_id).outerjoin(budgets, budgets.c.id == r.budget_id)


def requisition_scope(actor: Actor) -> ColumnElement[bool]:
    """The rows of `requisitions` the actor may see: the requester is the owner, the department the requisition's."""
    return record_scope(actor, "requisition", r.requester_id, r.department_id)


class SqlRequisitionRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, requisition: Requisition) -> int:
        values = _values(requisition) | {"number": requisition.number, "department_id": requisition.department_id,
                                         "requester_id": requisition.requester_id, "currency": requisition.currency,
                                         "created_by": requisition.created_by, "created_at": requisition.created_at,
                                         "form_token": requisition.form_token}
        requisition_id = int(self._db.execute(insert(requisitions).values(values).returning(r.id)).scalar_one())
        self.replace_lines(requisition_id, requisition.lines)
        return requisition_id

    def get_by_form_token(self, form_token: str) -> Requisition | None:
        return self._one(select(requisitions).where(r.form_token == form_token), with_lines=True)

    def get(self, requisition_id: int, actor: Actor) -> Requisition | None:
        return self._one(select(requisitions).where(r.id == requisition_id, requisition_scope(actor)),
                         with_lines=True)

    def get_unscoped(self, requisition_id: int, *, with_lines: bool = True) -> Requisition | None:
        return self._one(select(requisitions).where(r.id == requisition_id), with_lines=with_lines)

    def update(self, requisition: Requisition, expected_version: int) -> bool:
        result = self._db.execute(update(requisitions).where(
            r.id == requisition.id, r.version == expected_version).values(_values(requisition)))
        return result.rowcount == 1

    def replace_lines(self, requisition_id: int, lines: tuple[RequisitionLine, ...]) -> tuple[RequisitionLine, ...]:
        self._db.execute(delete(requisition_lines).where(requisition_lines.c.requisition_id == requisition_id))
        if lines:
            self._db.execute(insert(requisition_lines), [_line_values(requisition_id, line) for line in lines])
        return self._lines(requisition_id)

    def search(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionSummary]:
        statement = _filtered(_SUMMARY.where(requisition_scope(actor)), query)
        return newest_first(self._db, statement, r.created_at, r.id, query.after, query.before, query.per_page,
                            lambda row: RequisitionSummary(*row))

    def export_rows(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionExportRow]:
        statement = _filtered(_EXPORT.where(requisition_scope(actor)), query)
        return newest_first(self._db, statement, r.created_at, r.id, query.after, query.before, query.per_page,
                            lambda row: RequisitionExportRow(*row[:-1]))

    def _one(self, statement: Select[Any], *, with_lines: bool) -> Requisition | None:
        row = self._db.execute(statement).first()
        if row is None:
            return None
        return _requisition(row, self._lines(row.id) if with_lines else ())

    def _lines(self, requisition_id: int) -> tuple[RequisitionLine, ...]:
        rows = self._db.execute(select(requisition_lines).where(requisition_lines.c.requisition_id == requisition_id)
                                .order_by(requisition_lines.c.position))
        return tuple(RequisitionLine(row.id, row.position, row.item, row.specification, row.quantity, row.unit,
                                     row.estimated_unit_price, row.amount, row.needed_by, row.ordered_quantity)
                     for row in rows)


def _filtered(statement: Select[Any], query: RequisitionListQuery) -> Select[Any]:
    if query.status:
        statement = statement.where(r.status == query.status.value)
    if query.department_id:
        statement = statement.where(r.department_id == query.department_id)
    if query.requester_id:
        statement = statement.where(r.requester_id == query.requester_id)
    if query.text:
        statement = statement.where(or_(r.number == query.text.upper(), r.title.icontains(query.text, autoescape=True)))
    return statement


def _values(requisition: Requisition) -> dict[str, Any]:
    return {"title": requisition.title, "purpose": requisition.purpose, "budget_id": requisition.budget_id,
            "needed_by": requisition.needed_by, "estimated_total": requisition.estimated_total,
            "status": requisition.status.value, "submitted_at": requisition.submitted_at,
            "decided_at": requisition.decided_at, "closed_reason": requisition.closed_reason,
            "updated_at": requisition.updated_at, "version": requisition.version}


def _line_values(requisition_id: int, line: RequisitionLine) -> dict[str, Any]:
    return {"requisition_id": requisition_id, "position": line.position, "item": line.item,
            "specification": line.specification, "quantity": line.quantity, "unit": line.unit,
            "estimated_unit_price": line.estimated_unit_price, "amount": line.amount, "needed_by": line.needed_by,
            "ordered_quantity": line.ordered_quantity}


def _requisition(row: Row[Any], lines: tuple[RequisitionLine, ...]) -> Requisition:
    return Requisition(row.id, row.number, row.title, row.purpose, row.department_id, row.requester_id, row.budget_id,
                       row.needed_by, RequisitionStatus(row.status), row.created_by, row.created_at, row.updated_at,
                       lines, row.currency, row.submitted_at, row.decided_at, row.closed_reason, row.version,
                       row.form_token, row.estimated_total)
