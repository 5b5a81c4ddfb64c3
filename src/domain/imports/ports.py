"""Ports of the import context: the batches and their undo record, and the uploaded file's rows."""

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Protocol

from domain.identity.models import Actor
from domain.imports.models import Holder, ImportBatch, ImportItem, RemovalFacts


class ImportRepository(Protocol):
    """Import batches, remembered mappings, the per-row undo record, and the bulk look-ups a check needs (per
    target: "customer" or "supplier")."""

    def add(self, batch: ImportBatch) -> int: ...
    def get(self, batch_id: int) -> ImportBatch | None: ...
    def save(self, batch: ImportBatch, expected_version: int) -> bool:
        """Write the batch if its stored version still equals `expected_version` (one job per batch at a time)."""
        ...
    def attach_job(self, batch_id: int, job_id: int) -> None:
        """Remember the batch's latest job (its progress is what the batch page shows)."""
        ...
    def recent(self, owner_id: int, target: str, limit: int) -> list[ImportBatch]:
        """The owner's latest batches into `target`, newest first."""
        ...
    def remembered_mapping(self, owner_id: int, key: str) -> list[str] | None: ...
    def remember_mapping(self, owner_id: int, key: str, mapping: list[str], at: datetime) -> None: ...
    def users_named(self, names: Iterable[str]) -> dict[str, list[int]]:
        """Active users by username or display name (a name may fit several people)."""
        ...
    def by_credit_code(self, target: str, codes: Iterable[str], actor: Actor) -> dict[str, Holder]:
        """Records of `target` holding these credit codes, in any scope: code → holder."""
        ...
    def by_name_key(self, target: str, keys: Iterable[str], actor: Actor) -> dict[str, list[Holder]]:
        """Records of `target` whose name key is one of `keys` (customers: the exact name; suppliers: the
        duplicate-check key of domain.customers.names), in any scope, oldest first: key → holders."""
        ...
    def add_items(self, items: list[ImportItem]) -> None: ...
    def items(self, batch_id: int, after_row: int, limit: int) -> list[ImportItem]: ...
    def removal_facts(self, target: str, record_ids: list[int]) -> dict[int, RemovalFacts]:
        """Version and "something points at it" of each record (missing ids are gone)."""
        ...
    def delete_records(self, target: str, record_ids: list[int]) -> None: ...


class Spreadsheet(Protocol):
    """An uploaded CSV or XLSX file (first sheet): its header and rows as text."""

    @property
    def header(self) -> list[str]: ...
    @property
    def estimated_rows(self) -> int:
        """About how many data rows there are (for progress; may be off by a few)."""
        ...
    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as the spreadsheet shows it, cell texts) for every non-empty row after the header."""
        ...
    def with_errors(self, errors: Mapping[int, str], title: str) -> bytes:
        """The original file, same format, columns and values, plus a last column `title` of row errors."""
        ...
