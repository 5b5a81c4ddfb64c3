"""SQL repository for supplier documents and their expiry reminders."""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sqlalchemy.tables import supplier_document_reminders, supplier_documents, suppliers, users
from domain.suppliers.documents import DocumentFields, ExpiringDocument, StoredFile, SupplierDocument
from domain.suppliers.models import SupplierStatus

_docs, _reminders = supplier_documents.c, supplier_document_reminders.c


class SqlSupplierDocumentRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, document: SupplierDocument) -> int:
        f, stored = document.fields, document.file
        file_values = {"file_id": stored.file_id, "filename": stored.filename, "content_type": stored.content_type,
                       "size": stored.size, "sha256": stored.sha256} if stored else {}
        return int(self._db.execute(insert(supplier_documents).values(
            supplier_id=document.supplier_id, kind=f.kind, title=f.title, number=f.number, issued_on=f.issued_on,
            expires_on=f.expires_on, uploaded_by=document.uploaded_by, uploaded_at=document.uploaded_at,
            **file_values).returning(_docs.id)).scalar_one())

    def get(self, document_id: int, supplier_id: int) -> SupplierDocument | None:
        row = self._db.execute(_live().where(_docs.id == document_id, _docs.supplier_id == supplier_id)).first()
        return _to_document(row) if row else None

    def for_supplier(self, supplier_id: int) -> list[SupplierDocument]:
        rows = self._db.execute(_live().where(_docs.supplier_id == supplier_id).order_by(
            _docs.expires_on.is_(None), _docs.expires_on, _docs.id))
        return [_to_document(row) for row in rows]

    def mark_removed(self, document_id: int, at: datetime) -> bool:
        result = self._db.execute(update(supplier_documents).where(
            _docs.id == document_id, _docs.removed_at.is_(None)).values(removed_at=at))
        return result.rowcount == 1

    def expiring(self, today: date, until: date) -> list[ExpiringDocument]:
        rows = self._db.execute(
            select(_docs.id, _docs.supplier_id, _docs.expires_on, _reminders.days_before)
            .join(suppliers, suppliers.c.id == _docs.supplier_id)
            .outerjoin(supplier_document_reminders, _reminders.document_id == _docs.id)
            .where(_docs.removed_at.is_(None), _docs.expires_on.between(today, until),
                   suppliers.c.status != SupplierStatus.BLACKLISTED.value).order_by(_docs.id))
        found: dict[int, tuple[int, date]] = {}
        marks: dict[int, set[int]] = defaultdict(set)
        for row in rows:
            found[row.id] = (row.supplier_id, row.expires_on)
            if row.days_before is not None:
                marks[row.id].add(row.days_before)
        return [ExpiringDocument(document_id, supplier_id, expires_on, frozenset(marks[document_id]))
                for document_id, (supplier_id, expires_on) in found.items()]

    def record_reminder(self, document_id: int, days_before: int, at: datetime) -> bool:
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(supplier_document_reminders).values(document_id=document_id,
                                                                       days_before=days_before, created_at=at)
        inserted = statement.on_conflict_do_nothing().returning(_reminders.id)
        return self._db.execute(inserted).first() is not None  # psycopg reports no rowcount for this statement

    def acknowledge(self, document_id: int, user_id: int, at: datetime) -> int:
        result = self._db.execute(update(supplier_document_reminders).where(
            _reminders.document_id == document_id, _reminders.acknowledged_at.is_(None)).values(
            acknowledged_at=at, acknowledged_by=user_id))
        return int(result.rowcount)


def _live() -> Select[Any]:
    """Documents not removed, with the uploader's name and the nearest open reminder mark."""
    open_mark = select(func.min(_reminders.days_before)).where(
        _reminders.document_id == _docs.id, _reminders.acknowledged_at.is_(None)).scalar_subquery()
    return select(supplier_documents, users.c.display_name.label("uploader_name"), open_mark.label("open_mark")).join(
        users, users.c.id == _docs.uploaded_by).where(_docs.removed_at.is_(None))


def _to_document(row: Row[Any]) -> SupplierDocument:
    fields = DocumentFields(row.kind, row.title, row.number, row.issued_on, row.expires_on)
    stored = StoredFile(row.file_id, row.filename, row.content_type, row.size, row.sha256) if row.file_id else None
    return SupplierDocument(row.id, row.supplier_id, fields, stored, row.uploaded_by, row.uploaded_at, row.removed_at,
                            row.uploader_name, row.open_mark)
