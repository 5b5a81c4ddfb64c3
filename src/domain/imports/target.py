"""What the staged import needs to know about one kind of record it fills (customers, suppliers).

The upload, mapping, dry run, error file, chunked commit and undo are one implementation (rows.py, jobs.py,
services.py); a target adds its fields and header names, its form validation and extra row rules, and the
writes of its records. The targets themselves are listed in targets.py.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.unit_of_work import UnitOfWork


class Record(Protocol):
    """A record an import creates or updates (Customer, Supplier)."""

    @property
    def id(self) -> int | None: ...
    @property
    def version(self) -> int: ...


R = TypeVar("R", bound=Record)
F = TypeVar("F")


@dataclass
class RowResult(Generic[R, F]):
    """The verdict on one row: its validated fields, or its errors per field (codes)."""

    row: int
    fields: F | None = None
    department_id: int | None = None  # where the target files records by department (customers: the owner's)
    target: R | None = None  # the record this row updates; None creates one
    errors: dict[str, str] = field(default_factory=dict)


class RowRules(Protocol[R, F]):
    """A target's part of the row checks; one instance per dry run or commit (it may cache across chunks)."""

    def prepare(self, values: list[dict[str, str]], uow: UnitOfWork) -> None:
        """Bulk look-ups for one chunk of rows (cell values per field) before its rows are checked."""
        ...
    def form_values(self, cells: dict[str, str], record: R | None, errors: dict[str, str]) -> dict[str, str]:
        """The form values of a row: `record`'s values (or a new record's defaults) overlaid with its filled cells."""
        ...
    def validate(self, raw: dict[str, str]) -> F:
        """The target's form validation; ValidationFailed names the bad import fields."""
        ...
    def settle(self, result: RowResult[R, F], uow: UnitOfWork) -> None:
        """Rules that need the validated fields (customers: whom the importer may make owner); may add errors."""
        ...


class Records(Protocol[R, F]):
    """The writes of a target's records, in bulk (a chunk per transaction)."""

    def get_many(self, ids: list[int], actor: Actor, uow: UnitOfWork) -> dict[int, R]:
        """The records the actor may change, by id (others are left out)."""
        ...
    def create(self, results: list[RowResult[R, F]], actor: Actor, now: datetime, uow: UnitOfWork) -> list[int]:
        """Store a new record per valid row; their ids, in the rows' order."""
        ...
    def changed(self, result: RowResult[R, F], now: datetime) -> R | None:
        """The row's target with the row's values and the next version; None when the row changes nothing."""
        ...
    def update_many(self, records: list[R], uow: UnitOfWork) -> int:
        """Write records each read at the version before theirs; how many were still at it."""
        ...
    def before(self, record: R) -> dict[str, Any]:
        """The values an undo gives back to `record`."""
        ...
    def restored(self, record: R, before: dict[str, Any], now: datetime) -> R | None:
        """`record` with its values from `before` and the next version; None when it may not be restored."""
        ...


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: there is one of each
class ImportTarget(Generic[R, F]):
    """One kind of record the staged import fills."""

    key: str  # stored on batches; prefix of the audit actions ("supplier.imported") and of the job kinds
    permission: Permission  # every step needs it
    fields: tuple[str, ...]  # what a column may fill; "name" is required
    synonyms: Mapping[str, tuple[str, ...]]  # header names (zh and en) each field is recognised by
    choices: tuple[str, ...]  # fields whose cells may hold a code or a label in any language
    name_key: Callable[[str], str]  # names compare by this key, in the file and against the database
    oversees: Callable[[Actor], bool]  # who, besides the uploader, may act on a batch
    rules: Callable[[Actor], RowRules[R, F]]
    records: Records[R, F]
    words: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # per choice field, more words → code
    guarded_error_file: bool = False  # the error file repeats secrets: others than the uploader need a step-up

    def job_kind(self, step: str) -> str:
        return f"{self.key}s.import.{step}"

    def action(self, step: str) -> str:
        return f"{self.key}.{step}"
