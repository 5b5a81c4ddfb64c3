"""Ports for background jobs and the files they read and write."""

from datetime import datetime
from typing import Any, Protocol

from domain.jobs.models import Job, JobStatus


class JobRepository(Protocol):
    """Job rows: the queue only carries the id, the row carries the state users see."""

    def add(self, job: Job) -> int: ...
    def get(self, job_id: int) -> Job | None: ...
    def set_status(self, job_id: int, status: JobStatus, at: datetime, message: str = "") -> None: ...
    def set_progress(self, job_id: int, done: int, total: int | None, at: datetime) -> None: ...
    def finish(self, job_id: int, status: JobStatus, result: dict[str, Any], message: str, at: datetime) -> None: ...


class JobQueue(Protocol):
    """Hands a job id to the background workers (huey: SQLite by default, Redis when configured)."""

    def enqueue(self, job_id: int) -> None: ...


class FileStore(Protocol):
    """Opaque blobs outside the web root, under random ids (uploads, exports, attachments)."""

    def put(self, data: bytes) -> str: ...
    def get(self, file_id: str) -> bytes:
        """The stored bytes; raises NotFound for an unknown id."""
        ...
    def delete(self, file_id: str) -> None: ...
