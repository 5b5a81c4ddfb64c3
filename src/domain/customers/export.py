"""Export of the filtered customer list to CSV or Excel, as a background job.

The job re-runs the list's query in its owner's current scope, in keyset batches, with phone and
e-mail masked whatever the owner may reveal, and every cell made formula-safe. The export is
audited (filters, format, rows) when the file is ready.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from domain.audit.models import AuditEvent
from domain.customers.list_ports import TableFile
from domain.customers.models import SORTS, CustomerListQuery, CustomerStage, CustomerSummary
from domain.identity.access import require, require_sensitive
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.jobs.models import Job
from domain.jobs.ports import JobQueue
from domain.jobs.services import Handler, JobContext, start_job
from domain.shared.errors import PermissionDenied, ValidationFailed
from domain.shared.ports import Clock
from domain.shared.sensitive import SensitiveKind, mask
from domain.shared.spreadsheet import safe_cell
from domain.unit_of_work import UnitOfWork

EXPORT_KIND = "customers.export"
BATCH = 1000
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportLabels:
    """Column headings and value labels in the user's language (the worker has no request to ask)."""

    header: list[str]
    stages: dict[str, str]
    regions: dict[str, str]


def start_export(query: CustomerListQuery, file_format: str, labels: ExportLabels, *, actor: Actor,
                 uow: UnitOfWork, queue: JobQueue, clock: Clock) -> Job:
    """Queue an export of the list as filtered now; needs the export permission and a fresh sign-in."""
    require_sensitive(actor, Permission.CUSTOMER_EXPORT)
    if file_format not in FORMATS:
        raise ValidationFailed({"format": "choice.invalid"})
    payload = {"filters": filters_of(query), "format": file_format, "ip": actor.ip,
               "labels": {"header": labels.header, "stages": labels.stages, "regions": labels.regions}}
    return start_job(EXPORT_KIND, payload, actor=actor, uow=uow, queue=queue, clock=clock)


def export_handler(files: Mapping[str, TableFile]) -> Handler:
    """The job handler, with a file writer per format (wired by the composition root)."""
    def run(context: JobContext) -> dict[str, Any]:
        return run_export(context, files)

    return run


def run_export(context: JobContext, files: Mapping[str, TableFile]) -> dict[str, Any]:
    """Write the file, store it, audit the export; the result offers the file for download."""
    actor, payload = context.actor, context.job.payload
    if actor is None:
        raise PermissionDenied(Permission.CUSTOMER_EXPORT.value)
    require(actor, Permission.CUSTOMER_EXPORT)
    writer, labels = files[payload["format"]], payload["labels"]
    written = [0]
    data = writer.write(labels["header"], _rows(context, actor, query_of(payload["filters"]), labels, written))
    file_id, now = context.files.put(data), context.clock.now()
    with context.uow() as uow:
        uow.audit.append(AuditEvent("customer.exported", now, actor.user_id, payload.get("ip"), "customer", None,
                                    after={"filters": payload["filters"], "format": payload["format"],
                                           "rows": written[0]}))
        uow.commit()
    return {"file_id": file_id, "filename": f"customers-{now:%Y%m%d-%H%M%S}.{writer.extension}",
            "content_type": writer.content_type, "rows": written[0]}


def filters_of(query: CustomerListQuery) -> dict[str, Any]:
    """The list query's filters and sort as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "stage": query.stage.value if query.stage else None, "owner_id": query.owner_id,
            "tag_id": query.tag_id, "sort": query.sort}


def query_of(filters: Mapping[str, Any]) -> CustomerListQuery:
    """The list query back from `filters_of`, values checked again."""
    stage, sort = str(filters.get("stage")), filters.get("sort")
    return CustomerListQuery(
        text=str(filters.get("text") or "")[:100],
        stage=CustomerStage(stage) if stage in CustomerStage.__members__.values() else None,
        owner_id=_int_or_none(filters.get("owner_id")), tag_id=_int_or_none(filters.get("tag_id")),
        sort=sort if sort in SORTS else "-created", per_page=BATCH)


def _rows(context: JobContext, actor: Actor, query: CustomerListQuery, labels: Mapping[str, Any],
          written: list[int]) -> Iterator[list[str]]:
    after: str | None = None
    while True:
        with context.uow() as uow:
            page = uow.customers.search(replace(query, after=after), actor)
            ids = [c.id for c in page.items]
            contacts, tags = uow.customers.contacts(ids), uow.tags.of_customers(ids, actor)
        for customer in page.items:
            phone, email = contacts.get(customer.id, (None, None))
            yield _row(customer, labels, phone, email, [t.name for t in tags.get(customer.id, [])])
        written[0] += len(page.items)
        context.report(written[0])
        if page.next_cursor is None:
            return
        after = page.next_cursor


def _row(c: CustomerSummary, labels: Mapping[str, Any], phone: str | None, email: str | None,
         tags: list[str]) -> list[str]:
    cells = [c.name, c.credit_code, labels["stages"].get(c.stage, c.stage), labels["regions"].get(c.region, c.region),
             c.owner_name, c.created_on.isoformat(), mask(SensitiveKind.PHONE, phone), mask(SensitiveKind.EMAIL, email),
             "; ".join(tags)]
    return [safe_cell(cell) for cell in cells]


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
