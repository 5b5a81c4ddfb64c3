"""The requisition list's registration with the list tools: saved views and export (bulk close: bulk.py).

Views keep the search and the status, department and "only mine" filters; they need requisition.read like the
list. The export needs purchase.export plus a fresh sign-in, reads in the owner's requisition scope when it
runs, and is audited as requisition.exported.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.identity.permissions import Permission
from domain.lists.cells import amount, day
from domain.lists.models import ListSpec
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec, filter_id
from domain.requisitions.models import RequisitionExportRow, RequisitionListQuery, RequisitionStatus
from domain.unit_of_work import UnitOfWork

REQUISITION_LIST = ListSpec("requisitions", Permission.REQUISITION_READ, ("q", "status", "department", "mine"))
COLUMNS = ("number", "title", "purpose", "department", "requester", "status", "estimated_total", "currency",
           "budget", "needed_by", "lines", "submitted", "decided", "created", "closed_reason")


def filters_of(query: RequisitionListQuery) -> dict[str, Any]:
    """The list query's filters as JSON values (no cursor; "mine" stays the owner's own requisitions)."""
    return {"text": query.text, "status": query.status.value if query.status else None,
            "department_id": query.department_id, "mine": query.requester_id is not None}


def query_of(filters: Mapping[str, Any], per_page: int, user_id: int) -> RequisitionListQuery:
    """The list query back from `filters_of` for the export's owner, values checked again."""
    status = str(filters.get("status"))
    return RequisitionListQuery(
        text=str(filters.get("text") or "")[:100],
        status=RequisitionStatus(status) if status in RequisitionStatus.__members__.values() else None,
        department_id=filter_id(filters.get("department_id")),
        requester_id=user_id if filters.get("mine") is True else None, per_page=per_page)


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered requisition list in the actor's scope, newest first."""
    query = replace(query_of(request.filters, request.size, request.actor.user_id), after=request.after)
    page = uow.requisitions.export_rows(query, request.actor)
    return ExportBatch([_row(r, request.labels["statuses"]) for r in page.items], page.next_cursor)


def _row(r: RequisitionExportRow, statuses: Mapping[str, str]) -> list[object]:
    return [r.number, r.title, r.purpose, r.department_name, r.requester_name, statuses.get(r.status, r.status),
            amount(r.estimated_total), r.currency, r.budget, day(r.needed_by), r.lines, day(r.submitted_at),
            day(r.decided_at), day(r.created_at), r.closed_reason or ""]


REQUISITION_EXPORT = ExportSpec(REQUISITION_LIST, "requisition", Permission.PURCHASE_EXPORT,
                                tuple(ExportColumn(key) for key in COLUMNS), filters_of, read_batch)
