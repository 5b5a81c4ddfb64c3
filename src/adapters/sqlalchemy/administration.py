"""SQL repository for the department tree (materialised paths: "/1/4/" lists the ids from the root)."""

from typing import Any

from sqlalchemy import Connection, Row, func, insert, literal, select, update

from adapters.sqlalchemy.tables import departments
from domain.administration.models import Department


class SqlDepartmentRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, name: str, parent_id: int | None) -> Department:
        parent_path = self._path(parent_id) if parent_id is not None else "/"
        new_id = int(self._db.execute(insert(departments).values(name=name, parent_id=parent_id, path="", version=1)
                                      .returning(departments.c.id)).scalar_one())
        path = f"{parent_path}{new_id}/"
        self._db.execute(update(departments).where(departments.c.id == new_id).values(path=path))
        return Department(new_id, name, parent_id, path)

    def get(self, department_id: int) -> Department | None:
        row = self._db.execute(select(departments).where(departments.c.id == department_id)).first()
        return _to_department(row) if row else None

    def all(self) -> list[Department]:
        return [_to_department(row) for row in self._db.execute(select(departments).order_by(departments.c.path))]

    def save(self, department: Department) -> None:
        self._db.execute(update(departments).where(departments.c.id == department.id).values(
            name=department.name, manager_id=department.manager_id, version=department.version))

    def move(self, department: Department, parent: Department | None) -> None:
        old = department.path
        new = f"{parent.path if parent else '/'}{department.id}/"
        self._db.execute(update(departments).where(departments.c.id == department.id).values(
            parent_id=parent.id if parent else None, version=department.version + 1))
        # One statement rewrites the prefix of the whole subtree, the department itself included.
        self._db.execute(update(departments).where(departments.c.path.startswith(old, autoescape=True)).values(
            path=literal(new) + func.substr(departments.c.path, len(old) + 1)))

    def _path(self, department_id: int) -> str:
        return str(self._db.execute(select(departments.c.path).where(departments.c.id == department_id)).scalar_one())


def _to_department(row: Row[Any]) -> Department:
    return Department(row.id, row.name, row.parent_id, row.path, row.manager_id, row.version)
