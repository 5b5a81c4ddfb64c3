"""Composition root: the only module that imports domain, adapters and web together.

Configuration comes from the environment: DATABASE_URL, REDIS_URL, SECRET_KEY,
HOUTAI_ENCRYPTION_KEYS, HOUTAI_BLIND_INDEX_KEY, HOUTAI_VAR, HOUTAI_HTTPS, HOUTAI_TRUSTED_PROXIES,
HOUTAI_SESSION_IDLE_MINUTES, HOUTAI_SESSION_ABSOLUTE_HOURS.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import Engine, text

from adapters.clock import SystemClock
from adapters.crypto.cipher import AesGcmCipher
from adapters.crypto.fields import FieldCrypto, field_crypto
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.totp import PyOtpTotp
from adapters.keys import load_key_ring, load_secret_key
from adapters.rotation import RotationRefused, retire_old_keys, rotate_keys
from adapters.seed import seed_demo
from adapters.sqlalchemy.engine import make_engine, reader
from adapters.sqlalchemy.migrate import is_current, upgrade
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.login import issue_setup_token
from domain.identity.models import SessionPolicy
from domain.identity.sessions import purge_idle_sessions
from web.app import create_app
from web.deps import Dependencies

ROOT = Path(__file__).resolve().parents[1]


def var_dir() -> Path:
    path = Path(os.environ.get("HOUTAI_VAR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir() / 'houtai.db'}"


def session_policy() -> SessionPolicy:
    idle = float(os.environ.get("HOUTAI_SESSION_IDLE_MINUTES", "30"))
    absolute = float(os.environ.get("HOUTAI_SESSION_ABSOLUTE_HOURS", "12"))
    return SessionPolicy(idle=timedelta(minutes=idle), absolute=timedelta(hours=absolute))


def crypto_of(keys_dir: Path) -> FieldCrypto:
    """The cipher and blind index for sensitive columns, from the key ring in `keys_dir` or the environment."""
    return field_crypto(load_key_ring(keys_dir))


def build_dependencies(engine: Engine, keys_dir: Path, policy: SessionPolicy | None = None,
                       hasher: Argon2PasswordHasher | None = None) -> Dependencies:
    ring = load_key_ring(keys_dir)
    crypto, read_engine = field_crypto(ring), reader(engine)
    return Dependencies(
        uow=lambda: SqlUnitOfWork(engine, crypto), reader=lambda: SqlUnitOfWork(read_engine, crypto),
        clock=SystemClock(), hasher=hasher or Argon2PasswordHasher(), cipher=AesGcmCipher(ring.keys, ring.current),
        totp=PyOtpTotp(),
        database_ready=lambda: _ping(engine), policy=policy or session_policy(),
    )


def app_config(keys_dir: Path) -> dict[str, Any]:
    return {
        "SECRET_KEY": load_secret_key(keys_dir),
        "HTTPS": os.environ.get("HOUTAI_HTTPS", "") == "1",
        "TRUSTED_PROXIES": int(os.environ.get("HOUTAI_TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
    }


def wsgi_app() -> Flask:
    """The production app (gunicorn 'bootstrap:wsgi_app()'); refuses to serve an out-of-date schema."""
    engine = make_engine(database_url())
    if not is_current(engine):
        sys.exit("The database schema is not current. Run 'houtai migrate' first.")
    return create_app(build_dependencies(engine, var_dir()), app_config(var_dir()))


def _ping(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not ready"; /readyz must not leak why
        return False


def _cli_app() -> Flask:
    return create_app(build_dependencies(make_engine(database_url()), var_dir()), app_config(var_dir()))


cli = FlaskGroup(name="houtai", create_app=_cli_app, add_default_commands=False, set_debug_flag=False,
                 help="Houtai operator commands.")


@cli.command("migrate")
def migrate_command() -> None:
    """Apply database migrations (creates the embedded SQLite database when missing)."""
    upgrade(make_engine(database_url()), crypto=crypto_of(var_dir()))
    click.echo("Database schema is current.")


@cli.command("setup-link")
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True)
def setup_link_command(base_url: str) -> None:
    """Print a one-time link (valid 1 hour) to create the first administrator, while none exists."""
    engine = make_engine(database_url())
    token = issue_setup_token(uow=SqlUnitOfWork(engine), clock=SystemClock())
    if token is None:
        click.echo("An administrator exists already: sign in at " + base_url.rstrip("/") + "/login")
        return
    click.echo("No administrator exists yet. Open this one-time link within 1 hour to create one:")
    click.echo(f"  {base_url.rstrip('/')}/setup/{token}")


@cli.command("seed-demo")
@click.option("--customers", "count", default=1000, show_default=True, help="How many demo customers.")
@click.option("--seed", default=42, show_default=True, help="Random seed (same seed, same data).")
def seed_demo_command(count: int, seed: int) -> None:
    """Fill the database with realistic Chinese and English demo customers and follow-ups."""
    report = seed_demo(make_engine(database_url()), count, seed, crypto_of(var_dir()))
    click.echo(report)


@cli.command("purge-sessions")
def purge_sessions_command() -> None:
    """Delete sessions idle longer than the idle timeout."""
    removed = purge_idle_sessions(uow=SqlUnitOfWork(make_engine(database_url())), clock=SystemClock(),
                                  policy=session_policy())
    click.echo(f"Removed {removed} idle sessions.")


@cli.command("rotate-keys")
@click.option("--retire", is_flag=True, help="Remove the old keys, once no value is encrypted with them any more.")
def rotate_keys_command(retire: bool) -> None:
    """Add a new encryption key and re-encrypt every value with it (run again to finish an interrupted run)."""
    step = retire_old_keys if retire else rotate_keys
    try:
        click.echo("\n".join(step(make_engine(database_url()), var_dir(), SystemClock())))
    except RotationRefused as refusal:
        sys.exit(str(refusal))
