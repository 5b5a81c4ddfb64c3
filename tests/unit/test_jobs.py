"""Background jobs: a handler's result, refusal or crash ends up on the job row; a job runs once."""

from typing import Any

import pytest

from domain.identity.models import Actor
from domain.jobs import services
from domain.jobs.models import JobStatus
from domain.jobs.services import JobContext, job_for, run_job, start_job
from domain.shared.errors import DomainError, NotFound
from tests.fakes import FakeClock, FakeFileStore, FakeJobQueue, FakeUnitOfWork

OWNER = Actor(7, "ada", "Ada", frozenset({"sales_rep"}), None)


@pytest.fixture(autouse=True)
def handlers() -> Any:
    def count(context: JobContext) -> dict[str, Any]:
        for done in range(1, 4):
            context.report(done, 3)
        file_id = context.files.put(b"a,b\n")
        return {"file_id": file_id, "filename": "out.csv", "rows": 3, "for": context.actor.username if context.actor
                else None}

    def refuse(_context: JobContext) -> dict[str, Any]:
        raise DomainError("the file has no header row")

    def crash(_context: JobContext) -> dict[str, Any]:
        raise RuntimeError("secret detail that must not reach the user")

    saved = dict(services.HANDLERS)
    services.register("test.count", count)
    services.register("test.refuse", refuse)
    services.register("test.crash", crash)
    yield
    services.HANDLERS.clear()
    services.HANDLERS.update(saved)


def start(kind: str, uow: FakeUnitOfWork, queue: FakeJobQueue) -> int:
    job = start_job(kind, {"x": 1}, actor=OWNER, uow=uow, queue=queue, clock=FakeClock())
    assert job.id is not None and queue.queued == [job.id]
    return job.id


def run(job_id: int, uow: FakeUnitOfWork, files: FakeFileStore) -> JobStatus:
    return run_job(job_id, uow=lambda: uow, clock=FakeClock(), files=files, actor_of=lambda _: OWNER)


def test_a_job_reports_progress_and_stores_its_result() -> None:
    uow, queue, files = FakeUnitOfWork(), FakeJobQueue(), FakeFileStore()
    job_id = start("test.count", uow, queue)

    assert run(job_id, uow, files) is JobStatus.DONE
    job = job_for(job_id, actor=OWNER, uow=uow)
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result["rows"] == 3 and job.result["for"] == "ada"
    assert files.get(job.result["file_id"]) == b"a,b\n"


def test_a_refusal_is_shown_and_a_crash_is_not_explained() -> None:
    uow, queue, files = FakeUnitOfWork(), FakeJobQueue(), FakeFileStore()
    refused, crashed = start("test.refuse", uow, queue), 0
    queue.queued.clear()
    crashed = start("test.crash", uow, queue)

    assert run(refused, uow, files) is JobStatus.FAILED and run(crashed, uow, files) is JobStatus.FAILED
    assert job_for(refused, actor=OWNER, uow=uow).message == "the file has no header row"
    assert "secret" not in job_for(crashed, actor=OWNER, uow=uow).message


def test_a_finished_job_delivered_again_does_not_run_again() -> None:
    uow, queue, files = FakeUnitOfWork(), FakeJobQueue(), FakeFileStore()
    job_id = start("test.count", uow, queue)
    run(job_id, uow, files)

    assert run(job_id, uow, files) is JobStatus.DONE
    assert len(files.blobs) == 1


def test_only_the_owner_sees_a_job_and_unknown_kinds_are_refused() -> None:
    uow, queue = FakeUnitOfWork(), FakeJobQueue()
    job_id = start("test.count", uow, queue)
    stranger = Actor(8, "bob", "Bob", frozenset({"administrator"}), None)

    with pytest.raises(NotFound):
        job_for(job_id, actor=stranger, uow=uow)
    with pytest.raises(ValueError):
        start_job("no.such.kind", {}, actor=OWNER, uow=uow, queue=queue, clock=FakeClock())
