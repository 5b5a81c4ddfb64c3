"""Alembic, driven from code: no alembic.ini to keep in step."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from adapters.crypto.fields import FieldCrypto

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine, crypto: FieldCrypto | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    config.attributes["crypto"] = crypto  # a FieldCrypto, for migrations that encrypt existing rows
    return config


def upgrade(engine: Engine, revision: str = "heads", crypto: FieldCrypto | None = None) -> None:
    """Apply migrations up to `revision`; `crypto` (the real keys) is needed to encrypt existing sensitive rows."""
    command.upgrade(alembic_config(engine, crypto), revision)


def downgrade(engine: Engine, revision: str, crypto: FieldCrypto | None = None) -> None:
    """Undo migrations down to `revision` (operators restoring an older release; tests)."""
    command.downgrade(alembic_config(engine, crypto), revision)


def is_current(engine: Engine) -> bool:
    """True when the database is at every head of the migration graph."""
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads
