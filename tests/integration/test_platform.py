"""Cross-cutting behaviour: rate limits, language, the audit trail of signing in."""

import json
import secrets

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from tests.integration.test_auth_flow import PASSWORD, code_step, csrf, logout, password_step, set_up_admin
from web.app import create_app
from web.deps import Dependencies


def test_login_attempts_are_rate_limited_per_ip(deps: Dependencies) -> None:
    app = create_app(deps, {"SECRET_KEY": secrets.token_urlsafe(32), "LOGIN_RATE_LIMIT": "3 per minute",
                            "RATELIMIT_STORAGE_URI": "memory://"})
    client = app.test_client()
    token = csrf(client.get("/login").text)

    statuses = [client.post("/login", data={"csrf_token": token, "username": "x", "password": "y" * 12},
                            environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code for _ in range(4)]
    other_ip = client.post("/login", data={"csrf_token": token, "username": "x", "password": "y" * 12},
                           environ_base={"REMOTE_ADDR": "10.9.9.8"})

    assert statuses == [401, 401, 401, 429] and other_ip.status_code == 401


def test_language_follows_the_browser_and_the_switch(client: FlaskClient) -> None:
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    english = client.get("/login", headers={"Accept-Language": "en-US"})

    assert '<html lang="zh-CN">' in chinese.text and "登录" in chinese.text
    assert '<html lang="en">' in english.text and "Sign in" in english.text

    switched = client.post("/language", data={"csrf_token": csrf(english.text), "lang": "zh_CN", "next": "/login"},
                           headers={"Accept-Language": "en-US"})
    after = client.get("/login", headers={"Accept-Language": "en-US"})

    assert switched.status_code == 303 and "登录" in after.text


def test_unknown_language_is_refused(client: FlaskClient) -> None:
    page = client.get("/login")

    assert client.post("/language", data={"csrf_token": csrf(page.text), "lang": "xx"}).status_code == 400


def test_sign_in_events_are_audited_without_secrets(app: Flask, client: FlaskClient, deps: Dependencies,
                                                    engine: Engine) -> None:
    totp, codes = set_up_admin(client, deps)
    logout(client)
    password_step(client, password="wrong password here")
    password_step(client)
    code_step(client, "000000")
    code_step(client, codes[1])
    logout(client)

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT action, actor_id, ip, before, after FROM audit_events "
                                       "ORDER BY id")).all()
    actions = [row.action for row in rows]
    dump = json.dumps([[str(v) for v in row] for row in rows])

    assert actions == ["setup.link_issued", "user.created", "mfa.enrolled",
                       "login.succeeded", "logout", "login.failed", "login.password_accepted", "mfa.failed",
                       "mfa.verified", "login.succeeded", "logout"]
    assert all(row.ip == "127.0.0.1" for row in rows[1:])
    for secret in (PASSWORD, "wrong password here", totp.secret, codes[1], codes[1].replace("-", "")):
        assert secret not in dump


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_rate_limit_is_shared_by_workers_through_redis(deps: Dependencies) -> None:
    url = "redis://127.0.0.1:6379/0"
    if not _redis_answers(url):
        pytest.skip("Redis does not answer on 127.0.0.1:6379; the shared rate-limit test is skipped")
    config = {"LOGIN_RATE_LIMIT": "3 per minute", "RATELIMIT_STORAGE_URI": url,
              "RATELIMIT_KEY_PREFIX": "houtai-test-" + secrets.token_hex(4)}
    workers = [create_app(deps, config | {"SECRET_KEY": secrets.token_urlsafe(32)}).test_client() for _ in range(2)]

    statuses = []
    for attempt in range(4):
        client = workers[attempt % 2]
        token = csrf(client.get("/login").text)
        statuses.append(client.post("/login", data={"csrf_token": token, "username": "x", "password": "y" * 12},
                                    environ_base={"REMOTE_ADDR": "10.7.7.7"}).status_code)

    assert statuses == [401, 401, 401, 429]


def test_over_https_the_cookie_is_host_prefixed_and_secure_and_hsts_is_sent(deps: Dependencies) -> None:
    app = create_app(deps, {"SECRET_KEY": secrets.token_urlsafe(32), "HTTPS": True})
    client = app.test_client()

    plain = client.get("/login")
    secure = client.get("/login", base_url="https://houtai.example")

    assert plain.status_code == 302 and plain.location.startswith("https://")
    cookie = secure.headers["Set-Cookie"]
    assert cookie.startswith("__Host-houtai=") and "Secure" in cookie and "HttpOnly" in cookie
    assert "Domain" not in cookie and "Path=/" in cookie
    hsts = secure.headers["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000 and "includeSubDomains" in hsts
