"""The daily contract run on real databases (idempotent reminders, audited expiry), its schedule, and the work queue."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import cli
from domain.contracts.models import ContractStatus
from domain.contracts.reminder_services import run_contracts_daily
from domain.contracts.reminders import local_today
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.contract_helpers import add_contract, status_of
from web.deps import Dependencies

TODAY = date(2026, 11, 25)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def reminders(engine: Engine) -> list[tuple[int, int]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT contract_id, days_before FROM contract_reminders ORDER BY 1, 2"))
        return [(row.contract_id, row.days_before) for row in rows]


def audit(engine: Engine, action: str) -> list[tuple[int | None, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT actor_id, entity_id FROM audit_events WHERE action = :a ORDER BY seq"),
                                  {"a": action})
        return [(row.actor_id, row.entity_id) for row in rows]


def test_running_twice_creates_nothing_new_and_expiry_is_audited_without_an_actor(engine: Engine,
                                                                                  deps: Dependencies) -> None:
    rep = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"})
    ninety, forty, far = add_contract(engine, rep, end_on=days(90)), add_contract(engine, rep, end_on=days(40)), \
        add_contract(engine, rep, end_on=days(200))
    ended = add_contract(engine, rep, end_on=days(-1))
    draft = add_contract(engine, rep, end_on=days(-3), status=ContractStatus.DRAFT)

    first = run_contracts_daily(TODAY, uow=deps.uow(), clock=deps.clock)
    second = run_contracts_daily(TODAY, uow=deps.uow(), clock=deps.clock)

    assert (first.reminders, first.expired, second.reminders, second.expired) == (2, 1, 0, 0)
    assert reminders(engine) == [(ninety, 90), (forty, 60)] and far not in dict(reminders(engine))
    assert status_of(engine, ended) == ("expired", days(-1), 2)
    assert status_of(engine, draft)[0] == "draft"
    assert audit(engine, "contract.expired") == [(None, str(ended))]
    assert len(audit(engine, "contract.reminder_due")) == 2


def test_recording_a_reminder_twice_is_refused_by_the_database_quietly(engine: Engine, deps: Dependencies) -> None:
    rep = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"})
    contract_id = add_contract(engine, rep, end_on=days(30))

    with SqlUnitOfWork(engine) as uow:
        first = uow.contract_reminders.record(contract_id, 30, deps.clock.now())
        again = uow.contract_reminders.record(contract_id, 30, deps.clock.now())
        uow.commit()

    assert (first, again) == (True, False) and reminders(engine) == [(contract_id, 30)]


def test_the_command_runs_the_same_service_for_a_given_day(engine: Engine, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    rep = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"})
    contract_id = add_contract(engine, rep, end_on=days(10))
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOUTAI_VAR", str(tmp_path))

    result = CliRunner().invoke(cli, ["contracts-daily", "--date", days(11).isoformat()])

    assert result.exit_code == 0, result.output
    assert "Renewal reminders recorded: 0. Contracts expired: 1." in result.output
    assert status_of(engine, contract_id)[0] == "expired"


def test_the_worker_runs_it_daily_at_one_in_the_morning_server_time(engine: Engine, deps: Dependencies) -> None:
    rep = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"})
    contract_id = add_contract(engine, rep, end_on=local_today(deps.clock) - timedelta(days=1))
    huey = deps.jobs.huey  # type: ignore[attr-defined]
    one_am = datetime.combine(local_today(deps.clock), datetime.min.time()).replace(hour=1).astimezone()
    at = one_am.astimezone(UTC).replace(tzinfo=None)  # huey keeps naive UTC

    due = huey.read_periodic(at)

    assert [task.name for task in due] == ["houtai.contracts_daily"]
    assert huey.read_periodic(at + timedelta(minutes=1)) == []
    huey.execute(due[0])
    assert status_of(engine, contract_id)[0] == "expired"


class TestWorkQueue:
    @pytest.fixture(autouse=True)
    def office(self, engine: Engine, deps: Dependencies, app: Flask) -> None:
        department = add_department(engine, "销售部")
        self.engine, self.deps, self.app = engine, deps, app
        self.ada = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"}, department)
        self.bob = add_user(SqlUnitOfWork(engine), "bob", {"sales_rep"}, department)
        self.boss = add_user(SqlUnitOfWork(engine), "boss", {"sales_manager"}, department)
        today = local_today(deps.clock)
        self.soon = add_contract(engine, self.ada, number="HT-ADA-SOON", end_on=today + timedelta(days=25))
        self.bobs = add_contract(engine, self.bob, number="HT-BOB-SOON", end_on=today + timedelta(days=25))
        self.ended = add_contract(engine, self.ada, number="HT-ADA-ENDED", end_on=today - timedelta(days=3))
        add_contract(engine, self.bob, number="HT-BOB-ENDED", end_on=today - timedelta(days=3))
        run_contracts_daily(today, uow=deps.uow(), clock=deps.clock)

    def client(self, actor: object) -> object:
        client = self.app.test_client()
        sign_in_as(client, self.deps, actor)  # type: ignore[arg-type]
        return client

    def test_shows_only_the_owner_s_own_contracts_and_counts_them_in_the_nav(self) -> None:
        page = self.client(self.ada).get("/work")  # type: ignore[attr-defined]

        assert page.status_code == 200
        assert "HT-ADA-SOON" in page.text and "HT-ADA-ENDED" in page.text
        assert "HT-BOB" not in page.text
        assert '<span class="badge">1<span class="visually-hidden"> open reminders' in page.text

    def test_a_manager_sees_the_team_s_contracts_elsewhere_but_only_their_own_here(self) -> None:
        page = self.client(self.boss).get("/work")  # type: ignore[attr-defined]

        assert "HT-ADA" not in page.text and "HT-BOB" not in page.text and "No open renewal reminders" in page.text

    def test_acknowledging_takes_it_off_the_queue(self) -> None:
        ada = self.client(self.ada)

        response = ada.post(f"/work/contracts/{self.soon}/acknowledge",  # type: ignore[attr-defined]
                            data={"csrf_token": csrf_of(ada, "/account")},  # type: ignore[arg-type]
                            headers={"HX-Request": "true", "HX-Target": "work-reminders"})

        assert response.status_code == 200 and "<html" not in response.text and "HT-ADA-SOON" not in response.text
        assert audit(self.engine, "contract.reminder_acknowledged") == [(self.ada.user_id, str(self.soon))]
        assert 'class="badge"' not in ada.get("/work").text  # type: ignore[attr-defined]

    def test_someone_else_s_reminder_is_404_and_stays_open(self) -> None:
        for intruder in (self.ada, self.boss):
            client = self.client(intruder)
            response = client.post(f"/work/contracts/{self.bobs}/acknowledge",  # type: ignore[attr-defined]
                                   data={"csrf_token": csrf_of(client, "/account")})  # type: ignore[arg-type]
            assert response.status_code == 404 and "HT-BOB" not in response.text
        with self.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM contract_reminders WHERE contract_id = :c AND "
                                           "acknowledged_at IS NULL"), {"c": self.bobs}).scalar() == 1
