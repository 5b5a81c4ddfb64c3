#!/usr/bin/env python3
"""Import speed: a 100,000-row XLSX and CSV through upload, dry run, commit and undo, as the app runs them.

    PYTHONPATH=src .venv/bin/python bench/import_bench.py [ROWS] [--suppliers] [--no-postgres]

Generates realistic Chinese and English customers, or with --suppliers suppliers with bank accounts (the
demo seeder's name generators; about 1% of the rows deliberately bad), then calls the real services with
the immediate job queue (each job runs in the calling thread, as in tests) on a temporary SQLite database,
and on PostgreSQL when it answers on 127.0.0.1:5432 (database `houtai_bench_import`, recreated). Prints
rows/s per phase.
"""

import csv
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from openpyxl import Workbook
from sqlalchemy import Engine

from adapters.seed import _chinese_name, _english_name, credit_code as _credit_code
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from bootstrap import build_dependencies
from domain.identity.models import Actor, User
from domain.imports import services
from web.app import create_app
from web.imports.files import open_sheet, recognise
from web.imports.targets import CUSTOMER_IMPORT, SUPPLIER_IMPORT, WebTarget
from web.imports.views import job_options

HEADER = ["客户名称", "统一社会信用代码", "行业", "地区", "阶段", "负责人", "手机", "邮箱", "备注"]
INDUSTRIES = ("制造业", "科技", "Retail", "logistics", "建筑业", "金融")
REGIONS = ("上海", "北京", "Zhejiang", "guangdong", "欧洲", "North America")
STAGES = ("线索", "潜在客户", "Customer", "lead", "")
SUPPLIER_HEADER = ["供应商名称", "统一社会信用代码", "类别", "地区", "地址", "付款条件", "开户行", "银行账号", "备注"]
CATEGORIES = ("原材料", "Components and parts", "设备", "logistics", "服务", "IT", "")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "houtai_bench_import"


def rows(count: int, owners: list[str], seed: int = 42) -> list[list[str]]:
    rng, codes, out = random.Random(seed), set[str](), []
    for i in range(count):
        chinese = rng.random() < 0.6
        name = _chinese_name(rng) + f"{i}" if chinese else f"{_english_name(rng)} {i}"
        code = _credit_code(rng, codes) if chinese or rng.random() < 0.2 else ""
        email = f"info{i}@example.{'cn' if chinese else 'com'}" if i % 100 else "broken@"  # 1% bad rows
        out.append([name, code, rng.choice(INDUSTRIES), rng.choice(REGIONS), rng.choice(STAGES), rng.choice(owners),
                    f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}", email, "批量导入"])
    return out


def supplier_rows(count: int, seed: int = 42) -> list[list[str]]:
    rng, codes, out = random.Random(seed), set[str](), []
    for i in range(count):
        chinese = rng.random() < 0.7
        name = _chinese_name(rng) + f"{i}" if chinese else f"{_english_name(rng)} {i}"
        code = _credit_code(rng, codes) if chinese or rng.random() < 0.2 else ""
        account = f"62{rng.randint(0, 10**16):017d}" if i % 100 else "12ab"  # 1% bad rows
        out.append([name, code, rng.choice(CATEGORIES), rng.choice(REGIONS), f"工业路 {i} 号", "月结 30 天",
                    "中国工商银行", account, "批量导入"])
    return out


def as_xlsx(data: list[list[str]], header: list[str]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入")
    for row in [header, *data]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_csv(data: list[list[str]], header: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *data])
    return ("\ufeff" + out.getvalue()).encode()


def timed(step: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


def run(engine: Engine, label: str, files: dict[str, bytes], count: int, var: Path, target: WebTarget) -> None:
    upgrade(engine)
    deps = build_dependencies(engine, var, immediate_jobs=True)
    app = create_app(deps, {"SECRET_KEY": "bench" * 10})
    admin = _admin(deps)
    with app.test_request_context():
        options = job_options(target)
    for file_format, data in files.items():
        seconds, counts, status = _phases(deps, admin, options, file_format, data, target)
        upload, check, commit, undo = seconds
        print(f"{label:10} {file_format:4} {len(data) / 1e6:5.1f} MB | upload {upload:4.1f} s | dry run {check:6.1f} s"
              f" = {count / check:6,.0f} rows/s | commit {commit:6.1f} s = {count / commit:6,.0f} rows/s | undo "
              f"{undo:5.1f} s = {counts.get('created', 0) / undo:6,.0f} rows/s | created {counts.get('created')}, "
              f"skipped {counts.get('skipped')}, deleted {counts.get('deleted')}, {status}", flush=True)


def _phases(deps: Any, admin: Actor, options: dict[str, Any], file_format: str, data: bytes, target: WebTarget
            ) -> tuple[list[float], dict[str, int], str]:
    """Seconds of upload, dry run, commit and undo (each job runs inside its start call: immediate queue)."""
    seconds, started = [], time.perf_counter()
    name = f"bench.{file_format}"
    upload = services.Upload(data, name, recognise(data, name), open_sheet(data, file_format).header)
    batch = services.upload_batch(upload, target=target.domain, actor=admin, uow=deps.uow(), files=deps.files,
                                  clock=deps.clock)
    batch_id, jobs = batch.id or 0, {"target": target.domain, "actor": admin, "uow": deps.uow(), "queue": deps.jobs,
                                     "clock": deps.clock}
    steps: list[Callable[[], object]] = [
        lambda: services.start_check(batch_id, batch.mapping, "create", options, **jobs),
        lambda: services.start_commit(batch_id, options, **jobs),
        lambda: services.start_undo(batch_id, **jobs)]
    seconds.append(time.perf_counter() - started)
    for step in steps:
        seconds.append(timed(step)[1])
    done, _job = services.get_batch(batch_id, target=target.domain, actor=admin, uow=deps.reader())
    return seconds, done.counts, done.status.value


def _admin(deps: Any) -> Actor:
    with deps.uow() as uow:
        for n in range(10):
            uow.users.add(User(None, f"owner{n}", f"负责人{n}", "!", frozenset({"sales_rep"}), deps.clock.now()))
        admin_id = uow.users.add(User(None, "bench.admin", "Bench Admin", "!", frozenset({"administrator"}),
                                      deps.clock.now()))
        uow.commit()
    with deps.uow() as uow:
        actor: Actor | None = uow.roles.actor_of(admin_id)
    assert actor is not None
    return actor


def _postgres() -> Engine | None:
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=2) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            connection.execute(f"CREATE DATABASE {PG_DATABASE}")
    except psycopg.OperationalError:
        return None
    return make_engine(PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_DATABASE)


def main(count: int, postgres: bool, suppliers: bool) -> None:
    owners = [f"owner{n}" for n in range(10)]
    data, t_gen = timed(lambda: supplier_rows(count) if suppliers else rows(count, owners))
    header, target = (SUPPLIER_HEADER, SUPPLIER_IMPORT) if suppliers else (HEADER, CUSTOMER_IMPORT)
    files = {"xlsx": as_xlsx(data, header), "csv": as_csv(data, header)}
    print(f"{count:,} rows generated in {t_gen:.1f} s (XLSX {len(files['xlsx']) / 1e6:.1f} MB, "
          f"CSV {len(files['csv']) / 1e6:.1f} MB)", flush=True)
    with tempfile.TemporaryDirectory() as var:
        run(make_engine(f"sqlite:///{var}/bench.db"), "SQLite", files, count, Path(var), target)
    engine = _postgres() if postgres else None
    if engine is not None:
        with tempfile.TemporaryDirectory() as var:
            run(engine, "PostgreSQL", files, count, Path(var), target)
        engine.dispose()
    elif postgres:
        print("PostgreSQL does not answer on 127.0.0.1:5432; skipped.")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 100_000, "--no-postgres" not in sys.argv, "--suppliers" in sys.argv)
