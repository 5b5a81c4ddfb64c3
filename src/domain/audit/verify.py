"""Verification of the audit hash chain: walk it in seq order, in batches, and report the first break."""

from dataclasses import dataclass
from enum import StrEnum

from domain.audit.chain import GENESIS, chained_fields, record_hash
from domain.audit.models import AuditRecord, ChainHead
from domain.unit_of_work import UnitOfWork

BATCH = 1000


class Break(StrEnum):
    MISSING = "missing"  # a seq number is absent: a record was deleted
    UNLINKED = "unlinked"  # prev_hash is not the hash of the record before: inserted or reordered
    EDITED = "edited"  # the record's content no longer gives its stored hash
    TAIL_MISSING = "tail_missing"  # the head names later records than the table holds
    BEYOND_HEAD = "beyond_head"  # records exist after the head: written around the application
    HEAD_MISMATCH = "head_mismatch"  # the head's hash is not the last record's hash


@dataclass(frozen=True)
class ChainProblem:
    kind: Break
    seq: int  # the seq where the chain breaks (the expected one for missing records)
    record_id: int | None
    detail: str


@dataclass(frozen=True)
class ChainReport:
    records: int
    last_hash: str
    problem: ChainProblem | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


@dataclass
class _Walk:
    seq: int = 0
    hash: str = GENESIS
    records: int = 0


def verify_chain(*, uow: UnitOfWork, batch: int = BATCH) -> ChainReport:
    """Check every record's hash, its link to the previous one, gapless seq and the head; stop at the first break."""
    walk = _Walk()
    with uow:
        while True:
            problem = _walk_until_exhausted(walk, uow, batch)
            if problem:
                return ChainReport(walk.records, walk.hash, problem)
            head = uow.audit.head()
            # Appends committed while we walked move the head on; keep walking until it stands still.
            if head.seq > walk.seq and uow.audit.chain_after(walk.seq, 1):
                continue
            return ChainReport(walk.records, walk.hash, _head_problem(head, walk))


def _walk_until_exhausted(walk: _Walk, uow: UnitOfWork, batch: int) -> ChainProblem | None:
    while records := uow.audit.chain_after(walk.seq, batch):
        for record in records:
            problem = _check(record, walk)
            if problem:
                return problem
            walk.seq, walk.hash, walk.records = record.seq, record.hash, walk.records + 1
    return None


def _check(record: AuditRecord, walk: _Walk) -> ChainProblem | None:
    expected = walk.seq + 1
    if record.seq != expected:
        return ChainProblem(Break.MISSING, expected, None,
                            f"records {expected}..{record.seq - 1} are missing (next present: id {record.id})")
    if record.prev_hash != walk.hash:
        return ChainProblem(Break.UNLINKED, record.seq, record.id,
                            "prev_hash is not the hash of the record before (inserted, removed or reordered)")
    if recomputed_hash(record) != record.hash:
        return ChainProblem(Break.EDITED, record.seq, record.id, "content does not match its hash (edited)")
    return None


def _head_problem(head: ChainHead, walk: _Walk) -> ChainProblem | None:
    if head.seq > walk.seq:
        return ChainProblem(Break.TAIL_MISSING, walk.seq + 1, None,
                            f"the head says {head.seq} records but the chain ends at {walk.seq} (tail deleted)")
    if head.seq < walk.seq:
        return ChainProblem(Break.BEYOND_HEAD, head.seq + 1, None,
                            f"records after the head's seq {head.seq} (written around the application)")
    if head.hash != walk.hash:
        return ChainProblem(Break.HEAD_MISMATCH, head.seq, None, "the head's hash differs from the last record's")
    return None


def recomputed_hash(record: AuditRecord) -> str:
    """The hash the record's stored content gives (it equals `record.hash` unless someone edited it)."""
    e = record.event
    return record_hash(chained_fields(record.seq, record.prev_hash, e.occurred_at, e.actor_id, e.ip, e.action,
                                      e.entity_type, e.entity_id, e.before, e.after))
