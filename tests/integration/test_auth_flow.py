"""Signing in through the real views: setup, TOTP enrolment, replay, lockout, logout, session rotation."""

import re
import time
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from domain.identity.login import issue_setup_token
from web.deps import Dependencies

PASSWORD = "correct horse battery staple"


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def set_up_admin(client: FlaskClient, deps: Dependencies) -> tuple[pyotp.TOTP, list[str]]:
    """First-administrator setup and TOTP enrolment through the pages; returns the TOTP and recovery codes."""
    token = issue_setup_token(uow=deps.uow(), clock=deps.clock)
    page = client.get(f"/setup/{token}")
    response = client.post(f"/setup/{token}", data={"csrf_token": csrf(page.text), "username": "admin",
                                                    "display_name": "管理员", "password": PASSWORD,
                                                    "password_confirm": PASSWORD})
    assert response.status_code == 303 and response.location.endswith("/login/enroll")
    enrol = client.get("/login/enroll")
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', enrol.text).group(1)  # type: ignore[union-attr]
    totp = pyotp.TOTP(secret)
    codes_page = client.post("/login/enroll", data={"csrf_token": csrf(enrol.text), "code": totp.now()})
    assert codes_page.status_code == 200 and "<svg" in enrol.text
    return totp, re.findall(r"<li><code>([a-z0-9-]+)</code></li>", codes_page.text)


def next_code(totp: pyotp.TOTP) -> str:
    """The next step's code: valid now (±1 step window) and never used before."""
    return totp.at(time.time() + 30)


def password_step(client: FlaskClient, password: str = PASSWORD, username: str = "admin") -> int:
    page = client.get("/login")
    return client.post("/login", data={"csrf_token": csrf(page.text), "username": username,
                                       "password": password}).status_code


def code_step(client: FlaskClient, code: str) -> int:
    page = client.get("/login/mfa")
    return client.post("/login/mfa", data={"csrf_token": csrf(page.text), "code": code}).status_code


def logout(client: FlaskClient) -> None:
    page = client.get("/customers")
    assert client.post("/logout", data={"csrf_token": csrf(page.text)}).status_code == 303


def test_setup_enrolment_then_full_access(client: FlaskClient, deps: Dependencies) -> None:
    _totp, codes = set_up_admin(client, deps)

    assert len(codes) == 10
    assert client.get("/customers").status_code == 200
    assert issue_setup_token(uow=deps.uow(), clock=deps.clock) is None


def test_logout_kills_every_copy_of_the_cookie(app: Flask, client: FlaskClient, deps: Dependencies) -> None:
    set_up_admin(client, deps)
    stolen = client.get_cookie("houtai")
    assert stolen is not None
    copy = app.test_client()
    copy.set_cookie("houtai", stolen.value)
    assert copy.get("/customers").status_code == 200

    logout(client)

    assert copy.get("/customers").status_code == 302
    assert copy.get("/customers", headers={"HX-Request": "true"}).status_code == 401


def test_login_rotates_the_session_and_csrf_token(client: FlaskClient, deps: Dependencies) -> None:
    totp, _codes = set_up_admin(client, deps)
    logout(client)
    login_page = client.get("/login")
    before_cookie, before_csrf = client.get_cookie("houtai"), csrf(login_page.text)
    assert before_cookie is not None

    client.post("/login", data={"csrf_token": before_csrf, "username": "admin", "password": PASSWORD})
    middle = client.get_cookie("houtai")
    assert code_step(client, next_code(totp)) == 303
    after = client.get_cookie("houtai")

    assert middle is not None and after is not None
    assert len({before_cookie.value, middle.value, after.value}) == 3
    assert csrf(client.get("/customers").text) != before_csrf


def test_password_only_session_reaches_nothing_behind_the_login(app: Flask, client: FlaskClient,
                                                                deps: Dependencies) -> None:
    set_up_admin(client, deps)
    logout(client)
    assert password_step(client) == 303

    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static",) or "GET" not in (rule.methods or set()) or rule.arguments - {"customer_id"}:
            continue
        path = rule.rule.replace("<int:customer_id>", "1")
        for headers in ({}, {"HX-Request": "true", "HX-Target": "customer-results"}):
            response = client.get(path, headers=headers)
            public = rule.endpoint.startswith(("system.", "auth."))
            assert public or response.status_code in (302, 401), (path, headers, response.status_code)


def test_unknown_user_and_wrong_password_get_the_same_answer(client: FlaskClient, deps: Dependencies) -> None:
    set_up_admin(client, deps)
    logout(client)
    page = client.get("/login")

    unknown = client.post("/login", data={"csrf_token": csrf(page.text), "username": "ghost", "password": "x" * 12})
    wrong = client.post("/login", data={"csrf_token": csrf(page.text), "username": "admin", "password": "x" * 12})

    assert unknown.status_code == wrong.status_code == 401
    def without_tokens(html: str) -> str:
        return re.sub(r'("csrf_token" value="|"X-CSRFToken": ")[^"]+', "", html.replace("ghost", "admin"))

    assert without_tokens(unknown.text) == without_tokens(wrong.text)


def test_replayed_code_is_refused_and_a_recovery_code_works_once(client: FlaskClient, deps: Dependencies) -> None:
    totp, codes = set_up_admin(client, deps)
    used_code = totp.now()  # accepted during enrolment (same step) or this step: either way already used
    logout(client)

    password_step(client)
    replay = code_step(client, used_code)
    recovery = code_step(client, codes[0])
    logout(client)
    password_step(client)
    again = code_step(client, codes[0])

    assert (replay, recovery, again) == (401, 303, 401)


def test_logout_is_post_only(client: FlaskClient, deps: Dependencies) -> None:
    set_up_admin(client, deps)

    assert client.get("/logout").status_code == 405
    assert client.get("/customers").status_code == 200


def test_login_without_csrf_token_is_rejected(client: FlaskClient, deps: Dependencies) -> None:
    set_up_admin(client, deps)
    logout(client)

    response = client.post("/login", data={"username": "admin", "password": PASSWORD})

    assert response.status_code == 400 and "Traceback" not in response.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_parameter_only_leads_inside_the_app(client: FlaskClient, deps: Dependencies, target: str) -> None:
    totp, _codes = set_up_admin(client, deps)
    logout(client)
    page = client.get("/login", query_string={"next": target})
    client.post("/login", data={"csrf_token": csrf(page.text), "username": "admin", "password": PASSWORD,
                                "next": target})

    response = client.post("/login/mfa", data={"csrf_token": csrf(client.get("/login/mfa").text),
                                               "code": next_code(totp)})

    assert response.status_code == 303 and response.location == "/"


def test_step_up_needs_password_and_a_new_code(client: FlaskClient, deps: Dependencies, engine: Engine) -> None:
    totp, _codes = set_up_admin(client, deps)
    with engine.begin() as connection:  # make the sign-in older than the step-up window
        connection.execute(text("UPDATE auth_sessions SET authenticated_at = :old"),
                           {"old": datetime.now(UTC) - timedelta(hours=1)})
    page = client.get("/account/reauth?next=/customers")
    token = csrf(page.text)
    cookie_before = client.get_cookie("houtai")

    wrong = client.post("/account/reauth", data={"csrf_token": token, "password": "wrong password!!",
                                                 "code": next_code(totp), "next": "/customers"})
    right = client.post("/account/reauth", data={"csrf_token": token, "password": PASSWORD,
                                                 "code": next_code(totp), "next": "/customers"})

    assert wrong.status_code == 401
    assert right.status_code == 303 and right.headers["Location"] == "/customers"
    cookie_after = client.get_cookie("houtai")
    assert cookie_before and cookie_after and cookie_after.value != cookie_before.value  # token rotated
    assert client.get("/customers").status_code == 200
    with engine.connect() as connection:
        proved = connection.execute(text("SELECT authenticated_at FROM auth_sessions WHERE stage = 'full'")).scalar()
        actions = connection.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars().all()
    assert "reauth.succeeded" in actions and "mfa.failed" in actions
    assert datetime.fromisoformat(str(proved)).replace(tzinfo=UTC) > datetime.now(UTC) - timedelta(minutes=1)
