"""The contract list's registration with the list tools: saved views and export (no bulk actions).

Saving and using views needs contract.read, like the list. Exporting needs contract.read plus a fresh
sign-in (step-up), and is audited as contract.exported: no separate export permission, because a
contract row shows nothing its reader cannot page through on screen and no column is sensitive.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.contracts.models import ContractKind, ContractListQuery, ContractStatus, ContractSummary
from domain.identity.permissions import Permission
from domain.lists.models import ListSpec
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec, filter_id
from domain.unit_of_work import UnitOfWork

CONTRACT_LIST = ListSpec("contracts", Permission.CONTRACT_READ, ("q", "status", "owner", "customer", "kind",
                                                                  "supplier"))


def filters_of(query: ContractListQuery) -> dict[str, Any]:
    """The list query's filters as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "status": query.status.value if query.status else None,
            "owner_id": query.owner_id, "customer_id": query.customer_id,
            "kind": query.kind.value if query.kind else None, "supplier_id": query.supplier_id}


def query_of(filters: Mapping[str, Any], per_page: int) -> ContractListQuery:
    """The list query back from `filters_of`, values checked again."""
    status, kind = str(filters.get("status")), str(filters.get("kind"))
    return ContractListQuery(
        text=str(filters.get("text") or "")[:100],
        status=ContractStatus(status) if status in ContractStatus.__members__.values() else None,
        owner_id=filter_id(filters.get("owner_id")), customer_id=filter_id(filters.get("customer_id")),
        kind=ContractKind(kind) if kind in ContractKind.__members__.values() else None,
        supplier_id=filter_id(filters.get("supplier_id")), per_page=per_page)


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered contract list in the actor's scope, newest first."""
    query = replace(query_of(request.filters, request.size), after=request.after)
    page = uow.contracts.search(query, request.actor)
    statuses, kinds = request.labels["statuses"], request.labels["kinds"]
    return ExportBatch([_row(c, statuses, kinds) for c in page.items], page.next_cursor)


def _row(c: ContractSummary, statuses: Mapping[str, str], kinds: Mapping[str, str]) -> list[object]:
    return [c.number, c.title, kinds.get(c.kind, c.kind), c.party_name, f"{c.amount:.2f}", c.currency,
            statuses.get(c.status, c.status),
            c.owner_name, c.end_on.isoformat() if c.end_on else "", c.created_at.date().isoformat()]


CONTRACT_EXPORT = ExportSpec(
    CONTRACT_LIST, "contract", Permission.CONTRACT_READ,
    tuple(ExportColumn(key) for key in ("number", "title", "kind", "party", "amount", "currency", "status",
                                        "owner", "end_on", "created")),
    filters_of, read_batch)
