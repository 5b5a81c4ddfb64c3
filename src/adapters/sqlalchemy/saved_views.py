"""SQL repository for saved views of every list (each view names its list)."""

from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, or_, select, update

from adapters.sqlalchemy.tables import departments, saved_views, users
from domain.identity.models import Actor
from domain.lists.models import SavedView

_VIEWS = select(saved_views, users.c.display_name).join(users, users.c.id == saved_views.c.owner_id)
# The department and its ancestors: those whose materialised path begins the user's department's ("/1/" of "/1/4/").
_PATH = select(departments.c.path).where(departments.c.id == bindparam("department_id")).scalar_subquery()
_OWN_AND_ABOVE = select(departments.c.id).where(_PATH.like(departments.c.path + "%"))
_VISIBLE = _VIEWS.where(  # built once: a list page runs it on every request
    saved_views.c.list_key == bindparam("list_key"),
    or_(saved_views.c.owner_id == bindparam("user_id"), saved_views.c.shared_department_id.in_(_OWN_AND_ABOVE)),
).order_by(saved_views.c.name, saved_views.c.id).limit(200)


class SqlSavedViewRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, view: SavedView) -> int:
        return int(self._db.execute(insert(saved_views).values(
            list_key=view.list_key, owner_id=view.owner_id, name=view.name, query=view.query,
            shared_department_id=view.shared_department_id, created_at=view.created_at,
        ).returning(saved_views.c.id)).scalar_one())

    def get(self, view_id: int) -> SavedView | None:
        row = self._db.execute(_VIEWS.where(saved_views.c.id == view_id)).first()
        return _to_view(row) if row else None

    def visible_to(self, actor: Actor, list_key: str) -> list[SavedView]:
        rows = self._db.execute(_VISIBLE, {"list_key": list_key, "user_id": actor.user_id,
                                           "department_id": actor.department_id})
        views = [_to_view(row) for row in rows]
        return [v for v in views if v.owner_id == actor.user_id] + [v for v in views if v.owner_id != actor.user_id]

    def rename(self, view_id: int, name: str) -> None:
        self._db.execute(update(saved_views).where(saved_views.c.id == view_id).values(name=name))

    def delete(self, view_id: int) -> None:
        self._db.execute(delete(saved_views).where(saved_views.c.id == view_id))


def _to_view(row: Row[Any]) -> SavedView:
    return SavedView(row.id, row.owner_id, row.name, row.query, row.shared_department_id, row.created_at,
                     row.display_name, row.list_key)
