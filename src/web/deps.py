"""The ports the web layer works with, wired by the composition root (bootstrap.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

from domain.identity.models import SessionPolicy
from domain.identity.ports import PasswordHasher, PasswordStrength, SecretCipher, Totp
from domain.jobs.ports import FileStore, JobQueue
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], UnitOfWork]  # write transactions (SQLite: BEGIN IMMEDIATE)
    reader: Callable[[], UnitOfWork]  # read-only transactions
    clock: Clock
    hasher: PasswordHasher
    cipher: SecretCipher
    totp: Totp
    database_ready: Callable[[], bool]
    strength: PasswordStrength  # common, breached and context-guessable passwords
    jobs: JobQueue  # background work (imports, exports); huey
    files: FileStore  # uploads, exports and attachments, outside the web root
    policy: SessionPolicy = field(default_factory=SessionPolicy)


def deps() -> Dependencies:
    dependencies: Dependencies = current_app.extensions["houtai"]
    return dependencies
