"""What a list registers for export and bulk actions, on top of its ListSpec (domain.lists.models).

They are plain values wired explicitly (bootstrap registers the export jobs, the web registry the pages);
the recipe for plugging a list in is in web/lists/registry.py.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from domain.audit.models import AuditEvent
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.models import ListSpec
from domain.shared.errors import NotFound
from domain.shared.sensitive import SensitiveKind
from domain.unit_of_work import UnitOfWork

R = TypeVar("R")


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export file; `key` names its heading (the web supplies the translated text)."""

    key: str
    sensitive: SensitiveKind | None = None  # always masked in exports, whatever the owner may reveal


@dataclass(frozen=True)
class BatchRequest:
    """What one export batch reads: the filters, where the previous batch ended, for whom, with which labels."""

    filters: Mapping[str, Any]
    after: str | None
    actor: Actor
    labels: Mapping[str, Any]  # value labels in the user's language ("stages": {"lead": "线索"}, …)
    size: int


@dataclass(frozen=True)
class ExportBatch:
    """Rows in column order with raw cell values (the export masks and neutralises them), and the next cursor."""

    rows: Sequence[Sequence[object]]
    next_cursor: str | None


@dataclass(frozen=True)
class ExportSpec:
    """How a list exports: the permission (plus step-up), the columns, and how to read one keyset batch."""

    list_spec: ListSpec
    entity: str  # audit entity type; the event is "<entity>.exported"
    permission: Permission
    columns: tuple[ExportColumn, ...]
    filters_of: Callable[[Any], dict[str, Any]]  # the list's query → JSON filters (no cursor): job payload, audit
    read: Callable[[BatchRequest, UnitOfWork], ExportBatch]  # in the actor's scope, newest first

    @property
    def kind(self) -> str:
        """The background job kind of this list's exports."""
        return f"{self.list_spec.key}.export"


def filter_id(value: object) -> int | None:
    """An id read back from JSON filters (`filters_of`), or None for anything that is not one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class BulkRun:
    """One bulk request: the value the action sets ("" when it sets none), who asks, and the transaction."""

    value: str
    actor: Actor
    uow: UnitOfWork


Apply = Callable[[R], AuditEvent | None]  # changes one record; None when it is left as it was (saved meanwhile)


@dataclass(frozen=True)
class BulkAction(Generic[R]):
    """One action of a list's bulk bar."""

    name: str  # "archive": the endpoint bulk_<name> and the URL …/bulk/<name with dashes>
    permission: Permission
    pending: Callable[[list[R], BulkRun], list[R]]  # those it would change; ValidationFailed for a bad value
    applier: Callable[[BulkRun, datetime], Apply[R]]  # prepares once (a new tag, say), then changes one record


@dataclass(frozen=True)
class BulkSpec(Generic[R]):
    """A list's bulk actions and how its selected records are loaded."""

    list_spec: ListSpec
    load: Callable[[Sequence[int], Actor, UnitOfWork], list[R]]  # the selected records in scope actions may touch
    actions: tuple[BulkAction[R], ...]

    def action(self, name: str) -> BulkAction[R]:
        """The action called `name`; NotFound for any other."""
        found = next((a for a in self.actions if a.name == name), None)
        if found is None:
            raise NotFound()
        return found
