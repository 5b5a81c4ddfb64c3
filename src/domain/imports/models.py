"""Staged imports (导入): a batch is one uploaded file on its way from upload to commit (and undo), into one
target (customers or suppliers: domain.imports.targets)."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

FORMATS = ("csv", "xlsx")
CHUNK = 1000  # rows per transaction when committing or undoing: progress shows, no transaction grows huge
PROBLEMS_SHOWN = 50


class BatchStatus(StrEnum):
    UPLOADED = "uploaded"
    CHECKING = "checking"
    CHECKED = "checked"
    COMMITTING = "committing"
    COMMITTED = "committed"
    PARTIAL = "partial"  # the commit stopped part-way: what it wrote is recorded and can be undone
    UNDOING = "undoing"
    UNDONE = "undone"

    @property
    def busy(self) -> bool:
        return self in (BatchStatus.CHECKING, BatchStatus.COMMITTING, BatchStatus.UNDOING)


class ImportMode(StrEnum):
    CREATE = "create"  # every valid row becomes a new record
    BY_CREDIT_CODE = "credit_code"  # rows whose credit code exists update that record; others are created
    BY_NAME = "name"  # the same, keyed on the exact name


@dataclass(frozen=True)
class Problem:
    """One invalid field of one row (row numbers as the spreadsheet shows them: the header is row 1)."""

    row: int
    field: str
    code: str


@dataclass
class ImportBatch:
    id: int | None
    owner_id: int
    file_id: str
    filename: str
    format: str
    header: list[str]
    mapping: list[str]  # per column: a field of the target's, or "" to ignore it
    created_at: datetime
    status: BatchStatus = BatchStatus.UPLOADED
    mode: ImportMode = ImportMode.CREATE
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error_file_id: str | None = None
    job_id: int | None = None
    checked_at: datetime | None = None
    committed_at: datetime | None = None
    undone_at: datetime | None = None
    version: int = 1
    target: str = "customer"  # the key of its ImportTarget

    def column_of(self, wanted: str) -> int | None:
        return self.mapping.index(wanted) if wanted in self.mapping else None


@dataclass(frozen=True)
class ImportItem:
    """What one committed row did, kept so the batch can be undone: the record it created, or the
    record it updated with its values from before (`before`) and its version right after the import."""

    batch_id: int
    row: int
    record_id: int
    created: bool
    version: int
    before: dict[str, Any] | None = None


@dataclass(frozen=True)
class RemovalFacts:
    """What undo must know about a created record before deleting it."""

    version: int
    linked: bool  # something points at it now (customers: follow-ups, contracts…; suppliers: orders, contacts…)


@dataclass(frozen=True)
class Holder:
    """A stored record that holds a credit code or name an import row has."""

    id: int
    name: str
    visible: bool = True  # inside the importing user's record scope (only those may be updated)
