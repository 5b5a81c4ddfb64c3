"""Reading one record for a change: it must exist (NotFound) and be unchanged since the form was shown
(StaleVersion, optimistic locking)."""

from typing import Protocol, TypeVar

from domain.shared.errors import NotFound, StaleVersion


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


T = TypeVar("T")
V = TypeVar("V", bound=Versioned)


def found(record: T | None) -> T:
    """The record; NotFound when the repository found none (or none the actor may know of)."""
    if record is None:
        raise NotFound()
    return record


def at_version(record: V, expected_version: int) -> V:
    """The record, if nobody saved it since `expected_version`; StaleVersion (with the current one) otherwise."""
    if record.version != expected_version:
        raise StaleVersion(record.version)
    return record
