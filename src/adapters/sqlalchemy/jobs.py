"""SQL repository of background jobs."""

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from adapters.sqlalchemy.tables import jobs
from domain.jobs.models import Job, JobStatus


class SqlJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, job: Job) -> int:
        return int(self._db.execute(insert(jobs).values(
            kind=job.kind, owner_id=job.owner_id, status=job.status.value, created_at=job.created_at,
            updated_at=job.updated_at, payload=job.payload, done=job.done, total=job.total, message=job.message,
            result=job.result).returning(jobs.c.id)).scalar_one())

    def get(self, job_id: int) -> Job | None:
        row = self._db.execute(select(jobs).where(jobs.c.id == job_id)).first()
        return _to_job(row) if row else None

    def set_status(self, job_id: int, status: JobStatus, at: datetime, message: str = "") -> None:
        self._db.execute(update(jobs).where(jobs.c.id == job_id).values(status=status.value, updated_at=at,
                                                                         message=message[:500]))

    def set_progress(self, job_id: int, done: int, total: int | None, at: datetime) -> None:
        self._db.execute(update(jobs).where(jobs.c.id == job_id).values(done=done, total=total, updated_at=at))

    def finish(self, job_id: int, status: JobStatus, result: dict[str, Any], message: str, at: datetime) -> None:
        self._db.execute(update(jobs).where(jobs.c.id == job_id).values(
            status=status.value, result=result, message=message[:500], updated_at=at))


def _to_job(row: Row[Any]) -> Job:
    return Job(row.id, row.kind, row.owner_id, JobStatus(row.status), row.created_at, row.updated_at,
               dict(row.payload or {}), row.done, row.total, row.message, dict(row.result or {}))
