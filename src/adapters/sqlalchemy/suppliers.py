"""SQL repository for suppliers: the bank account sealed with FieldCrypto and blind-indexed for exact search."""

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, false, func, insert, or_, select, update

from adapters.crypto.fields import FieldCrypto
from adapters.sqlalchemy.bulk import insert_many, update_many
from adapters.sqlalchemy.keyset import newest_first
from adapters.sqlalchemy.tables import supplier_documents, suppliers
from domain.customers.credit_code import is_valid_credit_code, normalise_credit_code
from domain.customers.models import DuplicateCandidate
from domain.customers.names import name_key
from domain.shared.paging import Page
from domain.shared.sensitive import SensitiveKind, normalise
from domain.suppliers.documents import HORIZON, expiry_alert
from domain.suppliers.models import (
    DocumentAlert,
    Supplier,
    SupplierExportRow,
    SupplierFields,
    SupplierListQuery,
    SupplierStatus,
    SupplierSummary,
)
from domain.suppliers.validation import BANK_DIGITS

_SUMMARY = select(suppliers.c.id, suppliers.c.name, suppliers.c.credit_code, suppliers.c.category,
                  suppliers.c.status, suppliers.c.region, suppliers.c.created_at)
_EXPORT = _SUMMARY.add_columns(suppliers.c.status_reason, suppliers.c.address, suppliers.c.payment_terms,
                               suppliers.c.bank_name, suppliers.c.bank_account_enc)
_ACCOUNT_TERM = re.compile(r"^[0-9][0-9 -]*[0-9]$")
_BANK = SensitiveKind.BANK_ACCOUNT


class SqlSupplierRepository:
    def __init__(self, connection: Connection, crypto: FieldCrypto) -> None:
        self._db = connection
        self._crypto = crypto

    def add(self, supplier: Supplier) -> int:
        values = self._values(supplier) | {"created_by": supplier.created_by, "created_at": supplier.created_at,
                                           "form_token": supplier.form_token}
        return int(self._db.execute(insert(suppliers).values(values).returning(suppliers.c.id)).scalar_one())

    def get(self, supplier_id: int) -> Supplier | None:
        row = self._db.execute(select(suppliers).where(suppliers.c.id == supplier_id)).first()
        return self._to_supplier(row) if row else None

    def get_by_form_token(self, form_token: str) -> Supplier | None:
        row = self._db.execute(select(suppliers).where(suppliers.c.form_token == form_token)).first()
        return self._to_supplier(row) if row else None

    def update(self, supplier: Supplier, expected_version: int) -> bool:
        result = self._db.execute(update(suppliers).where(
            suppliers.c.id == supplier.id, suppliers.c.version == expected_version).values(self._values(supplier)))
        return result.rowcount == 1

    def get_many(self, supplier_ids: list[int]) -> dict[int, Supplier]:
        if not supplier_ids:
            return {}
        rows = self._db.execute(select(suppliers).where(suppliers.c.id.in_(supplier_ids)))
        return {row.id: self._to_supplier(row) for row in rows}

    def add_many(self, batch: list[Supplier]) -> list[int]:
        return insert_many(self._db, suppliers, [self._values(s) | {"created_by": s.created_by,
                                                                    "created_at": s.created_at,
                                                                    "form_token": s.form_token} for s in batch])

    def update_many(self, batch: list[Supplier], expected_versions: list[int]) -> int:
        return update_many(self._db, suppliers, [self._values(s) for s in batch], [s.id or 0 for s in batch],
                           expected_versions)

    def credit_code_holder(self, credit_code: str) -> int | None:
        return self._db.execute(select(suppliers.c.id).where(suppliers.c.credit_code == credit_code)).scalar()

    def duplicates(self, name_key: str, credit_code: str | None, exclude_id: int | None,
                   limit: int) -> list[DuplicateCandidate]:
        s = suppliers.c
        matches = [s.name_key == name_key if name_key else false(),
                   s.credit_code == credit_code if credit_code else false()]
        rows = self._db.execute(select(s.id, s.name, s.name_key, s.credit_code).where(
            or_(*matches), s.id != (exclude_id or 0)).order_by(s.id).limit(limit))
        return [DuplicateCandidate(row.id, row.name, _reasons(row, name_key, credit_code)) for row in rows]

    def search(self, query: SupplierListQuery, today: date) -> Page[SupplierSummary]:
        statement = self._filtered(_SUMMARY, query, today)
        page = newest_first(self._db, statement, suppliers.c.created_at, suppliers.c.id, query.after, query.before,
                            query.per_page, lambda row: row)
        expiries = self._earliest_expiries([row.id for row in page.items], today)
        items = [SupplierSummary(row.id, row.name, row.credit_code, row.category, row.status, row.region,
                                 row.created_at.date(), expiry_alert(expiries.get(row.id), today),
                                 expiries.get(row.id)) for row in page.items]
        return Page(items, page.next_cursor, page.prev_cursor)

    def export_rows(self, query: SupplierListQuery, today: date) -> Page[SupplierExportRow]:
        page = newest_first(self._db, self._filtered(_EXPORT, query, today), suppliers.c.created_at, suppliers.c.id,
                            query.after, query.before, query.per_page, lambda row: row)
        expiries = self._earliest_expiries([row.id for row in page.items], today)
        items = [SupplierExportRow(row.name, row.credit_code, row.category, row.status, row.status_reason, row.region,
                                   row.address, row.payment_terms, row.bank_name,
                                   self._crypto.open(row.bank_account_enc), row.created_at.date(),
                                   expiry_alert(expiries.get(row.id), today), expiries.get(row.id))
                 for row in page.items]
        return Page(items, page.next_cursor, page.prev_cursor)

    def _filtered(self, statement: Select[Any], query: SupplierListQuery, today: date) -> Select[Any]:
        if query.status:
            statement = statement.where(suppliers.c.status == query.status.value)
        if query.category:
            statement = statement.where(suppliers.c.category == query.category)
        if query.documents:
            statement = statement.where(suppliers.c.id.in_(_with_documents(query.documents, today)))
        if query.text:
            statement = statement.where(self._text_match(query.text))
        return statement

    def _text_match(self, term: str) -> ColumnElement[bool]:
        """A whole credit code or bank account (through its blind index) is looked up exactly, by index; anything
        else is a part of the name."""
        code, term = normalise_credit_code(term), term.strip()
        if len(code) == 18 and is_valid_credit_code(code):
            return suppliers.c.credit_code == code
        if _ACCOUNT_TERM.match(term) and BANK_DIGITS[0] <= len(normalise(_BANK, term)) <= BANK_DIGITS[1]:
            return suppliers.c.bank_account_index == self._crypto.index_of(_BANK, term)
        if self._db.dialect.name == "sqlite":  # SQLite's LIKE ignores ASCII case already
            return suppliers.c.name.contains(term, autoescape=True)
        return suppliers.c.name.icontains(term, autoescape=True)

    def _earliest_expiries(self, supplier_ids: Sequence[int], today: date) -> dict[int, date]:
        """Per supplier on the page, its live documents' earliest expiry within the horizon (or already past)."""
        if not supplier_ids:
            return {}
        d = supplier_documents.c
        rows = self._db.execute(select(d.supplier_id, func.min(d.expires_on)).where(
            d.supplier_id.in_(supplier_ids), d.removed_at.is_(None), d.expires_on <= today + HORIZON
        ).group_by(d.supplier_id))
        return {supplier_id: earliest for supplier_id, earliest in rows}

    def _values(self, supplier: Supplier) -> dict[str, Any]:
        fields = supplier.fields
        values = {k: v for k, v in fields.as_values().items() if k != "bank_account"}
        return values | {
            "bank_account_enc": self._crypto.seal(fields.bank_account),
            "bank_account_index": self._crypto.index_of(_BANK, fields.bank_account),
            "name_key": name_key(fields.name), "status": supplier.status.value,
            "status_reason": supplier.status_reason, "updated_at": supplier.updated_at, "version": supplier.version}

    def _to_supplier(self, row: Row[Any]) -> Supplier:
        fields = SupplierFields(row.name, row.credit_code, row.category, row.region, row.address, row.payment_terms,
                                row.bank_name, self._crypto.open(row.bank_account_enc), row.notes)
        return Supplier(row.id, fields, SupplierStatus(row.status), row.created_by, row.created_at, row.updated_at,
                        row.status_reason, row.version, row.form_token)


def _with_documents(alert: DocumentAlert, today: date) -> Select[Any]:
    """The ids of suppliers with a live document that expires within the horizon, or that has expired."""
    d = supplier_documents.c
    window = d.expires_on < today if alert is DocumentAlert.EXPIRED else d.expires_on.between(today, today + HORIZON)
    return select(d.supplier_id).where(d.removed_at.is_(None), window)


def _reasons(row: Row[Any], name_key: str, credit_code: str | None) -> tuple[str, ...]:
    return tuple(reason for reason, matched in (("credit_code", bool(credit_code) and row.credit_code == credit_code),
                                                ("name", bool(name_key) and row.name_key == name_key)) if matched)
