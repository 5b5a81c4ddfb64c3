"""In-memory fakes of the procurement ports (budgets now; suppliers, requisitions, orders, receipts and invoices
add theirs here)."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from domain.budgets.models import Budget, BudgetEntry
from domain.customers.models import DuplicateCandidate
from domain.customers.names import name_key
from domain.shared.paging import Page
from domain.suppliers.documents import ExpiringDocument, SupplierDocument
from domain.suppliers.models import (
    Supplier,
    SupplierContact,
    SupplierListQuery,
    SupplierStatus,
    SupplierSummary,
)
from domain.suppliers.scorecard import ScorecardCounts


class FakeBudgetRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Budget] = {}
        self.ledger: list[BudgetEntry] = []

    def add(self, budget: Budget) -> int:
        new_id = len(self.rows) + 1
        self.rows[new_id] = replace(budget, id=new_id)
        return new_id

    def get(self, budget_id: int) -> Budget | None:
        found = self.rows.get(budget_id)
        return replace(found) if found else None

    def update(self, budget: Budget, expected_version: int) -> bool:
        stored = self.rows.get(budget.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(budget, committed=stored.committed)
        return True

    def of_department(self, department_id: int, on: date | None = None) -> list[Budget]:
        found = [b for b in self.rows.values() if b.department_id == department_id and (on is None or b.covers(on))]
        return sorted((replace(b) for b in found), key=lambda b: (b.code, b.id or 0))

    def all(self, department_ids: list[int] | None = None) -> list[Budget]:
        found = [b for b in self.rows.values() if department_ids is None or b.department_id in department_ids]
        return sorted((replace(b) for b in found), key=lambda b: (-b.period_start.toordinal(), b.code, b.id or 0))

    def charge(self, budget_id: int, amount: Decimal, *, limit: bool) -> bool:
        budget = self.rows[budget_id]
        if limit and budget.committed + amount > budget.amount:
            return False
        budget.committed += amount
        return True

    def add_entry(self, entry: BudgetEntry) -> int:
        self.ledger.append(replace(entry, id=len(self.ledger) + 1))
        return len(self.ledger)

    def entries(self, budget_id: int, limit: int = 200) -> list[BudgetEntry]:
        return [e for e in reversed(self.ledger) if e.budget_id == budget_id][:limit]

    def outstanding(self, document_type: str, document_id: int) -> dict[tuple[int, int | None], Decimal]:
        held: dict[tuple[int, int | None], Decimal] = {}
        for e in self.ledger:
            if e.document_type == document_type and e.document_id == document_id:
                held[(e.budget_id, e.line_id)] = held.get((e.budget_id, e.line_id), Decimal(0)) + e.amount
        return {key: amount for key, amount in held.items() if amount}


# --- suppliers ---------------------------------------------------------------------------------------------------


class FakeSupplierRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Supplier] = {}

    def add(self, supplier: Supplier) -> int:
        new_id = len(self.rows) + 1
        self.rows[new_id] = replace(supplier, id=new_id)
        return new_id

    def get(self, supplier_id: int) -> Supplier | None:
        found = self.rows.get(supplier_id)
        return replace(found) if found else None

    def get_by_form_token(self, form_token: str) -> Supplier | None:
        return next((replace(s) for s in self.rows.values() if s.form_token == form_token), None)

    def update(self, supplier: Supplier, expected_version: int) -> bool:
        stored = self.rows.get(supplier.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.rows[stored.id or 0] = replace(supplier)
        return True

    def credit_code_holder(self, credit_code: str) -> int | None:
        return next((i for i, s in self.rows.items() if s.fields.credit_code == credit_code), None)

    def duplicates(self, key: str, credit_code: str | None, exclude_id: int | None,
                   limit: int) -> list[DuplicateCandidate]:
        found = []
        for i, s in sorted(self.rows.items()):
            reasons = tuple(r for r, hit in (("credit_code", bool(credit_code) and s.fields.credit_code == credit_code),
                                            ("name", bool(key) and name_key(s.name) == key)) if hit)
            if reasons and i != exclude_id:
                found.append(DuplicateCandidate(i, s.name, reasons))
        return found[:limit]

    def search(self, query: SupplierListQuery, today: date) -> Page[SupplierSummary]:
        found = [s for s in self.rows.values() if (query.status is None or s.status is query.status)
                 and (query.category is None or s.fields.category == query.category)
                 and query.text.casefold() in s.name.casefold()]
        found.sort(key=lambda s: (s.created_at, s.id or 0), reverse=True)
        items = [SupplierSummary(s.id or 0, s.name, s.fields.credit_code, s.fields.category, s.status.value,
                                 s.fields.region, s.created_at.date()) for s in found[:query.per_page]]
        return Page(items, None, None)


class FakeSupplierContactRepository:
    def __init__(self) -> None:
        self.rows: dict[int, SupplierContact] = {}

    def add(self, contact: SupplierContact) -> int:
        new_id = len(self.rows) + 1
        self.rows[new_id] = replace(contact, id=new_id)
        return new_id

    def get(self, contact_id: int, supplier_id: int) -> SupplierContact | None:
        found = self.rows.get(contact_id)
        return found if found and found.supplier_id == supplier_id else None

    def for_supplier(self, supplier_id: int) -> list[SupplierContact]:
        return [c for c in self.rows.values() if c.supplier_id == supplier_id]

    def update(self, contact: SupplierContact, expected_version: int) -> bool:
        if self.rows[contact.id or 0].version != expected_version:
            return False
        self.rows[contact.id or 0] = contact
        return True

    def delete(self, contact_id: int, expected_version: int) -> bool:
        if self.rows[contact_id].version != expected_version:
            return False
        del self.rows[contact_id]
        return True


class FakeSupplierDocumentRepository:
    """Documents plus reminders keyed by (document id, days before) → acknowledged at; reads the fake suppliers."""

    def __init__(self, suppliers: FakeSupplierRepository) -> None:
        self.rows: dict[int, SupplierDocument] = {}
        self.reminders: dict[tuple[int, int], datetime | None] = {}
        self._suppliers = suppliers

    def add(self, document: SupplierDocument) -> int:
        new_id = len(self.rows) + 1
        self.rows[new_id] = replace(document, id=new_id)
        return new_id

    def get(self, document_id: int, supplier_id: int) -> SupplierDocument | None:
        found = self.rows.get(document_id)
        return found if found and found.supplier_id == supplier_id and found.removed_at is None else None

    def for_supplier(self, supplier_id: int) -> list[SupplierDocument]:
        return [d for d in self.rows.values() if d.supplier_id == supplier_id and d.removed_at is None]

    def mark_removed(self, document_id: int, at: datetime) -> bool:
        if self.rows[document_id].removed_at is not None:
            return False
        self.rows[document_id] = replace(self.rows[document_id], removed_at=at)
        return True

    def expiring(self, today: date, until: date) -> list[ExpiringDocument]:
        return [ExpiringDocument(i, d.supplier_id, d.fields.expires_on,
                                 frozenset(days for (doc, days) in self.reminders if doc == i))
                for i, d in sorted(self.rows.items()) if d.removed_at is None and d.fields.expires_on
                and today <= d.fields.expires_on <= until
                and self._suppliers.rows[d.supplier_id].status is not SupplierStatus.BLACKLISTED]

    def record_reminder(self, document_id: int, days_before: int, at: datetime) -> bool:
        if (document_id, days_before) in self.reminders:
            return False
        self.reminders[(document_id, days_before)] = None
        return True

    def acknowledge(self, document_id: int, user_id: int, at: datetime) -> int:
        keys = [key for key, done in self.reminders.items() if key[0] == document_id and done is None]
        self.reminders.update(dict.fromkeys(keys, at))
        return len(keys)


class FakeSupplierScorecardReader:
    """Answers every supplier and period with `counts`, and records what it was asked."""

    def __init__(self) -> None:
        self.counts_given = ScorecardCounts()
        self.asked: list[tuple[int, date, date]] = []

    def counts(self, supplier_id: int, start: date, end: date) -> ScorecardCounts:
        self.asked.append((supplier_id, start, end))
        return self.counts_given
