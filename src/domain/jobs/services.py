"""Starting, watching and running background jobs.

A feature registers a handler per job kind (`register`). `start_job` stores the job and queues its
id after the commit; a worker calls `run_job`, which marks it running, calls the handler with a
`JobContext`, and stores the result or a failure message (never a stack trace: that goes to the log).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.identity.models import Actor
from domain.jobs.models import Job, JobStatus
from domain.jobs.ports import FileStore, JobQueue
from domain.shared.errors import DomainError, NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

log = logging.getLogger("houtai.jobs")


@dataclass(frozen=True)
class JobContext:
    """What a handler may use: fresh units of work, the clock, the file store, and progress reporting."""

    job: Job
    uow: Callable[[], UnitOfWork]
    clock: Clock
    files: FileStore
    actor: Actor | None

    def report(self, done: int, total: int | None = None) -> None:
        """Store progress (its own short transaction, so the page polling it sees it at once)."""
        assert self.job.id is not None
        with self.uow() as uow:
            uow.jobs.set_progress(self.job.id, done, total, self.clock.now())
            uow.commit()


Handler = Callable[[JobContext], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Make `handler` run the jobs of `kind` (called once at import by the feature that owns the kind)."""
    HANDLERS[kind] = handler


def start_job(kind: str, payload: dict[str, Any], *, actor: Actor, uow: UnitOfWork, queue: JobQueue,
              clock: Clock) -> Job:
    """Store a job owned by the actor and queue it; the caller has checked the actor may start it."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    now = clock.now()
    job = Job(None, kind, actor.user_id, JobStatus.QUEUED, now, now, payload)
    with uow:
        job.id = uow.jobs.add(job)
        uow.commit()
    queue.enqueue(job.id)
    return job


def job_for(job_id: int, *, actor: Actor, uow: UnitOfWork) -> Job:
    """A job of the actor's own; anyone else's is NotFound."""
    with uow:
        job = uow.jobs.get(job_id)
    if job is None or job.owner_id != actor.user_id:
        raise NotFound()
    return job


def run_job(job_id: int, *, uow: Callable[[], UnitOfWork], clock: Clock, files: FileStore,
            actor_of: Callable[[int], Actor | None]) -> JobStatus:
    """Run a queued job once (a second delivery of a finished job does nothing); returns its final status."""
    with uow() as unit:
        job = unit.jobs.get(job_id)
        if job is None or job.status.finished:
            return job.status if job else JobStatus.FAILED
        unit.jobs.set_status(job_id, JobStatus.RUNNING, clock.now())
        unit.commit()
    context = JobContext(job, uow, clock, files, actor_of(job.owner_id) if job.owner_id else None)
    try:
        result = HANDLERS[job.kind](context)
    except DomainError as refusal:  # a business rule stopped it: the message is for the user
        return _finish(job_id, JobStatus.FAILED, {}, str(refusal), uow, clock)
    except Exception:  # any other failure: logged with its trace, the user gets a reference-free summary
        log.exception("job %s (%s) failed", job_id, job.kind)
        return _finish(job_id, JobStatus.FAILED, {}, "internal error", uow, clock)
    return _finish(job_id, JobStatus.DONE, result, "", uow, clock)


def _finish(job_id: int, status: JobStatus, result: dict[str, Any], message: str,
            uow: Callable[[], UnitOfWork], clock: Clock) -> JobStatus:
    with uow() as unit:
        unit.jobs.finish(job_id, status, result, message, clock.now())
        unit.commit()
    return status
