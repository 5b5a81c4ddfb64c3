#!/usr/bin/env python3
"""Fallback for a reused database whose bench credentials file is missing.

    PYTHONPATH=src .venv/bin/python bench/make_admin.py CREDS_FILE

`houtai setup-link` only works while no administrator exists. When the bench database already has
one but CREDS_FILE is gone, this creates (or resets) the administrator `bench.admin` directly
through the domain model and the SQL adapters, with a new random password and no TOTP enrolment.
houtai_login.py then signs in over HTTP and enrols TOTP like a new user. Uses HOUTAI_VAR /
DATABASE_URL exactly like the app (bootstrap.database_url).
"""

import json
import os
import secrets
import sys
from pathlib import Path

from adapters.clock import SystemClock
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import database_url
from domain.identity.models import User

USERNAME = "bench.admin"


def main(creds_file: Path) -> int:
    password = secrets.token_urlsafe(24)
    password_hash = Argon2PasswordHasher().hash(password)
    uow = SqlUnitOfWork(make_engine(database_url()))
    with uow:
        user = uow.users.get_by_username(USERNAME)
        if user is None:
            user = User(None, USERNAME, "Bench Admin", password_hash, frozenset({"administrator"}),
                        SystemClock().now())
            user.id = uow.users.add(user)
        else:
            user_id = user.id or 0
            uow.users.set_password(user_id, password_hash, SystemClock().now())
            uow.users.set_active(user_id, True)
            uow.users.clear_mfa(user_id)  # enrol again over HTTP
            uow.users.reset_login_failures(user_id)
            user.roles = frozenset({"administrator"})
            uow.users.update(user, user.version)
        uow.commit()
    fd = os.open(creds_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump({"username": USERNAME, "password": password, "totp_secret": None, "last_step": 0}, fh, indent=2)
    print(f"bench administrator {USERNAME!r} ready (id {user.id}); credentials in {creds_file}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
