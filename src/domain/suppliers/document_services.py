"""Supplier documents: add (with an optional file, checked like contract attachments), download, remove softly,
acknowledge reminders, and the daily run that records reminders 60, 30 and 7 days before expiry."""

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from domain.audit.models import AuditEvent
from domain.contracts.attachments import MAX_ATTACHMENT_BYTES, checked_upload
from domain.contracts.reminders import reminder_due
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.jobs.ports import FileStore
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.ports import Clock
from domain.shared.records import found
from domain.suppliers.documents import (
    HORIZON,
    REMINDER_DAYS,
    DocumentFields,
    StoredFile,
    SupplierDocument,
    document_fields,
)
from domain.suppliers.services import existing
from domain.unit_of_work import UnitOfWork


def add_supplier_document(supplier_id: int, raw: Mapping[str, str], filename: str, data: bytes, *, actor: Actor,
                          uow: UnitOfWork, clock: Clock, files: FileStore,
                          max_bytes: int = MAX_ATTACHMENT_BYTES) -> SupplierDocument:
    """Record a licence or certificate, with a file when one is given; ValidationFailed names every bad field
    (the file is refused by type, size or content like a contract attachment)."""
    require(actor, Permission.SUPPLIER_UPDATE)
    fields, upload = _checked(raw, filename, data, max_bytes)
    now = clock.now()
    with uow:
        existing(supplier_id, uow)
        stored = _stored(upload, data, files)
        document = SupplierDocument(None, supplier_id, fields, stored, actor.user_id, now)
        try:
            document = replace(document, id=uow.supplier_documents.add(document))
            uow.audit.append(AuditEvent("supplier.document_added", now, actor.user_id, actor.ip, "supplier",
                                        str(supplier_id), after=document.audited()))
            uow.commit()
        except BaseException:
            if stored:
                files.delete(stored.file_id)  # no stored file without its row
            raise
    return document


def open_supplier_document(supplier_id: int, document_id: int, *, actor: Actor, uow: UnitOfWork,
                           files: FileStore) -> tuple[StoredFile, bytes]:
    """A live document's file and bytes; NotFound when it has none, was removed, or is not the supplier's."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        document = _document(supplier_id, document_id, uow)
    if document.file is None:
        raise NotFound()
    return document.file, files.get(document.file.file_id)


def remove_supplier_document(supplier_id: int, document_id: int, *, actor: Actor, uow: UnitOfWork,
                             clock: Clock) -> None:
    """Take a document off the supplier (its file stays on disk, its record in the audit trail)."""
    require(actor, Permission.SUPPLIER_UPDATE)
    now = clock.now()
    with uow:
        document = _document(supplier_id, document_id, uow)
        if not uow.supplier_documents.mark_removed(document_id, now):
            raise NotFound()  # removed by someone else a moment ago
        uow.audit.append(AuditEvent("supplier.document_removed", now, actor.user_id, actor.ip, "supplier",
                                    str(supplier_id), before=document.audited()))
        uow.commit()


def acknowledge_document_reminders(supplier_id: int, document_id: int, *, actor: Actor, uow: UnitOfWork,
                                   clock: Clock) -> None:
    """Mark the document's open expiry reminders as seen; a second click changes nothing."""
    require(actor, Permission.SUPPLIER_UPDATE)
    now = clock.now()
    with uow:
        _document(supplier_id, document_id, uow)
        if not uow.supplier_documents.acknowledge(document_id, actor.user_id, now):
            return
        uow.audit.append(AuditEvent("supplier.document_reminder_acknowledged", now, actor.user_id, actor.ip,
                                    "supplier", str(supplier_id), after={"document_id": document_id}))
        uow.commit()


def run_suppliers_daily(today: date, *, uow: UnitOfWork, clock: Clock) -> int:
    """Record the document reminders due on `today` (audited, without an actor); returns how many are new.

    Idempotent: a second run on the same day, or a run after downtime, records only what is missing, and after
    downtime only the nearest mark passed (see contracts.reminders.reminder_due).
    """
    now, recorded = clock.now(), 0
    with uow:
        for document in uow.supplier_documents.expiring(today, today + HORIZON):
            mark = reminder_due(document.expires_on, today, document.recorded, REMINDER_DAYS)
            if mark is not None and uow.supplier_documents.record_reminder(document.document_id, mark, now):
                uow.audit.append(AuditEvent("supplier.document_reminder_due", now, entity_type="supplier",
                                            entity_id=str(document.supplier_id),
                                            after={"document_id": document.document_id, "days_before": mark,
                                                   "expires_on": document.expires_on.isoformat()}))
                recorded += 1
        uow.commit()
    return recorded


def _checked(raw: Mapping[str, str], filename: str, data: bytes,
             max_bytes: int) -> tuple[DocumentFields, tuple[str, str] | None]:
    """The document's fields and, when a file came with it, its (display name, content type)."""
    errors: dict[str, str] = {}
    fields = upload = None
    try:
        fields = document_fields(raw)
    except ValidationFailed as error:
        errors |= error.errors
    if filename or data:
        try:
            name, kind = checked_upload(filename, data, max_bytes)
            upload = (name, kind.content_type)
        except ValidationFailed as error:
            errors |= error.errors
    if errors or fields is None:
        raise ValidationFailed(errors)
    return fields, upload


def _stored(upload: tuple[str, str] | None, data: bytes, files: FileStore) -> StoredFile | None:
    if upload is None:
        return None
    return StoredFile(files.put(data), upload[0], upload[1], len(data), hashlib.sha256(data).hexdigest())


def _document(supplier_id: int, document_id: int, uow: UnitOfWork) -> SupplierDocument:
    existing(supplier_id, uow)
    return found(uow.supplier_documents.get(document_id, supplier_id))
