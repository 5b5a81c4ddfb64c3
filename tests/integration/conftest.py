"""Real databases: SQLite always; PostgreSQL too when it answers on 127.0.0.1:5432 (skipped otherwise)."""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.audit_guard import create_guard, drop_guard
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import build_dependencies, crypto_of
from domain.audit.chain import GENESIS
from domain.identity.models import Actor, SessionPolicy, Stage, User
from domain.identity.sessions import start_session
from tests.builders import NOW
from tests.integration.role_seed import restore_roles
from web.app import create_app
from web.deps import Dependencies

PG_ADMIN = os.environ.get("HOUTAI_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
# One database per pytest-xdist worker (gw0, gw1, …): each worker migrates and wipes its own.
PG_DATABASE = os.environ.get("HOUTAI_TEST_PG_DATABASE", "houtai_test") + (
    "_" + os.environ["PYTEST_XDIST_WORKER"] if os.environ.get("PYTEST_XDIST_WORKER") else "")
TABLES = ("supplier_invoice_lines", "supplier_invoices", "goods_receipt_lines", "goods_receipts",
          "purchase_order_lines", "purchase_orders", "requisition_lines", "requisitions", "budget_entries", "budgets",
          "supplier_document_reminders", "supplier_documents", "supplier_contacts", "procurement_settings",
          "approval_tasks", "approval_requests", "approval_rule_steps", "approval_rules", "delegations",
          "import_batch_items", "import_batches", "import_mappings", "customer_merges", "contacts", "jobs",
          "contract_attachments", "contract_reminders", "contract_amendments", "number_sequences", "contracts",
          "suppliers",
          "saved_views", "customer_tags", "tags", "follow_ups", "customers", "recovery_codes", "auth_sessions",
          "user_tokens", "user_roles", "users", "departments", "setup_tokens", "audit_events")  # children first


def _postgres_url() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=2) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone()
            if not exists:
                connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    except psycopg.OperationalError:
        return None
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DATABASE


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def migrated_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'houtai.db'}")
    else:
        url = _postgres_url()
        if url is None:
            pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432; its integration tests are skipped")
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    yield migrated_engine
    wipe(migrated_engine)


def wipe(engine: Engine) -> None:
    """Empty every table except the seeded roles; reset the audit chain (its guard lifted meanwhile)."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("UPDATE departments SET manager_id = NULL"))
            drop_guard(connection)
            for table in TABLES:
                connection.execute(text(f"DELETE FROM {table}"))
            create_guard(connection)
        else:
            connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        restore_roles(connection)  # after user_roles is empty: custom roles may be held until then
        connection.execute(text(f"UPDATE audit_head SET seq = 0, hash = '{GENESIS}'"))


class QuickHasher:
    """argon2id with minimum cost: the same algorithm, faster tests (strength is tested in unit tests)."""

    def __init__(self) -> None:
        from adapters.crypto.passwords import Argon2PasswordHasher

        self._inner = Argon2PasswordHasher(time_cost=1, memory_cost=1024)

    def hash(self, password: str) -> str:
        return self._inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        return self._inner.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return False


@pytest.fixture
def deps(engine: Engine, tmp_path: Path) -> Dependencies:
    return build_dependencies(engine, tmp_path, policy=SessionPolicy(), hasher=QuickHasher(),  # type: ignore[arg-type]
                              immediate_jobs=True)


@pytest.fixture
def uow(engine: Engine, tmp_path: Path) -> SqlUnitOfWork:
    return SqlUnitOfWork(engine, crypto_of(tmp_path))  # the keys `deps` (the app) uses too


@pytest.fixture
def app(deps: Dependencies) -> Flask:
    return create_app(deps, {"SECRET_KEY": secrets.token_urlsafe(32), "LOGIN_RATE_LIMIT": "1000 per minute"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def add_user(uow: SqlUnitOfWork, username: str, roles: set[str], department_id: int | None = None,
             password_hash: str = "!") -> Actor:
    with uow:
        user_id = uow.users.add(User(None, username, username.title(), password_hash, frozenset(roles), NOW,
                                     department_id, totp_confirmed=True))
        uow.commit()
    return Actor(user_id, username, username.title(), frozenset(roles), department_id, "127.0.0.1")


def add_department(engine: Engine, name: str, parent: int | None = None) -> int:
    with engine.begin() as connection:
        parent_path = connection.execute(text("SELECT path FROM departments WHERE id = :p"), {"p": parent}).scalar() \
            if parent else "/"
        new_id = connection.execute(text("INSERT INTO departments (name, parent_id, path) VALUES (:n, :p, '') "
                                         "RETURNING id"), {"n": name, "p": parent}).scalar_one()
        connection.execute(text("UPDATE departments SET path = :path WHERE id = :id"),
                           {"path": f"{parent_path}{new_id}/", "id": new_id})
    return int(new_id)


def sign_in_as(client: FlaskClient, deps: Dependencies, actor: Actor, stage: Stage = Stage.FULL,
               fresh: bool = True) -> str:
    """A browser that finished signing in (or stopped after the password step), without the UI.

    `fresh=False` backdates the last password + TOTP proof past the step-up window.
    """
    token, session = start_session(stage, actor.user_id, ip="127.0.0.1", user_agent="test", replaces=None,
                                   uow=deps.uow(), clock=deps.clock)
    if not fresh:
        with deps.uow() as uow:
            uow.sessions.mark_authenticated(session.token_hash, deps.clock.now() - deps.policy.step_up * 2)
            uow.commit()
    client.set_cookie("houtai", token)
    return token


def csrf_of(client: FlaskClient, path: str = "/customers/new") -> str:
    """The CSRF token a page hands to its forms (hidden input and hx-headers)."""
    html = client.get(path).text
    marker = 'name="csrf_token" value="'
    return html.split(marker, 1)[1].split('"', 1)[0]
