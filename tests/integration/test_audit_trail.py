"""The hash-chained audit trail on real SQLite and PostgreSQL: tamper detection, the guards, the CLI."""

import os
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.sqlalchemy.audit import SqlAuditLog
from adapters.sqlalchemy.audit_guard import create_guard, drop_guard
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import audit_group, db_group
from domain.audit.models import AuditEvent
from domain.audit.verify import Break, verify_chain
from tests.builders import NOW

APP_ROLE = "houtai_audit_test_app" + ("_" + os.environ.get("PYTEST_XDIST_WORKER", "") if os.environ.get(
    "PYTEST_XDIST_WORKER") else "")  # roles are cluster-wide: one per test worker


def append(engine: Engine, count: int, action: str = "customer.updated") -> None:
    for n in range(count):
        with SqlUnitOfWork(engine) as uow:
            uow.audit.append(AuditEvent(action, NOW + timedelta(seconds=n), 1, "10.0.0.1", "customer", str(n),
                                        {"stage": "lead"}, {"stage": "customer", "名称": "华宏"}))
            uow.commit()


def database_env(engine: Engine) -> dict[str, str | None]:
    return {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}


def tamper(engine: Engine, statement: str) -> None:
    """Run `statement` with the append-only guard lifted, as someone with the database file or owner role could."""
    with engine.begin() as connection:
        drop_guard(connection)
        connection.execute(text(statement))
        create_guard(connection)


@pytest.fixture
def chain(engine: Engine) -> Engine:
    append(engine, 5)
    return engine


def test_an_untouched_chain_verifies(chain: Engine) -> None:
    report = verify_chain(uow=SqlUnitOfWork(chain), batch=2)

    assert report.intact and report.records == 5


def test_an_edited_after_value_is_reported_at_its_row(chain: Engine) -> None:
    tamper(chain, "UPDATE audit_events SET after = '{\"stage\": \"lost\"}' WHERE seq = 3")

    problem = verify_chain(uow=SqlUnitOfWork(chain), batch=2).problem

    assert problem and (problem.kind, problem.seq) == (Break.EDITED, 3)


def test_a_deleted_middle_row_is_reported_missing(chain: Engine) -> None:
    tamper(chain, "DELETE FROM audit_events WHERE seq = 2")

    problem = verify_chain(uow=SqlUnitOfWork(chain)).problem

    assert problem and (problem.kind, problem.seq) == (Break.MISSING, 2)


def test_a_deleted_last_row_is_reported(chain: Engine) -> None:
    tamper(chain, "DELETE FROM audit_events WHERE seq = 5")

    problem = verify_chain(uow=SqlUnitOfWork(chain)).problem

    assert problem and (problem.kind, problem.seq) == (Break.TAIL_MISSING, 5)


def test_swapped_rows_are_reported_out_of_order(chain: Engine) -> None:
    tamper(chain, "UPDATE audit_events SET seq = -seq WHERE seq IN (2, 3)")
    tamper(chain, "UPDATE audit_events SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END WHERE seq IN (-2, -3)")

    problem = verify_chain(uow=SqlUnitOfWork(chain)).problem

    assert problem and (problem.kind, problem.seq) == (Break.UNLINKED, 2)


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"])
def test_the_triggers_refuse_update_and_delete(chain: Engine, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), chain.begin() as connection:
        connection.execute(text(statement))

    assert verify_chain(uow=SqlUnitOfWork(chain)).records == 5


def test_concurrent_appends_leave_a_valid_chain(engine: Engine) -> None:
    threads = [threading.Thread(target=append, args=(engine, 8, f"thread{n}.appended")) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    report = verify_chain(uow=SqlUnitOfWork(engine))

    assert report.intact and report.records == 32


class TestVerifyCommand:
    def run(self, engine: Engine) -> tuple[int, str]:
        result = CliRunner().invoke(audit_group, ["verify"], env=database_env(engine))
        return result.exit_code, result.output

    def test_exits_0_and_says_intact(self, chain: Engine) -> None:
        status, output = self.run(chain)

        assert status == 0 and "Audit trail intact: 5 records, last hash " in output

    def test_exits_1_and_names_the_first_break(self, chain: Engine) -> None:
        tamper(chain, "UPDATE audit_events SET ip = '6.6.6.6' WHERE seq = 4")

        status, output = self.run(chain)

        assert status == 1 and "BROKEN at seq 4" in output and "edited" in output


@pytest.fixture
def app_role(engine: Engine) -> Iterator[str]:
    if engine.dialect.name != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's; SQLite relies on the triggers (tested above)")
    with engine.begin() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}).first():
            connection.execute(text(f"CREATE ROLE {APP_ROLE} NOLOGIN"))
    result = CliRunner().invoke(db_group, ["grant-app-role", APP_ROLE, "--apply"], env=database_env(engine))
    assert result.exit_code == 0, result.output
    yield APP_ROLE
    with engine.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {APP_ROLE}"))
        connection.execute(text(f"DROP ROLE {APP_ROLE}"))


def as_role(connection: Connection, role: str) -> None:
    connection.execute(text(f"SET LOCAL ROLE {role}"))


class TestLeastPrivilegeRole:
    def test_the_app_role_appends_and_uses_other_tables(self, chain: Engine, app_role: str) -> None:
        with chain.begin() as connection:
            as_role(connection, app_role)
            SqlAuditLog(connection).append(AuditEvent("role.tested", NOW))
            connection.execute(text("UPDATE users SET display_name = display_name"))
            connection.execute(text("DELETE FROM setup_tokens"))

        assert verify_chain(uow=SqlUnitOfWork(chain)).records == 6

    @pytest.mark.parametrize("statement", [
        "UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events", "TRUNCATE audit_events",
        "DELETE FROM audit_head", "CREATE TABLE sneaky (id int)", "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    ])
    def test_the_app_role_cannot_rewrite_the_trail(self, chain: Engine, app_role: str, statement: str) -> None:
        with pytest.raises(DBAPIError, match=r"permission denied|must be owner"), chain.begin() as connection:
            as_role(connection, app_role)
            connection.execute(text(statement))

        assert verify_chain(uow=SqlUnitOfWork(chain)).intact


def test_grant_app_role_prints_the_statements_by_default() -> None:
    result = CliRunner().invoke(db_group, ["grant-app-role", "houtai_app"])

    assert result.exit_code == 0
    assert 'GRANT SELECT, INSERT ON audit_events TO "houtai_app";' in result.output
    assert 'GRANT SELECT, UPDATE ON audit_head TO "houtai_app";' in result.output
    assert "TRUNCATE" not in result.output
