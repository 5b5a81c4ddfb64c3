"""Every route × every default role (plus anonymous and password-only) → the expected answer.

ACCESS names what each endpoint needs. A new route without an entry fails
`test_every_route_has_an_access_rule`, so nobody adds a page without deciding who may use it.
Record routes get a record the allowed roles can see (owned by the sales rep, in the sales
department), so "allowed" means a real answer, not a 404.
"""

import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.test import TestResponse

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import build_dependencies
from domain.audit.models import AuditEvent
from domain.identity.models import Actor, Stage
from domain.identity.permissions import DEFAULT_ROLES, Permission
from domain.imports.models import BatchStatus, ImportBatch
from domain.jobs.models import Job, JobStatus
from tests.integration.conftest import add_department, add_user, sign_in_as
from web.app import create_app
from web.deps import Dependencies

PUBLIC, SECOND_FACTOR, SIGNED_IN = "public", "second factor", "signed in"
Need = str | Permission | tuple[Permission, ...]

ACCESS: dict[tuple[str, str], Need] = {
    ("static", "GET"): PUBLIC,
    ("system.healthz", "GET"): PUBLIC,
    ("system.readyz", "GET"): PUBLIC,
    ("system.set_language", "POST"): PUBLIC,
    ("system.home", "GET"): PUBLIC,  # only a redirect; the page it leads to decides
    ("auth.setup", "GET"): PUBLIC,
    ("auth.setup", "POST"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.mfa", "GET"): SECOND_FACTOR,
    ("auth.mfa", "POST"): SECOND_FACTOR,
    ("auth.enroll", "GET"): SECOND_FACTOR,
    ("auth.enroll", "POST"): SECOND_FACTOR,
    ("auth.logout", "POST"): SIGNED_IN,
    ("account.reauth", "GET"): SIGNED_IN,
    ("account.reauth", "POST"): SIGNED_IN,
    ("account.index", "GET"): SIGNED_IN,
    ("account.change_password", "POST"): SIGNED_IN,
    ("account.regenerate_recovery_codes", "POST"): SIGNED_IN,
    ("account.revoke_session", "POST"): SIGNED_IN,
    ("account.revoke_other_sessions", "POST"): SIGNED_IN,
    ("account.revoke_all_sessions", "POST"): SIGNED_IN,
    ("user_sessions.index", "GET"): Permission.SESSION_MANAGE,
    ("user_sessions.end_one", "POST"): Permission.SESSION_MANAGE,
    ("user_sessions.end_all", "POST"): Permission.SESSION_MANAGE,
    ("audit.index", "GET"): Permission.AUDIT_READ,
    ("audit.detail", "GET"): Permission.AUDIT_READ,
    ("audit.export", "POST"): Permission.AUDIT_EXPORT,
    ("links.activate", "GET"): PUBLIC,
    ("links.activate", "POST"): PUBLIC,
    ("users.index", "GET"): Permission.USER_MANAGE,
    ("users.new", "GET"): Permission.USER_MANAGE,
    ("users.create", "POST"): Permission.USER_MANAGE,
    ("users.detail", "GET"): Permission.USER_MANAGE,
    ("users.edit", "GET"): Permission.USER_MANAGE,
    ("users.update", "POST"): Permission.USER_MANAGE,
    ("user_actions.confirm", "GET"): Permission.USER_MANAGE,
    ("user_actions.perform", "POST"): Permission.USER_MANAGE,
    ("user_actions.issue_link", "POST"): Permission.USER_MANAGE,
    ("departments.index", "GET"): Permission.DEPARTMENT_MANAGE,
    ("departments.create", "POST"): Permission.DEPARTMENT_MANAGE,
    ("departments.edit", "GET"): Permission.DEPARTMENT_MANAGE,
    ("departments.rename", "POST"): Permission.DEPARTMENT_MANAGE,
    ("departments.move", "POST"): Permission.DEPARTMENT_MANAGE,
    ("departments.manager", "POST"): Permission.DEPARTMENT_MANAGE,
    ("roles.index", "GET"): Permission.ROLE_MANAGE,
    ("roles.new", "GET"): Permission.ROLE_MANAGE,
    ("roles.create", "POST"): Permission.ROLE_MANAGE,
    ("roles.edit", "GET"): Permission.ROLE_MANAGE,
    ("roles.update", "POST"): Permission.ROLE_MANAGE,
    ("roles.delete", "POST"): Permission.ROLE_MANAGE,
    ("access_check.index", "GET"): (Permission.ROLE_MANAGE, Permission.USER_MANAGE),
    ("access_check.check", "POST"): (Permission.ROLE_MANAGE, Permission.USER_MANAGE),
    ("jobs.status", "GET"): SIGNED_IN,  # the job's owner only: 404 for everyone else
    ("jobs.download", "GET"): SIGNED_IN,
    ("customers.index", "GET"): Permission.CUSTOMER_READ,
    ("customers.new", "GET"): Permission.CUSTOMER_CREATE,
    ("customers.create", "POST"): Permission.CUSTOMER_CREATE,
    ("customers.detail", "GET"): Permission.CUSTOMER_READ,
    ("customers.edit", "GET"): Permission.CUSTOMER_READ,
    ("customers.update", "POST"): Permission.CUSTOMER_UPDATE,
    ("customers.archive", "POST"): Permission.CUSTOMER_ARCHIVE,
    ("customers.add_follow_up", "POST"): Permission.FOLLOWUP_CREATE,
    ("customers.reveal", "POST"): Permission.CUSTOMER_REVEAL,
    ("customers.access", "GET"): Permission.CUSTOMER_READ,
    ("imports.index", "GET"): Permission.CUSTOMER_IMPORT,
    ("imports.upload", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.batch", "GET"): Permission.CUSTOMER_IMPORT,  # the uploader or an all-customers user; 404 otherwise
    ("imports.check", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.commit", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.undo", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.error_file", "GET"): Permission.CUSTOMER_IMPORT,
}
PRINCIPALS = [*DEFAULT_ROLES, "anonymous", "password-only"]
SIGNS_OUT = {"auth.logout", "auth.mfa", "auth.enroll", "account.revoke_all_sessions"}  # login is the right answer


def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every route of a real app, read once at collection."""
    app = create_app(build_dependencies(make_engine("sqlite://"), Path(tempfile.mkdtemp())), {"SECRET_KEY": "x" * 64})
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in (rule.methods or set()) - {"HEAD", "OPTIONS"})


ROUTES = _routes()


def test_every_route_has_an_access_rule() -> None:
    routes = {(endpoint, method) for endpoint, method, _ in ROUTES}
    assert sorted(routes - ACCESS.keys()) == [], "new routes need an entry in ACCESS"
    assert sorted(ACCESS.keys() - routes) == [], "ACCESS lists routes that no longer exist"


@dataclass
class World:
    """One user per default role, all in the sales department, and a factory for each URL placeholder."""

    engine: Engine
    deps: Dependencies
    department: int
    users: dict[str, Actor]

    def customer_id(self) -> str:
        owner = self.users["sales_rep"]
        with self.engine.begin() as connection:
            new_id = connection.execute(text(
                "INSERT INTO customers (name, industry, region, stage, owner_id, department_id, created_at, "
                "updated_at, created_by, version) VALUES (:name, 'technology', 'shanghai', 'lead', :owner, :dept, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :owner, 1) RETURNING id"),
                {"name": "Matrix " + secrets.token_hex(4), "owner": owner.user_id, "dept": self.department}).scalar()
        return str(new_id)

    def user_id(self) -> str:
        name = "target-" + secrets.token_hex(3)
        return str(add_user(SqlUnitOfWork(self.engine), name, {"sales_rep"}, self.department).user_id)

    def department_id(self) -> str:
        return str(add_department(self.engine, "Dept " + secrets.token_hex(3), self.department))

    def token(self) -> str:
        return secrets.token_urlsafe(16)

    def event_id(self) -> str:
        with SqlUnitOfWork(self.engine) as uow:
            uow.audit.append(AuditEvent("matrix.probe", self.deps.clock.now()))
            uow.commit()
        with self.engine.connect() as connection:
            return str(connection.execute(text("SELECT max(id) FROM audit_events")).scalar())

    def key(self) -> str:
        """A custom role nobody holds (so deleting it is allowed)."""
        key = "matrix_" + secrets.token_hex(3)
        with self.engine.begin() as connection:
            connection.execute(text("INSERT INTO roles (key, name, builtin, version) VALUES (:k, :k, false, 1)"),
                               {"k": key})
        return key

    def job_id(self) -> str:
        with SqlUnitOfWork(self.engine) as uow:
            now = self.deps.clock.now()
            job_id = uow.jobs.add(Job(None, "matrix.probe", self.users["administrator"].user_id, JobStatus.DONE, now,
                                      now, result={"file_id": "nothing-here-" + "x" * 24, "filename": "x.csv"}))
            uow.commit()
        return str(job_id)

    def batch_id(self) -> str:
        """A checked import batch of the sales manager's (the administrator may act on it too)."""
        owner, missing = self.users["sales_manager"].user_id, "nothing-here-" + "x" * 24
        with SqlUnitOfWork(self.engine) as uow:
            batch_id = uow.imports.add(ImportBatch(None, owner, missing, "matrix.csv", "csv", ["名称"], ["name"],
                                                   self.deps.clock.now(), BatchStatus.CHECKED, error_file_id=missing))
            uow.commit()
        return str(batch_id)

    def public_id(self) -> str:
        return secrets.token_hex(16)

    def filename(self) -> str:
        return "css/app.css"


PLACEHOLDERS: dict[str, Callable[[World], str]] = {
    "customer_id": World.customer_id, "user_id": World.user_id, "token": World.token, "filename": World.filename,
    "public_id": World.public_id, "event_id": World.event_id, "key": World.key, "field": lambda _: "phone",
    "department_id": World.department_id, "job_id": World.job_id,
    "batch_id": World.batch_id,
}


@pytest.fixture
def world(engine: Engine, deps: Dependencies) -> World:
    sales = add_department(engine, "Sales")
    users = {role: add_user(SqlUnitOfWork(engine), role, {role}, sales) for role in DEFAULT_ROLES}
    return World(engine, deps, sales, users)


def _url(rule: str, world: World) -> str:
    """The rule with a fresh, real value for each placeholder."""
    def fill(match: re.Match[str]) -> str:
        converter, arguments, name = match.groups()
        if converter == "any":  # one of a fixed list: the first is as good as any
            return arguments.strip("()").split(",")[0].strip(" '\"")
        factory = PLACEHOLDERS.get(name)
        assert factory, f"add a factory for <{name}> in PLACEHOLDERS"
        return factory(world)

    return re.sub(r"<(?:(\w+)(\([^)]*\))?:)?(\w+)>", fill, rule)


def _client_for(principal: str, app: Flask, world: World) -> FlaskClient:
    client = app.test_client()
    if principal == "password-only":
        sign_in_as(client, world.deps, world.users["sales_rep"], Stage.PASSWORD)
    elif principal != "anonymous":
        sign_in_as(client, world.deps, world.users[principal])
    return client


def _csrf(client: FlaskClient, principal: str) -> str:
    page = client.get("/login" if principal in ("anonymous", "password-only") else "/account/reauth").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _allowed(need: Need, principal: str) -> bool:
    if need == PUBLIC:
        return True
    if principal in ("anonymous", "password-only"):
        return need == SECOND_FACTOR and principal == "password-only"
    if need == SIGNED_IN:
        return True
    if need == SECOND_FACTOR:
        return True  # a signed-in user is simply sent on; only strangers are turned away
    wanted = need if isinstance(need, tuple) else (need,)
    return any(p in DEFAULT_ROLES[principal].permissions for p in wanted if isinstance(p, Permission))


@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_route_answers_each_principal_as_expected(
    app: Flask, world: World, endpoint: str, method: str, rule: str, htmx: bool
) -> None:
    need = ACCESS[(endpoint, method)]
    for principal in PRINCIPALS:
        client = _client_for(principal, app, world)
        headers = {"HX-Request": "true", "HX-Target": "main"} if htmx else {}
        url = _url(rule, world)
        if method == "POST":
            response = client.post(url, data={"csrf_token": _csrf(client, principal)}, headers=headers)
        else:
            response = client.get(url, headers=headers)
        response.close()
        where = f"{method} {url} as {principal} ({'htmx' if htmx else 'page'})"
        assert response.status_code < 500, where
        if _allowed(need, principal):
            assert response.status_code != 403, where  # 401 alone is a wrong password, not a refusal
            assert not _sent_to_login(response) or endpoint in SIGNS_OUT, where
        elif principal in ("anonymous", "password-only"):
            assert _sent_to_login(response), where
        else:
            assert response.status_code == 403, where


def _sent_to_login(response: TestResponse) -> bool:
    target = response.headers.get("HX-Redirect") or response.headers.get("Location") or ""
    return response.status_code in (302, 303, 401) and target.split("?")[0].endswith("/login")
