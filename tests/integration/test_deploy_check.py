"""`houtai check-deploy`: each unsafe setting is reported with a fix; a sound setup passes."""

import os
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from adapters.deploy_check import Deployment, check_deployment
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from bootstrap import cli

SOUND_ENV = {"HOUTAI_HTTPS": "1", "HOUTAI_TRUSTED_PROXIES": "1", "REDIS_URL": "redis://127.0.0.1:6379/0",
             "HOUTAI_WORKERS": "4"}


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'houtai.db'}")
    upgrade(engine)
    return engine


@pytest.fixture
def var(tmp_path: Path) -> Path:
    var = tmp_path / "var"
    var.mkdir(mode=0o700)
    for name in ("secret_key", "keys.json"):
        (var / name).write_text("x")
        (var / name).chmod(0o600)
    return var


def codes(engine: Engine, var: Path, env: dict[str, str] | None = None, key: str | None = None,
          debug: bool = False) -> list[str]:
    deployment = Deployment(env=SOUND_ENV if env is None else env, var_dir=var,
                            secret_key=key or secrets.token_urlsafe(64), debug=debug, engine=engine)
    return [problem.code for problem in check_deployment(deployment)]


def test_a_sound_sqlite_deployment_has_no_problems(sqlite_engine: Engine, var: Path) -> None:
    assert codes(sqlite_engine, var) == []


@pytest.mark.parametrize("key", ["changeme", "x" * 80, "short-but-random-Zq8", "django-insecure-" + "ab12" * 12])
def test_weak_or_default_secret_keys_are_reported(sqlite_engine: Engine, var: Path, key: str) -> None:
    assert codes(sqlite_engine, var, key=key) == ["secret_key.weak"]


def test_debug_https_and_redis_problems(sqlite_engine: Engine, var: Path) -> None:
    assert codes(sqlite_engine, var, debug=True) == ["debug.on"]
    assert codes(sqlite_engine, var, {**SOUND_ENV, "FLASK_DEBUG": "1"}) == ["debug.on"]
    assert codes(sqlite_engine, var, {**SOUND_ENV, "HOUTAI_HTTPS": ""}) == ["https.off"]
    assert codes(sqlite_engine, var, {**SOUND_ENV, "REDIS_URL": ""}) == ["redis.missing"]
    assert codes(sqlite_engine, var, {**SOUND_ENV, "REDIS_URL": "", "HOUTAI_WORKERS": "1"}) == []


def test_key_files_readable_by_others_are_reported(sqlite_engine: Engine, var: Path) -> None:
    (var / "keys.json").chmod(0o644)
    var.chmod(0o755)

    assert codes(sqlite_engine, var) == ["key_file.readable", "var_dir.open"]


def test_sqlite_without_wal_and_an_old_schema_are_reported(var: Path, tmp_path: Path) -> None:
    in_memory = make_engine("sqlite://")  # journal_mode stays "memory": WAL cannot be enabled
    upgrade(in_memory)
    stale = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")

    assert codes(in_memory, var) == ["sqlite.not_wal"]
    assert "database.schema" in codes(stale, var)


def test_postgres_owner_that_may_rewrite_the_audit_trail_is_reported(engine: Engine, var: Path) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the privilege check applies to PostgreSQL only")
    assert codes(engine, var) == ["postgres.audit_writable"]  # the tests connect as the owner


def test_cli_exits_non_zero_and_explains(tmp_path: Path) -> None:
    env = {"HOUTAI_VAR": str(tmp_path / "cli-var"), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "SECRET_KEY": "changeme", **{k: None for k in SOUND_ENV}, "HOUTAI_WORKERS": "1"}
    upgrade(make_engine(str(env["DATABASE_URL"])))
    runner = CliRunner()

    bad = runner.invoke(cli, ["check-deploy"], env=env)
    good = runner.invoke(cli, ["check-deploy"], env={**env, **SOUND_ENV, "SECRET_KEY": secrets.token_urlsafe(64)})

    assert bad.exit_code == 1, bad.output
    assert "[secret_key.weak]" in bad.output and "Fix:" in bad.output and "[https.off]" in bad.output
    assert good.exit_code == 0, good.output
    assert "No deployment problems found." in good.output
    assert os.environ.get("SECRET_KEY") != "changeme"
