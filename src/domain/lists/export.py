"""Export of any registered list, filtered as on screen, to CSV or Excel, as a background job.

Starting needs the list's read and export permissions and a fresh sign-in (step-up). The job re-runs the list's
query in its owner's current scope (and checks the permission again), in keyset batches; sensitive
columns are masked whatever the owner may reveal and every cell is made formula-safe. The export is
audited as "<entity>.exported" (filters, format, rows) when the file is ready.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.audit.models import AuditEvent
from domain.identity.access import require, require_sensitive
from domain.identity.models import Actor
from domain.jobs.models import Job
from domain.jobs.ports import JobQueue
from domain.jobs.services import Handler, JobContext, start_job
from domain.lists.ports import TableFile
from domain.lists.specs import BatchRequest, ExportColumn, ExportSpec
from domain.shared.errors import PermissionDenied, ValidationFailed
from domain.shared.ports import Clock
from domain.shared.sensitive import mask
from domain.shared.spreadsheet import safe_cell
from domain.unit_of_work import UnitOfWork

BATCH = 1000
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportLabels:
    """Column headings and value labels in the user's language (the worker has no request to ask)."""

    header: list[str]  # one per ExportSpec column, in order
    values: Mapping[str, Mapping[str, str]]  # label tables the list's rows use ("stages": {"lead": "线索"})


def start_export(spec: ExportSpec, query: object, file_format: str, labels: ExportLabels, *, actor: Actor,
                 uow: UnitOfWork, queue: JobQueue, clock: Clock) -> Job:
    """Queue an export of the list as filtered now (`query` is the list's own query value)."""
    require(actor, spec.list_spec.read)  # an export shows nothing the list would not
    require_sensitive(actor, spec.permission)
    if file_format not in FORMATS:
        raise ValidationFailed({"format": "choice.invalid"})
    if len(labels.header) != len(spec.columns):
        raise ValueError(f"{spec.kind}: {len(labels.header)} headings for {len(spec.columns)} columns")
    payload = {"filters": spec.filters_of(query), "format": file_format, "ip": actor.ip,
               "labels": {"header": list(labels.header), **{k: dict(v) for k, v in labels.values.items()}}}
    return start_job(spec.kind, payload, actor=actor, uow=uow, queue=queue, clock=clock)


def export_handler(spec: ExportSpec, files: Mapping[str, TableFile]) -> Handler:
    """The job handler of the list's exports, with a file writer per format (wired by the composition root)."""
    def run(context: JobContext) -> dict[str, Any]:
        return run_export(spec, context, files)

    return run


def run_export(spec: ExportSpec, context: JobContext, files: Mapping[str, TableFile]) -> dict[str, Any]:
    """Write the file, store it, audit the export; the result offers the file for download."""
    actor, payload = context.actor, context.job.payload
    if actor is None:
        raise PermissionDenied(spec.permission.value)
    require(actor, spec.list_spec.read)
    require(actor, spec.permission)
    writer, labels, written = files[payload["format"]], payload["labels"], [0]
    data = writer.write(labels["header"], _rows(spec, context, actor, payload["filters"], labels, written))
    file_id, now = context.files.put(data), context.clock.now()
    with context.uow() as uow:
        uow.audit.append(AuditEvent(f"{spec.entity}.exported", now, actor.user_id, payload.get("ip"), spec.entity,
                                    None, after={"filters": payload["filters"], "format": payload["format"],
                                                 "rows": written[0]}))
        uow.commit()
    return {"file_id": file_id, "filename": f"{spec.list_spec.key}-{now:%Y%m%d-%H%M%S}.{writer.extension}",
            "content_type": writer.content_type, "rows": written[0]}


def _rows(spec: ExportSpec, context: JobContext, actor: Actor, filters: Mapping[str, Any],
          labels: Mapping[str, Any], written: list[int]) -> Iterator[list[str]]:
    after: str | None = None
    while True:
        with context.uow() as uow:
            batch = spec.read(BatchRequest(filters, after, actor, labels, BATCH, context.clock.now()), uow)
        for row in batch.rows:
            yield cells(spec.columns, row)
        written[0] += len(batch.rows)
        context.report(written[0])
        if batch.next_cursor is None:
            return
        after = batch.next_cursor


def cells(columns: Sequence[ExportColumn], row: Sequence[object]) -> list[str]:
    """One exported row: sensitive columns masked, every cell formula-safe."""
    return [safe_cell(mask(column.sensitive, None if value is None else str(value)) if column.sensitive else value)
            for column, value in zip(columns, row, strict=True)]
