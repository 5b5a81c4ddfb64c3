"""`houtai check-deploy`: configuration problems that make a production deployment unsafe.

Like Django's `check --deploy`, these are the low-hanging fruit, not a proof of security. Each
problem says what is wrong and what to do.
"""

import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from adapters.sqlalchemy.migrate import is_current

MIN_SECRET_LENGTH = 50
_KNOWN_DEFAULTS = {"changeme", "change-me", "secret", "secret-key", "your-secret-key", "dev", "development",
                   "houtai", "test", "password", "insecure", "please-change-me"}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    fix: str


@dataclass(frozen=True)
class Deployment:
    """What the checks look at: the environment, the var directory, the app's settings and its database."""

    env: Mapping[str, str]
    var_dir: Path
    secret_key: str
    debug: bool
    engine: Engine


def check_deployment(deployment: Deployment) -> list[Problem]:
    """Every problem found, in a stable order; an empty list means nothing to report."""
    problems: list[Problem] = []
    for check in (_secret_key, _debug, _https, _key_files, _database, _shared_state):
        problems.extend(check(deployment))
    return problems


def _secret_key(d: Deployment) -> list[Problem]:
    key = d.secret_key
    weak = (len(key) < MIN_SECRET_LENGTH or len(set(key)) < 10 or key.strip().lower() in _KNOWN_DEFAULTS
            or key.lower().startswith(("django-insecure", "dev-", "changeme")))
    if not weak:
        return []
    return [Problem("secret_key.weak", "SECRET_KEY is short, simple or a known default: CSRF tokens can be forged.",
                    f"Unset SECRET_KEY to use the generated var/secret_key, or set at least {MIN_SECRET_LENGTH} "
                    "random characters (python -c 'import secrets; print(secrets.token_urlsafe(64))').")]


def _debug(d: Deployment) -> list[Problem]:
    if not d.debug and d.env.get("FLASK_DEBUG", "") not in ("1", "true", "True"):
        return []
    return [Problem("debug.on", "Debug mode is on: tracebacks and an interactive console can reach users.",
                    "Unset FLASK_DEBUG and never run the app with --debug in production.")]


def _https(d: Deployment) -> list[Problem]:
    if d.env.get("HOUTAI_HTTPS") == "1":
        return []
    behind_proxy = int(d.env.get("HOUTAI_TRUSTED_PROXIES", "0") or "0") > 0
    message = ("A reverse proxy is configured but HOUTAI_HTTPS is not 1: the session cookie is sent without Secure "
               "and without the __Host- prefix, and no HSTS header is set." if behind_proxy else
               "HOUTAI_HTTPS is not 1: cookies are not Secure, no HSTS, and plain HTTP is not redirected.")
    return [Problem("https.off", message,
                    "Serve Houtai over HTTPS (directly or through a proxy) and set HOUTAI_HTTPS=1.")]


def _key_files(d: Deployment) -> list[Problem]:
    problems = []
    for name in ("secret_key", "keys.json"):
        path = d.var_dir / name
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            problems.append(Problem(
                "key_file.readable", f"{path} can be read by other users of this machine (mode "
                f"{stat.S_IMODE(path.stat().st_mode):o}).", f"chmod 600 {path} (and keep its owner the app's user)."))
    if d.var_dir.exists() and stat.S_IMODE(d.var_dir.stat().st_mode) & 0o007:
        problems.append(Problem("var_dir.open", f"{d.var_dir} is open to every user of this machine.",
                                f"chmod o-rwx {d.var_dir}"))
    return problems


def _database(d: Deployment) -> list[Problem]:
    problems = []
    try:
        current = is_current(d.engine)
    except Exception:  # any failure to reach the database is itself the finding
        return [Problem("database.unreachable", "The database does not answer.",
                        "Check DATABASE_URL and that the server runs; then run 'houtai migrate'.")]
    if not current:
        problems.append(Problem("database.schema", "The database schema is not current.", "Run 'houtai migrate'."))
    with d.engine.connect() as connection:
        if d.engine.dialect.name == "sqlite":
            problems.extend(_sqlite_durability(str(connection.execute(text("PRAGMA journal_mode")).scalar()),
                                               int(connection.execute(text("PRAGMA synchronous")).scalar() or 0)))
        else:
            problems.extend(_postgres_privileges(connection.execute(text(
                "SELECT has_table_privilege(current_user, 'audit_events', 'UPDATE') "
                "OR has_table_privilege(current_user, 'audit_events', 'DELETE')")).scalar()))
    return problems


def _sqlite_durability(journal_mode: str, synchronous: int) -> list[Problem]:
    if journal_mode.lower() == "wal" and synchronous >= 2:
        return []
    return [Problem("sqlite.not_wal", f"SQLite runs with journal_mode={journal_mode}, synchronous={synchronous}: "
                    "readers block writers and a crash can lose committed work.",
                    "Keep the database on a local disk (not a network share or tmpfs) so WAL mode can be enabled, "
                    "or use PostgreSQL (DATABASE_URL).")]


def _postgres_privileges(can_rewrite_audit: object) -> list[Problem]:
    if not can_rewrite_audit:
        return []
    return [Problem("postgres.audit_writable", "The database role the app uses may UPDATE or DELETE the audit trail.",
                    "Run the app as a least-privilege role: see README, 'PostgreSQL least-privilege role'.")]


def _shared_state(d: Deployment) -> list[Problem]:
    workers = int(d.env.get("HOUTAI_WORKERS") or d.env.get("WEB_CONCURRENCY") or "2")
    if workers <= 1 or d.env.get("REDIS_URL"):
        return []
    return [Problem("redis.missing", f"{workers} workers but no REDIS_URL: each worker rate-limits sign-in attempts "
                    "on its own, so the real limit is that many times higher.",
                    "Set REDIS_URL=redis://host:6379/0 (required once several workers or hosts serve Houtai).")]
