"""SQL repository of import batches, remembered mappings, the per-row undo record and bulk look-ups."""

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Row,
    Table,
    case,
    delete,
    exists,
    insert,
    or_,
    select,
    true,
    update,
)

from adapters.crypto.fields import FieldCrypto
from adapters.sqlalchemy.customers import scope_clause
from adapters.sqlalchemy.tables import (
    contacts,
    contracts,
    customer_merges,
    customers,
    follow_ups,
    import_batch_items,
    import_batches,
    import_mappings,
    purchase_orders,
    supplier_contacts,
    supplier_documents,
    supplier_invoices,
    suppliers,
    users,
)
from domain.identity.models import Actor
from domain.imports.models import BatchStatus, Holder, ImportBatch, ImportItem, ImportMode, Problem, RemovalFacts

# Sensitive before-values are stored encrypted, like the records' own columns (customers: phone and e-mail;
# suppliers: the bank account).
_SEALED = ("phone", "email", "bank_account")


@dataclass(frozen=True)
class _Target:
    table: Table
    name_key: str  # the column holding the name key the domain compares (customers: the name itself)
    scope: Callable[[Actor], ColumnElement[bool]]
    referrers: tuple[Column[Any], ...]  # columns pointing at the record: any row holding its id keeps it


# Anything that points at a record keeps it: deleting it would lose (or be refused for) that record.
_TARGETS = {
    "customer": _Target(customers, "name", scope_clause, (
        follow_ups.c.customer_id, contracts.c.customer_id, contacts.c.customer_id, customer_merges.c.survivor_id,
        customer_merges.c.absorbed_id)),
    "supplier": _Target(suppliers, "name_key", lambda _actor: true(), (  # suppliers have no record scope
        purchase_orders.c.supplier_id, contracts.c.supplier_id, supplier_contacts.c.supplier_id,
        supplier_documents.c.supplier_id, supplier_invoices.c.supplier_id)),
}


class SqlImportRepository:
    def __init__(self, connection: Connection, crypto: FieldCrypto) -> None:
        self._db = connection
        self._crypto = crypto

    def add(self, batch: ImportBatch) -> int:
        return int(self._db.execute(insert(import_batches).values(_values(batch) | {
            "owner_id": batch.owner_id, "file_id": batch.file_id, "filename": batch.filename, "format": batch.format,
            "header": batch.header, "created_at": batch.created_at}).returning(import_batches.c.id)).scalar_one())

    def get(self, batch_id: int) -> ImportBatch | None:
        row = self._db.execute(select(import_batches).where(import_batches.c.id == batch_id)).first()
        return _to_batch(row) if row else None

    def save(self, batch: ImportBatch, expected_version: int) -> bool:
        result = self._db.execute(update(import_batches).where(
            import_batches.c.id == batch.id, import_batches.c.version == expected_version,
        ).values(_values(batch) | {"version": expected_version + 1}))
        return result.rowcount == 1

    def attach_job(self, batch_id: int, job_id: int) -> None:
        self._db.execute(update(import_batches).where(import_batches.c.id == batch_id).values(job_id=job_id))

    def recent(self, owner_id: int, target: str, limit: int) -> list[ImportBatch]:
        rows = self._db.execute(select(import_batches).where(
            import_batches.c.owner_id == owner_id, import_batches.c.target == target,
        ).order_by(import_batches.c.created_at.desc(), import_batches.c.id.desc()).limit(limit))
        return [_to_batch(row) for row in rows]

    def remembered_mapping(self, owner_id: int, key: str) -> list[str] | None:
        found = self._db.execute(select(import_mappings.c.mapping).where(
            import_mappings.c.owner_id == owner_id, import_mappings.c.header_key == key)).scalar()
        return list(found) if found is not None else None

    def remember_mapping(self, owner_id: int, key: str, mapping: list[str], at: datetime) -> None:
        where = (import_mappings.c.owner_id == owner_id, import_mappings.c.header_key == key)
        if self._db.execute(update(import_mappings).where(*where).values(mapping=mapping, updated_at=at)).rowcount:
            return
        self._db.execute(insert(import_mappings).values(owner_id=owner_id, header_key=key, mapping=mapping,
                                                        updated_at=at))

    def users_named(self, names: Iterable[str]) -> dict[str, list[int]]:
        wanted = list(names)
        found: dict[str, list[int]] = {}
        rows = self._db.execute(select(users.c.id, users.c.username, users.c.display_name).where(
            users.c.is_active, or_(users.c.username.in_(wanted), users.c.display_name.in_(wanted))))
        for row in rows:
            for name in {row.username, row.display_name} & set(wanted):
                found.setdefault(name, []).append(row.id)
        return found

    def by_credit_code(self, target: str, codes: Iterable[str], actor: Actor) -> dict[str, Holder]:
        t = _TARGETS[target]
        rows = self._db.execute(select(t.table.c.id, t.table.c.name, t.table.c.credit_code, _visible(t, actor)).where(
            t.table.c.credit_code.in_(list(codes))))
        return {row.credit_code: Holder(row.id, row.name, bool(row.visible)) for row in rows}

    def by_name_key(self, target: str, keys: Iterable[str], actor: Actor) -> dict[str, list[Holder]]:
        t = _TARGETS[target]
        key = t.table.c[t.name_key]
        found: dict[str, list[Holder]] = {}
        rows = self._db.execute(select(t.table.c.id, t.table.c.name, key.label("key"), _visible(t, actor)).where(
            key.in_(list(keys))).order_by(t.table.c.id))
        for row in rows:
            found.setdefault(row.key, []).append(Holder(row.id, row.name, bool(row.visible)))
        return found

    def add_items(self, items: list[ImportItem]) -> None:
        if items:
            self._db.execute(insert(import_batch_items), [
                {"batch_id": i.batch_id, "row": i.row, "record_id": i.record_id, "created": i.created,
                 "version": i.version, "before": self._sealed(i.before)} for i in items])

    def items(self, batch_id: int, after_row: int, limit: int) -> list[ImportItem]:
        rows = self._db.execute(select(import_batch_items).where(
            import_batch_items.c.batch_id == batch_id, import_batch_items.c.row > after_row,
        ).order_by(import_batch_items.c.row).limit(limit))
        return [ImportItem(r.batch_id, r.row, r.record_id, r.created, r.version, self._opened(r.before))
                for r in rows]

    def removal_facts(self, target: str, record_ids: list[int]) -> dict[int, RemovalFacts]:
        t = _TARGETS[target]
        linked = or_(*(exists().where(column == t.table.c.id) for column in t.referrers))
        rows = self._db.execute(select(t.table.c.id, t.table.c.version, case((linked, 1), else_=0).label(
            "linked")).where(t.table.c.id.in_(record_ids)))
        return {row.id: RemovalFacts(row.version, bool(row.linked)) for row in rows}

    def delete_records(self, target: str, record_ids: list[int]) -> None:
        if record_ids:
            table = _TARGETS[target].table
            self._db.execute(delete(table).where(table.c.id.in_(record_ids)))

    def _sealed(self, before: dict[str, Any] | None) -> dict[str, Any] | None:
        if before is None:
            return None
        return before | {k: _b64(self._crypto.seal(before[k])) for k in _SEALED if k in before}

    def _opened(self, before: dict[str, Any] | None) -> dict[str, Any] | None:
        if before is None:
            return None
        return before | {k: self._crypto.open(base64.b64decode(before[k])) if before[k] else None
                         for k in _SEALED if k in before}


def _visible(target: _Target, actor: Actor) -> Any:
    return case((target.scope(actor), 1), else_=0).label("visible")


def _b64(token: bytes | None) -> str | None:
    return base64.b64encode(token).decode() if token else None


def _values(batch: ImportBatch) -> dict[str, Any]:
    return {"status": batch.status.value, "mapping": batch.mapping, "mode": batch.mode.value, "counts": batch.counts,
            "problems": [[p.row, p.field, p.code] for p in batch.problems], "error_file_id": batch.error_file_id,
            "checked_at": batch.checked_at, "committed_at": batch.committed_at, "undone_at": batch.undone_at,
            "target": batch.target}


def _to_batch(row: Row[Any]) -> ImportBatch:
    return ImportBatch(
        row.id, row.owner_id, row.file_id, row.filename, row.format, list(row.header), list(row.mapping),
        row.created_at, BatchStatus(row.status), ImportMode(row.mode), dict(row.counts),
        [Problem(*p) for p in row.problems], row.error_file_id, row.job_id, row.checked_at, row.committed_at,
        row.undone_at, row.version, row.target)
