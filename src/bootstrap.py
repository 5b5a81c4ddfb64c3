"""Composition root: the only module that imports domain, adapters and web together.

Configuration comes from the environment: DATABASE_URL, REDIS_URL, SECRET_KEY,
HOUTAI_ENCRYPTION_KEYS, HOUTAI_BLIND_INDEX_KEY, HOUTAI_VAR, HOUTAI_HTTPS, HOUTAI_TRUSTED_PROXIES,
HOUTAI_SESSION_IDLE_MINUTES, HOUTAI_SESSION_ABSOLUTE_HOURS, HOUTAI_STEP_UP_MINUTES (how long a password +
TOTP confirmation allows sensitive actions, default 15), HOUTAI_ORGANISATION_NAME (refused inside passwords),
HOUTAI_CONTRACT_NUMBER_PATTERN (default HT-{year}-{seq:05d}), HOUTAI_REQUISITION_NUMBER_PATTERN
(PR-{year}-{seq:05d}), HOUTAI_ORDER_NUMBER_PATTERN (PO-{year}-{seq:05d}), HOUTAI_RECEIPT_NUMBER_PATTERN
(GR-{year}-{seq:05d}); each checked at start.
"""

import logging
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup
from huey.consumer import Consumer
from sqlalchemy import Engine, text

from adapters.clock import SystemClock
from adapters.crypto.blind_index import HmacBlindIndex
from adapters.crypto.cipher import KeyFileCipher
from adapters.crypto.fields import FieldCrypto, field_crypto
from adapters.crypto.password_strength import ZxcvbnStrength
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.totp import PyOtpTotp
from adapters.deploy_check import Deployment, check_deployment
from adapters.files import DiskFileStore
from adapters.job_queue import HueyJobQueue, make_huey
from adapters.keys import ENV_KEYS, load_key_ring, load_secret_key
from adapters.rotation import RotationRefused, retire_old_keys, rotate_keys
from adapters.schedule import run_daily
from adapters.seed import seed_demo
from adapters.seed_procurement import SeedRefused, refuse_if_seeded, seed_procurement
from adapters.spreadsheets import XlsxFile
from adapters.sqlalchemy.audit_guard import app_role_grants
from adapters.sqlalchemy.engine import make_engine, reader
from adapters.sqlalchemy.migrate import is_current, upgrade
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.audit.verify import verify_chain
from domain.contracts.lists import CONTRACT_EXPORT
from domain.contracts.reminder_services import run_contracts_daily
from domain.contracts.reminders import DailyReport, local_today
from domain.customers.export import CUSTOMER_EXPORT
from domain.identity.login import issue_setup_token
from domain.identity.models import Actor, SessionPolicy
from domain.identity.sessions import purge_idle_sessions
from domain.invoicing.lists import INVOICE_EXPORT
from domain.jobs.services import register, run_job
from domain.lists.export import export_handler
from domain.purchasing.lists import ORDER_EXPORT
from domain.receiving.lists import RECEIPT_EXPORT
from domain.requisitions.lists import REQUISITION_EXPORT
from domain.shared.numbering import DEFAULT_PATTERNS, InvalidPattern, NumberPattern
from domain.shared.spreadsheet import CsvFile
from domain.suppliers.document_services import run_suppliers_daily
from domain.suppliers.lists import SUPPLIER_EXPORT
from web.app import create_app
from web.deps import Dependencies
from web.imports import jobs as _import_jobs  # noqa: F401  (registers its job kinds; the worker builds no app)

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = (CUSTOMER_EXPORT, CONTRACT_EXPORT,  # the lists that export (domain.lists.export), one job kind each
           SUPPLIER_EXPORT, REQUISITION_EXPORT, ORDER_EXPORT, RECEIPT_EXPORT, INVOICE_EXPORT)


def var_dir() -> Path:
    path = Path(os.environ.get("HOUTAI_VAR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir() / 'houtai.db'}"


def session_policy() -> SessionPolicy:
    idle = float(os.environ.get("HOUTAI_SESSION_IDLE_MINUTES", "30"))
    absolute = float(os.environ.get("HOUTAI_SESSION_ABSOLUTE_HOURS", "12"))
    step_up = float(os.environ.get("HOUTAI_STEP_UP_MINUTES", "15"))
    return SessionPolicy(idle=timedelta(minutes=idle), absolute=timedelta(hours=absolute),
                         step_up=timedelta(minutes=step_up))


def crypto_of(keys_dir: Path) -> FieldCrypto:
    """The cipher and blind index for sensitive columns, from the key ring in `keys_dir` or the environment."""
    return field_crypto(load_key_ring(keys_dir))


def key_file_cipher(keys_dir: Path) -> KeyFileCipher:
    """The app's cipher: follows a key rotation in var/keys.json without a restart."""
    def load() -> tuple[dict[str, bytes], str]:
        ring = load_key_ring(keys_dir)
        return ring.keys, ring.current

    return KeyFileCipher(load, None if os.environ.get(ENV_KEYS) else keys_dir / "keys.json")


def build_dependencies(engine: Engine, keys_dir: Path, policy: SessionPolicy | None = None,
                       hasher: Argon2PasswordHasher | None = None, immediate_jobs: bool = False) -> Dependencies:
    """Every adapter the app uses. `keys_dir` is the var directory (keys, files, the SQLite job queue);
    `immediate_jobs` runs background jobs inside the request (tests)."""
    ring, cipher = load_key_ring(keys_dir), key_file_cipher(keys_dir)
    crypto, read_engine = FieldCrypto(cipher, HmacBlindIndex(ring.index_key)), reader(engine)
    files = DiskFileStore(keys_dir / "files")

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, crypto)

    def run(job_id: int) -> None:
        run_job(job_id, uow=uow, clock=SystemClock(), files=files, actor_of=lambda user_id: _actor_of(uow, user_id))

    huey = make_huey(keys_dir, os.environ.get("REDIS_URL"), immediate_jobs)
    run_daily(huey, "houtai.contracts_daily", 1, lambda: _contracts_daily(uow, None))
    for export in EXPORTS:
        register(export.kind, export_handler(export, {"csv": CsvFile(), "xlsx": XlsxFile()}))
    run_daily(huey, "houtai.suppliers_daily", 2, lambda: _suppliers_daily(uow, None))
    return Dependencies(
        uow=uow, reader=lambda: SqlUnitOfWork(read_engine, crypto),
        clock=SystemClock(), hasher=hasher or Argon2PasswordHasher(), cipher=cipher,
        totp=PyOtpTotp(),
        database_ready=lambda: _ping(engine), policy=policy or session_policy(),
        strength=ZxcvbnStrength(site_words=[os.environ.get("HOUTAI_ORGANISATION_NAME", "")]),
        jobs=HueyJobQueue(huey, run), files=files,
    )


def _actor_of(uow: Callable[[], SqlUnitOfWork], user_id: int) -> Actor | None:
    """The job owner's current grants (a job runs with what its owner may do now, not at submission)."""
    with uow() as unit:
        return unit.roles.actor_of(user_id)


def _contracts_daily(uow: Callable[[], SqlUnitOfWork], day: date | None) -> DailyReport:
    """Renewal reminders and automatic expiry for `day` (default: today, server time); safe to repeat."""
    clock = SystemClock()
    report = run_contracts_daily(day or local_today(clock), uow=uow(), clock=clock)
    logging.getLogger("houtai.jobs").info("contracts.daily reminders=%s expired=%s skipped=%s", report.reminders,
                                          report.expired, report.skipped)
    return report


def _suppliers_daily(uow: Callable[[], SqlUnitOfWork], day: date | None) -> int:
    """Supplier document expiry reminders for `day` (default: today, server time); safe to repeat."""
    clock = SystemClock()
    recorded = run_suppliers_daily(day or local_today(clock), uow=uow(), clock=clock)
    logging.getLogger("houtai.jobs").info("suppliers.daily reminders=%s", recorded)
    return recorded


def app_config(keys_dir: Path) -> dict[str, Any]:
    return {
        "SECRET_KEY": load_secret_key(keys_dir),
        "HTTPS": os.environ.get("HOUTAI_HTTPS", "") == "1",
        "TRUSTED_PROXIES": int(os.environ.get("HOUTAI_TRUSTED_PROXIES", "0")),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "ORGANISATION_NAME": os.environ.get("HOUTAI_ORGANISATION_NAME", ""),  # the buyer on printed orders
        **number_patterns(),
    }


# Document kind → (environment variable, app config key) of its number pattern.
NUMBER_SETTINGS = {"contract": ("HOUTAI_CONTRACT_NUMBER_PATTERN", "CONTRACT_NUMBER_PATTERN"),
                   "requisition": ("HOUTAI_REQUISITION_NUMBER_PATTERN", "REQUISITION_NUMBER_PATTERN"),
                   "purchase_order": ("HOUTAI_ORDER_NUMBER_PATTERN", "PURCHASE_ORDER_NUMBER_PATTERN"),
                   "goods_receipt": ("HOUTAI_RECEIPT_NUMBER_PATTERN", "GOODS_RECEIPT_NUMBER_PATTERN")}


def number_patterns() -> dict[str, str]:
    """The number patterns from the environment, checked: the app refuses to start with one that cannot number."""
    patterns = {}
    for kind, (variable, key) in NUMBER_SETTINGS.items():
        try:
            patterns[key] = NumberPattern.parse(os.environ.get(variable, DEFAULT_PATTERNS[kind]), kind).text
        except InvalidPattern as error:
            sys.exit(f"{variable} is unusable: {error}")
    return patterns


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


@cli.command("seed-demo", with_appcontext=False)
@click.option("--customers", "count", default=1000, show_default=True, help="How many demo customers.")
@click.option("--orders", default=0, show_default=True,
              help="How many demo purchase orders, with suppliers, budgets, requisitions, receipts and invoices "
                   "around them (only into a database without procurement data).")
@click.option("--seed", default=42, show_default=True, help="Random seed (same seed, same data).")
def seed_demo_command(count: int, orders: int, seed: int) -> None:
    """Fill the database with realistic Chinese and English demo customers and follow-ups, and procurement."""
    engine, crypto = make_engine(database_url()), crypto_of(var_dir())
    try:
        if orders > 0:
            with reader(engine).connect() as connection:
                refuse_if_seeded(connection)
        if count > 0 or orders <= 0:
            click.echo(seed_demo(engine, count, seed, crypto))
        if orders > 0:
            patterns = {kind: NumberPattern(number_patterns()[key], kind)
                        for kind, (_, key) in NUMBER_SETTINGS.items()}
            click.echo(seed_procurement(engine, orders, seed, crypto, patterns))
    except SeedRefused as refused:
        raise click.ClickException(str(refused)) from refused
    finally:
        engine.dispose()


@cli.command("purge-sessions")
def purge_sessions_command() -> None:
    """Delete sessions idle longer than the idle timeout."""
    removed = purge_idle_sessions(uow=SqlUnitOfWork(make_engine(database_url())), clock=SystemClock(),
                                  policy=session_policy())
    click.echo(f"Removed {removed} idle sessions.")


@cli.command("check-deploy")
def check_deploy_command() -> None:
    """Check the configuration for production: exits 1 and explains each problem found."""
    deployment = Deployment(env=dict(os.environ), var_dir=var_dir(), secret_key=load_secret_key(var_dir()),
                            debug=os.environ.get("FLASK_DEBUG", "") == "1", engine=make_engine(database_url()))
    problems = check_deployment(deployment)
    for problem in problems:
        click.echo(f"[{problem.code}] {problem.message}\n    Fix: {problem.fix}")
    if problems:
        click.echo(f"{len(problems)} problem(s) found.")
        sys.exit(1)
    click.echo("No deployment problems found.")


@click.group("audit")
def audit_group() -> None:
    """The tamper-evident audit trail."""


@audit_group.command("verify")
def audit_verify_command() -> None:
    """Walk the hash chain and report the first broken or missing record (exit status 1 if any)."""
    engine = make_engine(database_url())
    try:
        report = verify_chain(uow=SqlUnitOfWork(reader(engine)))
    finally:
        engine.dispose()
    if report.problem is None:
        click.echo(f"Audit trail intact: {report.records} records, last hash {report.last_hash}.")
        return
    problem = report.problem
    where = f"seq {problem.seq}" + (f" (id {problem.record_id})" if problem.record_id is not None else "")
    click.echo(f"Audit trail BROKEN at {where}: {problem.kind.value}: {problem.detail}. "
               f"{report.records} records before it verified.", err=True)
    sys.exit(1)


@click.group("db")
def db_group() -> None:
    """Database administration."""


@db_group.command("grant-app-role")
@click.argument("role")
@click.option("--apply", "apply_grants", is_flag=True, help="Run the statements (as the owner) instead of printing.")
def grant_app_role_command(role: str, apply_grants: bool) -> None:
    """Print (or apply) the PostgreSQL grants for the least-privilege role the application runs as."""
    statements = list(app_role_grants(role))
    if not apply_grants:
        click.echo(";\n".join(statements) + ";")
        return
    engine = make_engine(database_url())
    if engine.dialect.name != "postgresql":
        sys.exit("Grants apply to PostgreSQL only; SQLite relies on the audit triggers and file permissions.")
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()
    click.echo(f"Granted {len(statements)} statements to {role}.")


cli.add_command(audit_group)
cli.add_command(db_group)


@cli.command("rotate-keys")
@click.option("--retire", is_flag=True, help="Remove the old keys, once no value is encrypted with them any more.")
def rotate_keys_command(retire: bool) -> None:
    """Add a new encryption key and re-encrypt every value with it (run again to finish an interrupted run)."""
    step = retire_old_keys if retire else rotate_keys
    try:
        click.echo("\n".join(step(make_engine(database_url()), var_dir(), SystemClock())))
    except RotationRefused as refusal:
        sys.exit(str(refusal))


@cli.command("contracts-daily", with_appcontext=False)
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to run for, YYYY-MM-DD (default: today, server time).")
def contracts_daily_command(day: datetime | None) -> None:
    """Record due renewal reminders and expire ended contracts (what the worker runs daily at 01:00)."""
    engine = make_engine(database_url())
    try:
        report = _contracts_daily(lambda: SqlUnitOfWork(engine), day.date() if day else None)
    finally:
        engine.dispose()
    click.echo(f"Renewal reminders recorded: {report.reminders}. Contracts expired: {report.expired}. "
               f"Changed during the run, left for the next one: {report.skipped}.")


@cli.command("suppliers-daily", with_appcontext=False)
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to run for, YYYY-MM-DD (default: today, server time).")
def suppliers_daily_command(day: datetime | None) -> None:
    """Record due expiry reminders of supplier documents, 60/30/7 days ahead (the worker runs it daily at 02:00)."""
    engine = make_engine(database_url())
    try:
        recorded = _suppliers_daily(lambda: SqlUnitOfWork(engine), day.date() if day else None)
    finally:
        engine.dispose()
    click.echo(f"Supplier document reminders recorded: {recorded}.")


@cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker_command(workers: int) -> None:
    """Run the background job worker (imports, exports, scheduled checks) until interrupted."""
    engine = make_engine(database_url())
    if not is_current(engine):
        sys.exit("The database schema is not current. Run 'houtai migrate' first.")
    queue = build_dependencies(engine, var_dir()).jobs
    assert isinstance(queue, HueyJobQueue)
    click.echo(f"Houtai worker: {workers} threads on {type(queue.huey.storage).__name__}.")
    Consumer(queue.huey, workers=workers, worker_type="thread").run()
