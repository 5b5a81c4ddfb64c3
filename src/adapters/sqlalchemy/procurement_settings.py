"""SQL store of the procurement settings (tolerances), one row per key."""

from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sqlalchemy.tables import procurement_settings


class SqlProcurementSettings:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def values(self) -> dict[str, str]:
        rows = self._db.execute(select(procurement_settings.c.key, procurement_settings.c.value))
        return {row.key: row.value for row in rows}

    def put(self, key: str, value: str, updated_by: int, now: datetime) -> None:
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(procurement_settings).values(key=key, value=value, updated_by=updated_by,
                                                                updated_at=now)
        self._db.execute(statement.on_conflict_do_update(
            index_elements=[procurement_settings.c.key],
            set_={"value": value, "updated_by": updated_by, "updated_at": now}))
