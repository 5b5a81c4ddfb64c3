"""Export of the customer list (the generic export of domain.lists.export, registered as CUSTOMER_EXPORT).

Columns: name, credit code, stage, region, owner, created, phone and e-mail (always masked), tags.
Needs customer.export plus a fresh sign-in; audited as customer.exported.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.customers.list_models import CUSTOMER_LIST
from domain.customers.models import SORTS, CustomerListQuery, CustomerStage, CustomerSummary
from domain.identity.permissions import Permission
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec, filter_id
from domain.shared.sensitive import SensitiveKind
from domain.unit_of_work import UnitOfWork


def filters_of(query: CustomerListQuery) -> dict[str, Any]:
    """The list query's filters and sort as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "stage": query.stage.value if query.stage else None, "owner_id": query.owner_id,
            "tag_id": query.tag_id, "sort": query.sort}


def query_of(filters: Mapping[str, Any], per_page: int) -> CustomerListQuery:
    """The list query back from `filters_of`, values checked again."""
    stage, sort = str(filters.get("stage")), filters.get("sort")
    return CustomerListQuery(
        text=str(filters.get("text") or "")[:100],
        stage=CustomerStage(stage) if stage in CustomerStage.__members__.values() else None,
        owner_id=filter_id(filters.get("owner_id")), tag_id=filter_id(filters.get("tag_id")),
        sort=sort if sort in SORTS else "-created", per_page=per_page)


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered list in the actor's scope, with contact data (masked by the export) and tags."""
    actor, labels = request.actor, request.labels
    page = uow.customers.search(replace(query_of(request.filters, request.size), after=request.after), actor)
    ids = [c.id for c in page.items]
    contacts, tags = uow.customers.contacts(ids), uow.tags.of_customers(ids, actor)
    rows = [_row(c, labels, *contacts.get(c.id, (None, None)), [t.name for t in tags.get(c.id, [])])
            for c in page.items]
    return ExportBatch(rows, page.next_cursor)


def _row(c: CustomerSummary, labels: Mapping[str, Any], phone: str | None, email: str | None,
         tags: list[str]) -> list[object]:
    return [c.name, c.credit_code, labels["stages"].get(c.stage, c.stage), labels["regions"].get(c.region, c.region),
            c.owner_name, c.created_on.isoformat(), phone, email, "; ".join(tags)]


CUSTOMER_EXPORT = ExportSpec(
    CUSTOMER_LIST, "customer", Permission.CUSTOMER_EXPORT,
    (ExportColumn("name"), ExportColumn("credit_code"), ExportColumn("stage"), ExportColumn("region"),
     ExportColumn("owner"), ExportColumn("created"), ExportColumn("phone", SensitiveKind.PHONE),
     ExportColumn("email", SensitiveKind.EMAIL), ExportColumn("tags")),
    filters_of, read_batch)
