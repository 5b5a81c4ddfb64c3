"""Gapless counters in `number_sequences`, incremented by one atomic UPDATE … RETURNING."""

from sqlalchemy import Connection, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sqlalchemy.tables import number_sequences


class SqlNumberSequences:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def next_value(self, key: str) -> int:
        # Insert-or-ignore makes the row exist; the UPDATE then takes its row lock (PostgreSQL) or runs under
        # the write lock (SQLite, BEGIN IMMEDIATE), so concurrent transactions queue instead of colliding.
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        self._db.execute(dialect.insert(number_sequences).values(key=key, last_value=0).on_conflict_do_nothing())
        return int(self._db.execute(update(number_sequences).where(number_sequences.c.key == key)
                                    .values(last_value=number_sequences.c.last_value + 1)
                                    .returning(number_sequences.c.last_value)).scalar_one())
