"""Periodic work on the huey consumer, at a wall-clock time of the server (huey itself keeps time in UTC)."""

from collections.abc import Callable
from datetime import UTC, datetime

from huey import Huey, crontab


def at_server_time(huey: Huey, hour: int, minute: int = 0) -> Callable[[datetime], bool]:
    """A huey schedule test that is true once a day, at hour:minute of the server's local time."""
    rule = crontab(minute=str(minute), hour=str(hour))

    def due(moment: datetime) -> bool:
        local = moment.replace(tzinfo=UTC).astimezone() if huey.utc else moment
        return bool(rule(local.replace(tzinfo=None)))

    return due


def run_daily(huey: Huey, name: str, hour: int, work: Callable[[], object]) -> None:
    """Run `work` every day at `hour`:00 server time, in whichever consumer serves this huey instance."""
    huey.periodic_task(at_server_time(huey, hour), retries=0, name=name)(work)
