"""The job queue on huey: SQLite storage beside the database by default, Redis when REDIS_URL is set."""

from collections.abc import Callable
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey


def make_huey(var_dir: Path, redis_url: str | None, immediate: bool = False) -> Huey:
    """The huey instance; `immediate` runs tasks at once in the caller (tests, e2e)."""
    if immediate:
        return Huey("houtai", immediate=True, results=False)
    if redis_url:
        return RedisHuey("houtai", url=redis_url, results=False)
    return SqliteHuey("houtai", filename=str(var_dir / "tasks.db"), results=False)


class HueyJobQueue:
    """Queues job ids; the task it runs is given by the composition root (it needs the app's adapters)."""

    def __init__(self, huey: Huey, run: Callable[[int], object]) -> None:
        self.huey = huey
        self._task = huey.task(retries=0, name="houtai.run_job")(run)

    def enqueue(self, job_id: int) -> None:
        self._task(job_id)
