"""Staged import of customers or suppliers: upload, map columns, dry run, commit, undo (the steps users start).

Every step needs the target's import permission (customer.import, supplier.import). A batch belongs to its
uploader; the target names who else may act on it (customers: users who see all customers; suppliers:
importers who may also reveal bank accounts), so they can undo a colleague's import. Anyone else gets
NotFound, as for a batch of another target. The work itself runs in background jobs (domain.imports.jobs).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.audit.models import AuditEvent, Values
from domain.identity.access import require, require_fresh
from domain.identity.models import Actor
from domain.imports.errors import BatchNotReady
from domain.imports.mapping import guess_mapping, header_key, mapping_errors
from domain.imports.models import FORMATS, BatchStatus, ImportBatch, ImportMode
from domain.imports.target import ImportTarget
from domain.imports.targets import TARGETS
from domain.jobs.models import Job
from domain.jobs.ports import FileStore, JobQueue
from domain.jobs.services import start_job
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

CHECK, COMMIT, UNDO = "check", "commit", "undo"  # job steps: the kinds are "customers.import.check", …
MAX_COLUMNS = 200
Target = ImportTarget[Any, Any]


@dataclass(frozen=True)
class Upload:
    """An uploaded file whose format the web layer recognised by its content, with its header row."""

    data: bytes
    filename: str
    format: str
    header: list[str]


def upload_batch(upload: Upload, *, target: Target, actor: Actor, uow: UnitOfWork, files: FileStore,
                 clock: Clock) -> ImportBatch:
    """Store the file as a new batch, mapped as this user last mapped the same header, else by header names."""
    require(actor, target.permission)
    if upload.format not in FORMATS:
        raise ValidationFailed({"file": "import.format"})
    if not any(title.strip() for title in upload.header) or len(upload.header) > MAX_COLUMNS:
        raise ValidationFailed({"file": "import.header"})
    now = clock.now()
    with uow:
        remembered = uow.imports.remembered_mapping(actor.user_id, header_key(upload.header, target))
        mapping = remembered if remembered and len(remembered) == len(upload.header) else \
            guess_mapping(upload.header, target)
        batch = ImportBatch(None, actor.user_id, files.put(upload.data), upload.filename[:200], upload.format,
                            upload.header, mapping, now, target=target.key)
        batch.id = uow.imports.add(batch)
        uow.audit.append(_event("import_uploaded", batch, actor, now,
                                {"filename": batch.filename, "format": batch.format, "columns": len(batch.header)}))
        uow.commit()
    return batch


def get_batch(batch_id: int, *, target: Target, actor: Actor, uow: UnitOfWork) -> tuple[ImportBatch, Job | None]:
    """A batch into `target` the actor may act on, with its latest job; NotFound for anyone else's."""
    require(actor, target.permission)
    with uow:
        batch = _batch(batch_id, target, actor, uow)
        return batch, uow.jobs.get(batch.job_id) if batch.job_id else None


def recent_batches(*, target: Target, actor: Actor, uow: UnitOfWork, limit: int = 20) -> list[ImportBatch]:
    """The actor's own latest batches into `target`, newest first."""
    require(actor, target.permission)
    with uow:
        return uow.imports.recent(actor.user_id, target.key, limit)


def error_file_of(batch_id: int, *, target: Target, actor: Actor, uow: UnitOfWork, clock: Clock) -> ImportBatch:
    """A checked batch whose error file the actor may download; NotFound when there is none.

    The file repeats what was uploaded. Where that holds secrets (supplier bank accounts), anyone but the
    uploader needs a fresh step-up, and the download is audited.
    """
    require(actor, target.permission)
    with uow:
        batch = _batch(batch_id, target, actor, uow)
        if not batch.error_file_id:
            raise NotFound()
        if target.guarded_error_file and batch.owner_id != actor.user_id:
            require_fresh(actor)
            uow.audit.append(_event("import_errors_downloaded", batch, actor, clock.now(), {"owner": batch.owner_id}))
            uow.commit()
    return batch


def start_check(batch_id: int, mapping: list[str], mode: str, options: dict[str, Any], *, target: Target,
                actor: Actor, uow: UnitOfWork, queue: JobQueue, clock: Clock) -> ImportBatch:
    """Save the mapping (remembered for this header) and mode, and queue the dry run of every row.

    `options` carries the translated words the job needs: choice labels, error messages, the error column title.
    """
    require(actor, target.permission)
    with uow:
        batch = _batch(batch_id, target, actor, uow)
        errors = mapping_errors(mapping, len(batch.header), target) | _mode_errors(mode)
        if errors:
            raise ValidationFailed(errors)
        _require_status(batch, BatchStatus.UPLOADED, BatchStatus.CHECKED)
        uow.imports.remember_mapping(actor.user_id, header_key(batch.header, target), mapping, clock.now())
        batch.mapping, batch.mode = mapping, ImportMode(mode)
        _move(batch, BatchStatus.CHECKING, uow)
        uow.commit()
    return _queue(CHECK, target, batch, options, actor, uow, queue, clock)


def start_commit(batch_id: int, options: dict[str, Any], *, target: Target, actor: Actor, uow: UnitOfWork,
                 queue: JobQueue, clock: Clock) -> ImportBatch:
    """Queue the commit of a checked batch: its valid rows are written, invalid ones skipped."""
    require(actor, target.permission)
    with uow:
        batch = _batch(batch_id, target, actor, uow)
        _require_status(batch, BatchStatus.CHECKED)
        _move(batch, BatchStatus.COMMITTING, uow)
        uow.commit()
    return _queue(COMMIT, target, batch, options, actor, uow, queue, clock)


def start_undo(batch_id: int, *, target: Target, actor: Actor, uow: UnitOfWork, queue: JobQueue,
               clock: Clock) -> ImportBatch:
    """Queue the undo of a committed batch (once): created records go, updated ones get their old values."""
    require(actor, target.permission)
    with uow:
        batch = _batch(batch_id, target, actor, uow)
        _require_status(batch, BatchStatus.COMMITTED, BatchStatus.PARTIAL)
        _move(batch, BatchStatus.UNDOING, uow)
        uow.commit()
    return _queue(UNDO, target, batch, {}, actor, uow, queue, clock)


def may_act_on(batch: ImportBatch, actor: Actor) -> bool:
    """The uploader, or someone the batch's target lets oversee others' batches."""
    return batch.owner_id == actor.user_id or TARGETS[batch.target].oversees(actor)


def _batch(batch_id: int, target: Target, actor: Actor, uow: UnitOfWork) -> ImportBatch:
    batch = uow.imports.get(batch_id)
    if batch is None or batch.target != target.key or not may_act_on(batch, actor):
        raise NotFound()
    return batch


def _require_status(batch: ImportBatch, *allowed: BatchStatus) -> None:
    if batch.status not in allowed:
        raise BatchNotReady(batch.status.value)


def _mode_errors(mode: str) -> dict[str, str]:
    return {} if mode in tuple(ImportMode) else {"mode": "choice.invalid"}


def _move(batch: ImportBatch, status: BatchStatus, uow: UnitOfWork) -> None:
    batch.status = status
    if not uow.imports.save(batch, batch.version):
        raise BatchNotReady("changed")
    batch.version += 1


def _queue(step: str, target: Target, batch: ImportBatch, options: dict[str, Any], actor: Actor, uow: UnitOfWork,
           queue: JobQueue, clock: Clock) -> ImportBatch:
    assert batch.id is not None
    job = start_job(target.job_kind(step), options | {"batch_id": batch.id}, actor=actor, uow=uow, queue=queue,
                    clock=clock)
    with uow:
        uow.imports.attach_job(batch.id, job.id or 0)
        uow.commit()
    batch.job_id = job.id
    return batch


def _event(step: str, batch: ImportBatch, actor: Actor, now: datetime, after: Values) -> AuditEvent:
    return AuditEvent(TARGETS[batch.target].action(step), now, actor.user_id, actor.ip, "import_batch", str(batch.id),
                      None, after)
