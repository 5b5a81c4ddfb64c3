"""Background jobs through the real queue: huey on SQLite with a worker thread, and immediate mode in the app."""

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey.consumer import Consumer
from sqlalchemy import Engine

from adapters.job_queue import HueyJobQueue
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import build_dependencies
from domain.jobs import services
from domain.jobs.models import JobStatus
from domain.jobs.services import JobContext, job_for, start_job
from tests.integration.conftest import add_user, sign_in_as
from web.deps import Dependencies


@pytest.fixture(autouse=True)
def export_kind() -> Iterator[None]:
    def export(context: JobContext) -> dict[str, Any]:
        context.report(1, 2)
        context.report(2, 2)
        name = "客户 export.csv"
        return {"file_id": context.files.put("名称\n<script>\n".encode()), "filename": name,
                "content_type": "text/csv; charset=utf-8"}

    saved = dict(services.HANDLERS)
    services.register("test.export", export)
    yield
    services.HANDLERS.clear()
    services.HANDLERS.update(saved)


def test_a_worker_runs_jobs_queued_in_sqlite(engine: Engine, tmp_path: Path) -> None:
    deps = build_dependencies(engine, tmp_path)  # not immediate: huey stores the task in var/tasks.db
    owner = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"})
    job = start_job("test.export", {}, actor=owner, uow=deps.uow(), queue=deps.jobs, clock=deps.clock)
    assert (tmp_path / "tasks.db").exists()
    assert job_for(job.id or 0, actor=owner, uow=deps.reader()).status is JobStatus.QUEUED
    assert isinstance(deps.jobs, HueyJobQueue)

    consumer = Consumer(deps.jobs.huey, workers=1, worker_type="thread", initial_delay=0.05, max_delay=0.1)
    consumer.start()
    try:
        deadline = time.monotonic() + 10
        while job_for(job.id or 0, actor=owner, uow=deps.reader()).status is not JobStatus.DONE:
            assert time.monotonic() < deadline, "the worker did not finish the job"
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
    done = job_for(job.id or 0, actor=owner, uow=deps.reader())
    assert (done.done, done.total) == (2, 2)


def test_the_owner_watches_and_downloads_others_get_404(app: Flask, deps: Dependencies, engine: Engine) -> None:
    owner = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"})
    stranger = add_user(SqlUnitOfWork(engine), "bob", {"administrator"})
    job = start_job("test.export", {}, actor=owner, uow=deps.uow(), queue=deps.jobs, clock=deps.clock)
    mine, theirs = app.test_client(), app.test_client()
    sign_in_as(mine, deps, owner)
    sign_in_as(theirs, deps, stranger)

    fragment = mine.get(f"/jobs/{job.id}", headers={"HX-Request": "true", "HX-Target": f"job-{job.id}"})
    download = mine.get(f"/jobs/{job.id}/file")

    assert fragment.status_code == 200 and "<html" not in fragment.text and "hx-trigger" not in fragment.text
    assert f'href="/jobs/{job.id}/file"' in fragment.text
    assert download.data == "名称\n<script>\n".encode()
    assert download.headers["Content-Disposition"] == \
        "attachment; filename=\"___export.csv\"; filename*=UTF-8''%E5%AE%A2%E6%88%B7%20export.csv"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert theirs.get(f"/jobs/{job.id}").status_code == 404
    assert theirs.get(f"/jobs/{job.id}/file").status_code == 404
