"""What a list registers for export and bulk actions, on top of its ListSpec (domain.lists.models).

They are plain values wired explicitly (bootstrap registers the export jobs, the web registry the pages);
the recipe for plugging a list in is in web/lists/registry.py.
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from domain.audit.models import AuditEvent
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.models import ListSpec
from domain.shared.errors import InvalidTransition, NotFound
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
    now: datetime  # when the export runs (for lists whose filters depend on the day)


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


# Changes one record: the AuditEvent to append, True when the domain service it reuses audited the change
# itself, None when the record is left as it was (saved meanwhile).
Apply = Callable[[R], AuditEvent | Literal[True] | None]
Refusal = Callable[[R, BulkRun], str | None]  # why the action leaves a record (a message code), None: it changes it


@dataclass(frozen=True)
class BulkAction(Generic[R]):
    """One action of a list's bulk bar."""

    name: str  # "archive": the endpoint bulk_<name> and the URL …/bulk/<name with dashes>
    permission: Permission
    pending: Callable[[list[R], BulkRun], list[R]]  # those it would change; ValidationFailed for a bad value
    applier: Callable[[BulkRun, datetime], Apply[R]]  # prepares once (a new tag, say), then changes one record
    refusal: Refusal[R] | None = None  # set by `refusing`: the confirmation then says why records are left

    @classmethod
    def refusing(cls, name: str, permission: Permission, refusal: Refusal[R],
                 applier: Callable[[BulkRun, datetime], Apply[R]]) -> "BulkAction[R]":
        """An action that changes every loaded record its refusal has nothing against, and says why it leaves
        the others (the refusal may raise ValidationFailed for a bad value, as `pending` does)."""
        return cls(name, permission, lambda records, run: [r for r in records if refusal(r, run) is None], applier,
                   refusal)

    def sort_out(self, records: list[R], run: BulkRun) -> tuple[list[R], Counter[str]]:
        """The records it would change, and how many it leaves for each reason (none without a refusal)."""
        if self.refusal is None:
            return self.pending(records, run), Counter()
        refusals = [self.refusal(record, run) for record in records]
        return [r for r, code in zip(records, refusals, strict=True) if code is None], Counter(filter(None, refusals))


def audited_by(step: Callable[[R, BulkRun, datetime], object]) -> Callable[[BulkRun, datetime], Apply[R]]:
    """An applier handing each record to the single-record domain service's step, which saves and audits it."""
    def applier(run: BulkRun, now: datetime) -> Apply[R]:
        def one(record: R) -> Literal[True]:
            step(record, run, now)
            return True

        return one

    return applier


def refused_by(rule: Callable[[R, BulkRun], object]) -> Refusal[R]:
    """A refusal from a domain rule that raises InvalidTransition: its message code, or None when the rule passes
    (ValidationFailed, a bad value, goes through)."""
    def refusal(record: R, run: BulkRun) -> str | None:
        try:
            rule(record, run)
        except InvalidTransition as refused:
            return refused.code
        return None

    return refusal


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
