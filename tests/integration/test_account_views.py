"""My account through the real views on SQLite and PostgreSQL: password change, recovery codes, sessions."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from domain.identity.session_control import public_session_id
from domain.identity.sessions import hash_token
from tests.integration.conftest import add_user, csrf_of, sign_in_as
from web.account.devices import device_name
from web.deps import Dependencies

OLD = "old correct horse battery"
PASSPHRASE_100 = "Der alte Leuchtturm am Deich blinkt grün, während 🐄 Kühe auf der Marsch wiederkäuen und träumen!!!!!"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def ada(uow: SqlUnitOfWork, deps: Dependencies) -> Actor:
    return add_user(uow, "ada", {"employee"}, password_hash=deps.hasher.hash(OLD))


def browser(app: Flask, deps: Dependencies, actor: Actor, fresh: bool = True) -> tuple[FlaskClient, str]:
    client = app.test_client()
    return client, hash_token(sign_in_as(client, deps, actor, fresh=fresh))


def password_accepted(app: Flask, password: str, username: str = "ada") -> bool:
    """The password step of a new sign-in: 303 to the code step when the password is right."""
    client = app.test_client()
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_of(client, "/login"), "username": username,
                                           "password": password})
    return page.status_code == 200 and response.status_code == 303


def post(client: FlaskClient, path: str, headers: dict[str, str] | None = None, **data: str) -> object:
    return client.post(path, data={"csrf_token": csrf_of(client, "/account"), **data}, headers=headers or {})


def change(client: FlaskClient, current: str, new: str, confirm: str | None = None, others: bool = True):  # type: ignore[no-untyped-def]
    fields = {"current_password": current, "new_password": new, "new_password_confirm": confirm or new}
    return post(client, "/account/password", **fields, **({"sign_out_others": "1"} if others else {}))


def session_rows(engine: Engine, user_id: int) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(text("SELECT token_hash FROM auth_sessions WHERE user_id = :u"),
                                      {"u": user_id}).scalars())


def actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars())


def test_home_sends_people_without_customer_access_to_their_account(app: Flask, deps: Dependencies, ada: Actor,
                                                                    uow: SqlUnitOfWork) -> None:
    client, _ = browser(app, deps, ada)
    rep_client, _ = browser(app, deps, add_user(uow, "rep", {"sales_rep"}))

    assert client.get("/").location == "/account" and rep_client.get("/").location == "/customers"
    page = client.get("/account")
    assert page.status_code == 200 and "ada" in page.text and "Employee" in page.text and "This device" in page.text
    assert 'id="my-account"' in page.text


@pytest.mark.parametrize(("agent", "name"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Safari/604.1", "Safari on iOS"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"),
    ("curl/8.5.0", "Unknown device")])
def test_device_names_come_from_the_user_agent(app: Flask, agent: str, name: str) -> None:
    with app.test_request_context():
        assert device_name(agent) == name


class TestChangePassword:
    def test_wrong_or_missing_current_password_is_refused_and_the_old_one_still_works(
            self, app: Flask, deps: Dependencies, ada: Actor, engine: Engine) -> None:
        client, _ = browser(app, deps, ada)

        wrong = change(client, "not my password", PASSPHRASE_100)
        missing = change(client, "", PASSPHRASE_100)

        assert wrong.status_code == missing.status_code == 422  # type: ignore[attr-defined]
        assert "This is not your current password" in wrong.text  # type: ignore[attr-defined]
        assert password_accepted(app, OLD) and not password_accepted(app, PASSPHRASE_100)
        assert actions(engine).count("password.change_refused") == 2

    @pytest.mark.parametrize("new", ["password1234", "Password123!", "houtai2024houtai", "ada2024!ada2024!",
                                     "short pass"])
    def test_weak_new_passwords_are_refused_with_what_to_do(self, app: Flask, deps: Dependencies, ada: Actor,
                                                            new: str) -> None:
        client, _ = browser(app, deps, ada)

        response = change(client, OLD, new)

        assert response.status_code == 422 and 'aria-invalid="true"' in response.text  # type: ignore[attr-defined]
        assert "unrelated words" in response.text  # type: ignore[attr-defined]
        assert password_accepted(app, OLD)

    def test_htmx_gets_the_form_fragment_back(self, app: Flask, deps: Dependencies, ada: Actor) -> None:
        client, _ = browser(app, deps, ada)

        response = post(client, "/account/password", HTMX | {"HX-Target": "password-form"}, current_password=OLD,
                        new_password=PASSPHRASE_100, new_password_confirm="something else")

        assert response.status_code == 422  # type: ignore[attr-defined]
        assert response.text.startswith("<form id=\"password-form\"")  # type: ignore[attr-defined]

    def test_change_ends_other_sessions_keeps_this_one_and_is_never_truncated(
            self, app: Flask, deps: Dependencies, ada: Actor, engine: Engine) -> None:
        client, here = browser(app, deps, ada)
        other, _ = browser(app, deps, ada)
        assert len(PASSPHRASE_100) == 100

        response = change(client, OLD, PASSPHRASE_100)

        assert response.status_code == 303 and client.get("/account").status_code == 200  # type: ignore[attr-defined]
        remaining = session_rows(engine, ada.user_id)
        assert other.get("/account").status_code == 302 and len(remaining) == 1
        assert here not in remaining  # this browser carries on, under a rotated token (ASVS 3.2.1)
        assert password_accepted(app, PASSPHRASE_100) and not password_accepted(app, PASSPHRASE_100[:99])
        assert not password_accepted(app, OLD)
        with engine.connect() as connection:
            row = connection.execute(text("SELECT action, after FROM audit_events WHERE action = 'password.changed'"))
            assert "1" in str(row.one().after)
            assert connection.execute(text("SELECT password_changed_at FROM users")).scalar() is not None

    def test_other_sessions_stay_when_unchecked(self, app: Flask, deps: Dependencies, ada: Actor) -> None:
        client, _ = browser(app, deps, ada)
        other, _ = browser(app, deps, ada)

        assert change(client, OLD, PASSPHRASE_100, others=False).status_code == 303  # type: ignore[attr-defined]
        assert other.get("/account").status_code == 200


class TestRecoveryCodes:
    def test_regeneration_needs_step_up(self, app: Flask, deps: Dependencies, ada: Actor, engine: Engine) -> None:
        client, _ = browser(app, deps, ada, fresh=False)

        response = post(client, "/account/recovery-codes", headers={"Referer": "http://localhost/account"})

        assert response.status_code == 303  # type: ignore[attr-defined]
        assert response.location.startswith("/account/reauth?next=/account")  # type: ignore[attr-defined]
        assert "mfa.recovery_codes_regenerated" not in actions(engine)

    def test_new_codes_work_once_and_the_old_ones_stop_working(self, app: Flask, deps: Dependencies,
                                                               ada: Actor) -> None:
        client, _ = browser(app, deps, ada)
        old = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", post(client, "/account/recovery-codes").text)  # type: ignore[attr-defined]

        page = post(client, "/account/recovery-codes")
        new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page.text)  # type: ignore[attr-defined]

        assert len(old) == len(new) == 10 and not set(old) & set(new)
        assert reauth(client, old[0]) == 401 and reauth(client, new[0]) == 303 and reauth(client, new[0]) == 401
        assert "<code>" not in client.get("/account").text and ">9<" in client.get("/account").text


def reauth(client: FlaskClient, code: str) -> int:
    return post(client, "/account/reauth", password=OLD, code=code, next="/account").status_code  # type: ignore[attr-defined]


class TestMySessions:
    def test_revoked_session_is_rejected_on_its_next_request(self, app: Flask, deps: Dependencies, ada: Actor,
                                                            engine: Engine) -> None:
        client, here = browser(app, deps, ada)
        other, there = browser(app, deps, ada)

        response = post(client, f"/account/sessions/{public_session_id(there)}/revoke")

        assert response.status_code == 303 and session_rows(engine, ada.user_id) == {here}  # type: ignore[attr-defined]
        assert other.get("/account").status_code == 302 and other.get("/account", headers=HTMX).status_code == 401
        assert "session.revoked" in actions(engine)

    def test_htmx_revoke_returns_the_refreshed_list(self, app: Flask, deps: Dependencies, ada: Actor) -> None:
        client, _ = browser(app, deps, ada)
        _other, there = browser(app, deps, ada)

        response = post(client, f"/account/sessions/{public_session_id(there)}/revoke",
                        HTMX | {"HX-Target": "my-sessions"})

        assert response.status_code == 200 and response.text.startswith('<div id="my-sessions">')  # type: ignore[attr-defined]
        assert public_session_id(there) not in response.text  # type: ignore[attr-defined]

    def test_someone_elses_session_is_not_found_and_kept(self, app: Flask, deps: Dependencies, ada: Actor,
                                                        uow: SqlUnitOfWork, engine: Engine) -> None:
        client, _ = browser(app, deps, ada)
        bob = add_user(uow, "bob", {"employee"})
        _bobs_browser, bobs = browser(app, deps, bob)

        response = post(client, f"/account/sessions/{public_session_id(bobs)}/revoke")

        assert response.status_code == 404 and "Bob" not in response.text  # type: ignore[attr-defined]
        assert session_rows(engine, bob.user_id) == {bobs}
        assert post(client, f"/account/sessions/{bobs}/revoke").status_code == 404  # type: ignore[attr-defined]

    def test_revoking_needs_step_up(self, app: Flask, deps: Dependencies, ada: Actor, engine: Engine) -> None:
        client, here = browser(app, deps, ada, fresh=False)
        _other, there = browser(app, deps, ada)

        response = post(client, f"/account/sessions/{public_session_id(there)}/revoke", HTMX)

        assert response.status_code == 401 and response.headers["HX-Redirect"].startswith("/account/reauth")  # type: ignore[attr-defined]
        assert session_rows(engine, ada.user_id) == {here, there}

    def test_sign_out_everywhere_else_then_everywhere(self, app: Flask, deps: Dependencies, ada: Actor,
                                                      engine: Engine) -> None:
        client, here = browser(app, deps, ada)
        other, _ = browser(app, deps, ada)

        assert post(client, "/account/sessions/revoke-others").status_code == 303  # type: ignore[attr-defined]
        assert session_rows(engine, ada.user_id) == {here} and other.get("/account").status_code == 302

        response = post(client, "/account/sessions/revoke-all")

        assert response.status_code == 303 and response.location == "/login"  # type: ignore[attr-defined]
        assert session_rows(engine, ada.user_id) == set() and client.get("/account").status_code == 302


class TestAdministratorSessions:
    def test_sales_rep_is_denied_and_the_denial_is_audited(self, app: Flask, deps: Dependencies, ada: Actor,
                                                          uow: SqlUnitOfWork, engine: Engine) -> None:
        rep, _ = browser(app, deps, add_user(uow, "rep", {"sales_rep"}))
        _ada_browser, adas = browser(app, deps, ada)

        page = rep.get(f"/admin/users/{ada.user_id}/sessions")
        end = rep.post(f"/admin/users/{ada.user_id}/sessions/end-all",
                       data={"csrf_token": csrf_of(rep, "/customers")})

        assert page.status_code == end.status_code == 403 and adas not in page.text
        assert session_rows(engine, ada.user_id) == {adas} and actions(engine).count("access.denied") == 2

    def test_administrator_sees_and_ends_another_users_sessions(self, app: Flask, deps: Dependencies, ada: Actor,
                                                               uow: SqlUnitOfWork, engine: Engine) -> None:
        admin, _ = browser(app, deps, add_user(uow, "root", {"administrator"}))
        first_browser, first = browser(app, deps, ada)
        second_browser, _second = browser(app, deps, ada)

        page = admin.get(f"/admin/users/{ada.user_id}/sessions")
        one = admin.post(f"/admin/users/{ada.user_id}/sessions/{public_session_id(first)}/end",
                         data={"csrf_token": csrf_of(admin, "/account")})
        assert first_browser.get("/account").status_code == 302 and second_browser.get("/account").status_code == 200
        everything = admin.post(f"/admin/users/{ada.user_id}/sessions/end-all",
                                data={"csrf_token": csrf_of(admin, "/account")}, headers=HTMX)

        assert page.status_code == 200 and public_session_id(first) in page.text and first not in page.text
        assert one.status_code == 303 and everything.status_code == 204
        assert second_browser.get("/account", headers=HTMX).status_code == 401
        assert session_rows(engine, ada.user_id) == set()
        with engine.connect() as connection:
            revoked = connection.execute(text("SELECT entity_id FROM audit_events WHERE action = 'session.revoked'"))
            assert list(revoked.scalars()) == [str(ada.user_id)] * 2

    def test_unknown_user_is_not_found(self, app: Flask, deps: Dependencies, uow: SqlUnitOfWork) -> None:
        admin, _ = browser(app, deps, add_user(uow, "root", {"administrator"}))

        assert admin.get("/admin/users/9999/sessions").status_code == 404
