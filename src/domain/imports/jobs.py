"""The background work of an import: dry run, commit in chunks, undo. Registered by the web layer, which
supplies the file reader (CSV / XLSX parsing is an adapter concern, kept out of the domain)."""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from itertools import islice
from typing import Any

from domain.audit.models import AuditEvent
from domain.identity.access import require
from domain.identity.models import Actor
from domain.imports.models import CHUNK, PROBLEMS_SHOWN, BatchStatus, ImportBatch, ImportItem, Problem
from domain.imports.ports import Spreadsheet
from domain.imports.rows import RowChecker, RowResult, Rows
from domain.imports.services import may_act_on
from domain.imports.target import ImportTarget
from domain.imports.targets import TARGETS
from domain.jobs.services import JobContext
from domain.shared.errors import Conflict, NotFound
from domain.unit_of_work import UnitOfWork

OpenSheet = Callable[[bytes, str], Spreadsheet]
Target = ImportTarget[Any, Any]
Result = RowResult[Any, Any]


def check_batch(context: JobContext, open_sheet: OpenSheet) -> dict[str, Any]:
    """Dry run: check every row, count, keep the first problems, and write the file with an error column."""
    batch, actor = _start(context)
    try:
        return _check(batch, actor, context, open_sheet)
    except Exception:
        _reopen(context, batch)
        raise


def _check(batch: ImportBatch, actor: Actor, context: JobContext, open_sheet: OpenSheet) -> dict[str, Any]:
    sheet = open_sheet(context.files.get(batch.file_id), batch.format)
    checker: RowChecker[Any, Any] = RowChecker(batch, context.job.payload["vocabulary"], actor)
    counts, errors = Counter[str](), {}
    for chunk in _chunks(sheet.rows()):
        with context.uow() as uow:
            results = checker.check(chunk, uow)
        for result in results:
            counts.update(_verdict(result))
            if result.errors:
                errors[result.row] = result.errors
        context.report(counts["rows"], max(counts["rows"], sheet.estimated_rows))
    texts = {row: _error_text(found, context.job.payload) for row, found in errors.items()}
    error_file = context.files.put(sheet.with_errors(texts, context.job.payload.get("error_column", "Errors")))
    problems = [Problem(row, field, code) for row, found in list(errors.items())[:PROBLEMS_SHOWN]
                for field, code in found.items()]
    _finish(context, batch, actor, "import_checked", BatchStatus.CHECKED, dict(counts),
            problems=problems, error_file_id=error_file)
    return dict(counts)


def commit_batch(context: JobContext, open_sheet: OpenSheet) -> dict[str, Any]:
    """Write the valid rows, CHUNK rows per transaction, recording for undo what each row did."""
    batch, actor = _start(context)
    checker: RowChecker[Any, Any] = RowChecker(batch, context.job.payload["vocabulary"], actor)
    counts = Counter[str]()
    total = batch.counts.get("rows", 0)
    try:
        sheet = open_sheet(context.files.get(batch.file_id), batch.format)
        for chunk in _chunks(sheet.rows()):
            _commit_chunk(chunk, checker, batch, actor, context, counts)
            context.report(counts["done"], max(total, counts["done"]))
    except Exception:
        _finish(context, batch, actor, "imported", BatchStatus.PARTIAL, _commit_counts(counts, True))
        raise
    _finish(context, batch, actor, "imported", BatchStatus.COMMITTED, _commit_counts(counts, False))
    return _commit_counts(counts, False)


def undo_batch(context: JobContext) -> dict[str, Any]:
    """Delete the records the batch created and restore those it updated, unless they changed since."""
    batch, actor = _start(context)
    counts, after = Counter[str](), 0
    total = batch.counts.get("created", 0) + batch.counts.get("updated", 0)
    try:
        while items := _undo_chunk(batch, after, actor, context, counts):
            after = items[-1].row
            context.report(sum(counts.values()), max(total, sum(counts.values())))
    except Exception:
        _finish(context, batch, actor, "import_undone", BatchStatus.PARTIAL, dict(counts) | {"stopped": 1})
        raise
    _finish(context, batch, actor, "import_undone", BatchStatus.UNDONE, dict(counts))
    return dict(counts)


def _start(context: JobContext) -> tuple[ImportBatch, Actor]:
    """The batch and the acting user, who must still be allowed to run it (grants are read at run time)."""
    actor = context.actor
    if actor is None:
        raise NotFound()
    with context.uow() as uow:
        batch = uow.imports.get(int(context.job.payload["batch_id"]))
    if batch is None:
        raise NotFound()
    require(actor, TARGETS[batch.target].permission)
    if not may_act_on(batch, actor):
        raise NotFound()
    return batch, actor


def _chunks(rows: Iterator[tuple[int, list[str]]]) -> Iterator[Rows]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _verdict(result: Result) -> list[str]:
    if result.errors or result.fields is None:
        return ["rows", "errors"]
    return ["rows", "ok", "update" if result.target else "create"]


def _error_text(errors: dict[str, str], payload: dict[str, Any]) -> str:
    fields, messages = payload.get("fields", {}), payload.get("messages", {})
    return "; ".join(f"{fields.get(field, field)}: {messages.get(code, code)}" for field, code in errors.items())


def _commit_chunk(chunk: Rows, checker: RowChecker[Any, Any], batch: ImportBatch, actor: Actor,
                  context: JobContext, counts: Counter[str]) -> None:
    now, target = context.clock.now(), TARGETS[batch.target]
    with context.uow() as uow:
        results = checker.check(chunk, uow)
        valid = [r for r in results if r.fields is not None and not r.errors]
        items = _create(target, valid, batch, actor, now, uow) + _update(target, valid, batch, now, uow, counts)
        uow.imports.add_items(items)
        uow.commit()
    counts.update(done=len(results), skipped=len(results) - len(valid),
                  created=sum(1 for i in items if i.created), updated=sum(1 for i in items if not i.created))


def _create(target: Target, valid: list[Result], batch: ImportBatch, actor: Actor, now: datetime, uow: UnitOfWork
            ) -> list[ImportItem]:
    new = [r for r in valid if r.target is None]
    ids = target.records.create(new, actor, now, uow)
    return [ImportItem(batch.id or 0, r.row, record_id, True, 1) for r, record_id in zip(new, ids, strict=True)]


def _update(target: Target, valid: list[Result], batch: ImportBatch, now: datetime, uow: UnitOfWork,
            counts: Counter[str]) -> list[ImportItem]:
    changed: list[tuple[Result, Any]] = []
    for result in valid:
        if result.target is None:
            continue
        updated = target.records.changed(result, now)
        if updated is None:
            counts.update(["unchanged"])
        else:
            changed.append((result, updated))
    if target.records.update_many([record for _, record in changed], uow) != len(changed):
        raise Conflict("records changed while the import wrote them")
    return [ImportItem(batch.id or 0, r.row, record.id or 0, False, record.version, target.records.before(r.target))
            for r, record in changed]


def _undo_chunk(batch: ImportBatch, after: int, actor: Actor, context: JobContext, counts: Counter[str]
                ) -> list[ImportItem]:
    now, target = context.clock.now(), TARGETS[batch.target]
    with context.uow() as uow:
        items = uow.imports.items(batch.id or 0, after, CHUNK)
        _remove_created(target, [i for i in items if i.created], uow, counts)
        _restore_updated(target, [i for i in items if not i.created], actor, now, uow, counts)
        uow.commit()
    return items


def _remove_created(target: Target, items: list[ImportItem], uow: UnitOfWork, counts: Counter[str]) -> None:
    facts = uow.imports.removal_facts(target.key, [i.record_id for i in items])
    doomed = []
    for item in items:
        found = facts.get(item.record_id)
        if found is None:
            counts.update(["gone"])
        elif found.linked:
            counts.update(["kept_linked"])
        elif found.version != item.version:
            counts.update(["kept_changed"])
        else:
            doomed.append(item.record_id)
    uow.imports.delete_records(target.key, doomed)
    counts.update(deleted=len(doomed))


def _restore_updated(target: Target, items: list[ImportItem], actor: Actor, now: datetime, uow: UnitOfWork,
                     counts: Counter[str]) -> None:
    current = target.records.get_many([i.record_id for i in items], actor, uow)
    restored: list[tuple[ImportItem, Any]] = []
    for item in items:
        record = current.get(item.record_id)
        earlier = None if record is None or record.version != item.version or item.before is None else \
            target.records.restored(record, item.before, now)
        if earlier is None:
            counts.update(["kept_changed"])
        else:
            restored.append((item, earlier))
    taken = _codes_taken_since(target, [item for item, _ in restored], actor, uow)
    counts.update({"kept_taken": len(taken)} if taken else {})
    counts.update(restored=target.records.update_many([r for i, r in restored if i.record_id not in taken], uow))


def _codes_taken_since(target: Target, items: list[ImportItem], actor: Actor, uow: UnitOfWork) -> set[int]:
    """Records whose earlier credit code another record holds now: restoring it would break its uniqueness."""
    earlier = {i.record_id: code for i in items if i.before and (code := i.before.get("credit_code"))}
    holders = uow.imports.by_credit_code(target.key, set(earlier.values()), actor) if earlier else {}
    return {record_id for record_id, code in earlier.items() if code in holders and holders[code].id != record_id}


def _commit_counts(counts: Counter[str], stopped: bool) -> dict[str, int]:
    keys = ("created", "updated", "unchanged", "skipped")
    return {key: counts[key] for key in keys} | ({"stopped": 1} if stopped else {})


def _finish(context: JobContext, batch: ImportBatch, actor: Actor, step: str, status: BatchStatus,
            counts: dict[str, int], problems: list[Problem] | None = None, error_file_id: str | None = None) -> None:
    """Store the outcome on the batch and audit it: one event per batch and step, with counts, never row data."""
    now = context.clock.now()
    with context.uow() as uow:
        current = uow.imports.get(batch.id or 0)
        assert current is not None
        updated = replace(current, status=status, counts=_merged(current, status, counts),
                          problems=current.problems if problems is None else problems,
                          error_file_id=error_file_id or current.error_file_id)
        _stamp(updated, now)
        if error_file_id and current.error_file_id:
            context.files.delete(current.error_file_id)
        if not uow.imports.save(updated, current.version):
            raise Conflict("the batch changed meanwhile")
        uow.audit.append(AuditEvent(TARGETS[batch.target].action(step), now, actor.user_id, actor.ip, "import_batch",
                                    str(batch.id), None, {"mode": batch.mode.value, "status": status.value} | counts))
        uow.commit()


def _stamp(batch: ImportBatch, now: datetime) -> None:
    if batch.status is BatchStatus.CHECKED:
        batch.checked_at = now
    elif batch.status in (BatchStatus.COMMITTED, BatchStatus.PARTIAL) and batch.committed_at is None:
        batch.committed_at = now
    elif batch.status is BatchStatus.UNDONE:
        batch.undone_at = now


def _reopen(context: JobContext, batch: ImportBatch) -> None:
    """After a failed dry run the batch may be mapped and checked again."""
    with context.uow() as uow:
        current = uow.imports.get(batch.id or 0)
        if current and uow.imports.save(replace(current, status=BatchStatus.UPLOADED), current.version):
            uow.commit()


def _merged(batch: ImportBatch, status: BatchStatus, counts: dict[str, int]) -> dict[str, int]:
    """A dry run replaces the counts; commit and undo add theirs to the dry run's."""
    return counts if status is BatchStatus.CHECKED else batch.counts | counts
