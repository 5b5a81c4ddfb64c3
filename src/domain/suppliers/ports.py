"""Supplier ports. Suppliers are the company's shared vendor master: no record scope, the permission decides."""

from datetime import date, datetime
from typing import Protocol

from domain.customers.models import DuplicateCandidate
from domain.shared.paging import Page
from domain.suppliers.documents import ExpiringDocument, SupplierDocument
from domain.suppliers.models import (
    Supplier,
    SupplierContact,
    SupplierExportRow,
    SupplierListQuery,
    SupplierSummary,
)
from domain.suppliers.scorecard import ScorecardCounts


class SupplierRepository(Protocol):
    """Supplier records; the bank account is sealed on write and opened only for single records."""

    def add(self, supplier: Supplier) -> int: ...
    def get(self, supplier_id: int) -> Supplier | None: ...
    def get_by_form_token(self, form_token: str) -> Supplier | None:
        """The supplier a create form made (the token is known only to its submitter)."""
        ...
    def update(self, supplier: Supplier, expected_version: int) -> bool:
        """Write the supplier if the stored version still equals `expected_version`."""
        ...
    def get_many(self, supplier_ids: list[int]) -> dict[int, Supplier]:
        """Suppliers by id (imports check and write them a chunk at a time)."""
        ...
    def add_many(self, batch: list[Supplier]) -> list[int]:
        """Store new suppliers, each with a unique form token; their ids in order."""
        ...
    def update_many(self, batch: list[Supplier], expected_versions: list[int]) -> int:
        """Write each supplier whose stored version still equals its expected version; how many were."""
        ...
    def credit_code_holder(self, credit_code: str) -> int | None:
        """The id of the supplier registered under `credit_code`, if any."""
        ...
    def duplicates(self, name_key: str, credit_code: str | None, exclude_id: int | None,
                   limit: int) -> list[DuplicateCandidate]:
        """Suppliers sharing the normalised name or the credit code, by id (reasons "name", "credit_code")."""
        ...
    def search(self, query: SupplierListQuery, today: date) -> Page[SupplierSummary]:
        """One keyset page, newest first; rows carry the document alert as of `today`."""
        ...
    def export_rows(self, query: SupplierListQuery, today: date) -> Page[SupplierExportRow]:
        """The same page as `search` with the export's columns; bank accounts opened for the export to mask."""
        ...


class SupplierContactRepository(Protocol):
    """Contacts of one supplier; phone and e-mail sealed like the customer contacts'."""

    def add(self, contact: SupplierContact) -> int: ...
    def get(self, contact_id: int, supplier_id: int) -> SupplierContact | None: ...
    def for_supplier(self, supplier_id: int) -> list[SupplierContact]: ...
    def update(self, contact: SupplierContact, expected_version: int) -> bool:
        """Write the contact if the stored version still equals `expected_version`."""
        ...
    def delete(self, contact_id: int, expected_version: int) -> bool: ...


class SupplierDocumentRepository(Protocol):
    """Documents of suppliers and their expiry reminders. The daily run's reads take no actor."""

    def add(self, document: SupplierDocument) -> int: ...
    def get(self, document_id: int, supplier_id: int) -> SupplierDocument | None:
        """A live (not removed) document of the supplier."""
        ...
    def for_supplier(self, supplier_id: int) -> list[SupplierDocument]:
        """Its live documents, soonest expiry first (those without one last), with uploader and open reminder."""
        ...
    def mark_removed(self, document_id: int, at: datetime) -> bool:
        """Remove the document softly unless it is removed already; False when it was."""
        ...
    def expiring(self, today: date, until: date) -> list[ExpiringDocument]:
        """Live documents of suppliers not blacklisted that expire from `today` to `until`."""
        ...
    def record_reminder(self, document_id: int, days_before: int, at: datetime) -> bool:
        """Store the reminder unless it exists; False when it did (idempotent, also under concurrent runs)."""
        ...
    def acknowledge(self, document_id: int, user_id: int, at: datetime) -> int:
        """Mark every open reminder of the document acknowledged; returns how many."""
        ...


class SupplierScorecardReader(Protocol):
    """Reads the receipts and invoices of a supplier (tables other modules fill) for its scorecard."""

    def counts(self, supplier_id: int, start: date, end: date) -> ScorecardCounts:
        """Counts and sums of receipts received and invoices dated from `start` to `end` (both included)."""
        ...
