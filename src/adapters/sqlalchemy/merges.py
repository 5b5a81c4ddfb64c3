"""SQL repository for customer merges: moves dependent rows between customers and records them for undo."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, delete, func, insert, select, update

from adapters.sqlalchemy.tables import contacts, contracts, customer_merges, customer_tags, customers, follow_ups
from domain.customers.merge_models import Merge, MovedRows


class SqlMergeRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def movable(self, customer_id: int) -> MovedRows:
        return MovedRows(
            self._versions(contacts, customer_id),
            tuple(self._db.execute(select(follow_ups.c.id).where(follow_ups.c.customer_id == customer_id)
                                   .order_by(follow_ups.c.id)).scalars()),
            self._versions(contracts, customer_id),
            tuple(self._db.execute(select(customer_tags.c.tag_id).where(customer_tags.c.customer_id == customer_id)
                                   .order_by(customer_tags.c.tag_id)).scalars()))

    def move(self, rows: MovedRows, from_id: int, to_id: int) -> MovedRows:
        self._move_versioned(contacts, rows.contacts, to_id)
        self._move_ids(follow_ups, rows.follow_ups, to_id)
        self._move_versioned(contracts, rows.contracts, to_id)
        held = set(self._db.execute(select(customer_tags.c.tag_id).where(customer_tags.c.customer_id == to_id))
                   .scalars())
        moving = tuple(t for t in rows.tags if t not in held)
        shared = tuple(t for t in rows.tags if t in held)
        self._move_tags(moving, from_id, to_id)
        if shared:
            self._db.execute(delete(customer_tags).where(customer_tags.c.customer_id == from_id,
                                                         customer_tags.c.tag_id.in_(shared)))
        return MovedRows(_bumped(rows.contacts), rows.follow_ups, _bumped(rows.contracts), moving, shared)

    def move_back(self, merge: Merge) -> None:
        moved, back_to = merge.moved, merge.absorbed_id
        self._move_versioned(contacts, moved.contacts, back_to)
        self._move_ids(follow_ups, moved.follow_ups, back_to)
        self._move_versioned(contracts, moved.contracts, back_to)
        self._move_tags(moved.tags, merge.survivor_id, back_to)
        if moved.shared_tags:
            self._db.execute(insert(customer_tags), [{"customer_id": back_to, "tag_id": t} for t in moved.shared_tags])

    def unchanged_since(self, merge: Merge) -> bool:
        moved, survivor = merge.moved, merge.survivor_id
        follow_ups_there = self._count(follow_ups, follow_ups.c.id.in_(moved.follow_ups), survivor)
        tags_there = self._count(customer_tags, customer_tags.c.tag_id.in_(moved.tags), survivor)
        return (self._versions_at(contacts, moved.contacts, survivor)
                and self._versions_at(contracts, moved.contracts, survivor)
                and follow_ups_there == len(moved.follow_ups) and tags_there == len(moved.tags))

    def add(self, merge: Merge) -> int:
        return int(self._db.execute(insert(customer_merges).values(
            survivor_id=merge.survivor_id, absorbed_id=merge.absorbed_id, moved=merge.moved.as_json(),
            absorbed_version=merge.absorbed_version, merged_by=merge.merged_by, merged_at=merge.merged_at,
        ).returning(customer_merges.c.id)).scalar_one())

    def get(self, merge_id: int) -> Merge | None:
        row = self._db.execute(_WITH_NAME.where(customer_merges.c.id == merge_id)).first()
        return _to_merge(row) if row else None

    def mark_undone(self, merge_id: int, at: datetime, by: int) -> bool:
        result = self._db.execute(update(customer_merges).where(
            customer_merges.c.id == merge_id, customer_merges.c.undone_at.is_(None)).values(undone_at=at, undone_by=by))
        return result.rowcount == 1

    def into(self, survivor_id: int, limit: int = 20) -> list[Merge]:
        rows = self._db.execute(_WITH_NAME.where(customer_merges.c.survivor_id == survivor_id)
                                .order_by(customer_merges.c.id.desc()).limit(limit))
        return [_to_merge(row) for row in rows]

    def _versions(self, table: Table, customer_id: int) -> dict[int, int]:
        rows = self._db.execute(select(table.c.id, table.c.version).where(table.c.customer_id == customer_id)
                                .order_by(table.c.id))
        return {row.id: row.version for row in rows}

    def _move_versioned(self, table: Table, versions: dict[int, int], to_id: int) -> None:
        if versions:  # a version bump, so that an edit form opened before the move cannot write the old customer back
            self._db.execute(update(table).where(table.c.id.in_(versions)).values(
                customer_id=to_id, version=table.c.version + 1))

    def _move_ids(self, table: Table, ids: tuple[int, ...], to_id: int) -> None:
        if ids:
            self._db.execute(update(table).where(table.c.id.in_(ids)).values(customer_id=to_id))

    def _move_tags(self, tag_ids: tuple[int, ...], from_id: int, to_id: int) -> None:
        if tag_ids:
            self._db.execute(update(customer_tags).where(customer_tags.c.customer_id == from_id,
                                                         customer_tags.c.tag_id.in_(tag_ids)).values(customer_id=to_id))

    def _versions_at(self, table: Table, versions: dict[int, int], customer_id: int) -> bool:
        if not versions:
            return True
        rows = self._db.execute(select(table.c.id, table.c.version).where(
            table.c.id.in_(versions), table.c.customer_id == customer_id))
        return {row.id: row.version for row in rows} == versions

    def _count(self, table: Table, condition: Any, customer_id: int) -> int:
        return int(self._db.execute(select(func.count()).select_from(table).where(
            and_(condition, table.c.customer_id == customer_id))).scalar_one())


_WITH_NAME = select(customer_merges, customers.c.name.label("absorbed_name")).join(
    customers, customers.c.id == customer_merges.c.absorbed_id)


def _bumped(versions: dict[int, int]) -> dict[int, int]:
    return {row_id: version + 1 for row_id, version in versions.items()}


def _to_merge(row: Row[Any]) -> Merge:
    return Merge(row.id, row.survivor_id, row.absorbed_id, MovedRows.from_json(row.moved), row.absorbed_version,
                 row.merged_by, row.merged_at, row.undone_at, row.absorbed_name)
