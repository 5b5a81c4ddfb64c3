"""SQL repository for tags and the customers that carry them."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, delete, insert, select

from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import customer_tags, customers, tags
from domain.customers.list_models import Tag
from domain.identity.models import Actor


def tagged(tag_id: int) -> Select[Any]:
    """Ids of the customers carrying the tag (served by ix_customer_tags_tag)."""
    return select(customer_tags.c.customer_id).where(customer_tags.c.tag_id == tag_id)


class SqlTagRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def get(self, tag_id: int) -> Tag | None:
        row = self._db.execute(select(tags.c.id, tags.c.name).where(tags.c.id == tag_id)).first()
        return Tag(row.id, row.name) if row else None

    def find(self, key: str) -> Tag | None:
        row = self._db.execute(select(tags.c.id, tags.c.name).where(tags.c.name_key == key)).first()
        return Tag(row.id, row.name) if row else None

    def add(self, name: str, key: str) -> Tag:
        tag_id = self._db.execute(insert(tags).values(name=name, name_key=key).returning(tags.c.id)).scalar_one()
        return Tag(int(tag_id), name)

    def all(self, limit: int = 500) -> list[Tag]:
        rows = self._db.execute(select(tags.c.id, tags.c.name).order_by(tags.c.name_key, tags.c.id).limit(limit))
        return [Tag(r.id, r.name) for r in rows]

    def of_customers(self, customer_ids: Sequence[int], actor: Actor) -> dict[int, list[Tag]]:
        if not customer_ids:
            return {}
        scope = record_scope(actor, "customer", customers.c.owner_id, customers.c.department_id)
        rows = self._db.execute(
            select(customer_tags.c.customer_id, tags.c.id, tags.c.name)
            .join(tags, tags.c.id == customer_tags.c.tag_id)
            .join(customers, customers.c.id == customer_tags.c.customer_id)
            .where(customer_tags.c.customer_id.in_(customer_ids), scope)
            .order_by(tags.c.name_key, tags.c.id))
        found: dict[int, list[Tag]] = {}
        for row in rows:
            found.setdefault(row.customer_id, []).append(Tag(row.id, row.name))
        return found

    def attach(self, customer_id: int, tag_id: int) -> bool:
        if self._carries(customer_id, tag_id):
            return False
        self._db.execute(insert(customer_tags).values(customer_id=customer_id, tag_id=tag_id))
        return True

    def detach(self, customer_id: int, tag_id: int) -> bool:
        result = self._db.execute(delete(customer_tags).where(customer_tags.c.customer_id == customer_id,
                                                               customer_tags.c.tag_id == tag_id))
        return result.rowcount == 1

    def _carries(self, customer_id: int, tag_id: int) -> bool:
        found = self._db.execute(select(customer_tags.c.tag_id).where(
            customer_tags.c.customer_id == customer_id, customer_tags.c.tag_id == tag_id)).first()
        return found is not None
