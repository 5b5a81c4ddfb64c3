"""Background jobs (imports, exports, scheduled checks): what the user sees while they run."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


@dataclass
class Job:
    """One piece of background work. `payload` is its input, `result` what it produced (ids, counts,
    a file to download); both are small JSON values, never secrets."""

    id: int | None
    kind: str
    owner_id: int | None
    status: JobStatus
    created_at: datetime
    updated_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    done: int = 0
    total: int | None = None
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def percent(self) -> int | None:
        return min(100, self.done * 100 // self.total) if self.total else None
