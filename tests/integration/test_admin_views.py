"""User and department administration through the views, on SQLite and PostgreSQL."""

import re
import time

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.customers.services import register_customer
from domain.identity.models import Actor
from tests.builders import customer_form
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

PASSWORD = "a perfectly long passphrase"
HX = {"HX-Request": "true"}


@pytest.fixture
def sales(engine: Engine) -> int:
    return add_department(engine, "Sales")


@pytest.fixture
def admin(uow: SqlUnitOfWork, sales: int) -> Actor:
    return add_user(uow, "admin", {"administrator"}, sales)


@pytest.fixture
def rep(uow: SqlUnitOfWork, sales: int) -> Actor:
    return add_user(uow, "rep", {"sales_rep"}, sales)


@pytest.fixture
def as_admin(client: FlaskClient, deps: Dependencies, admin: Actor) -> FlaskClient:
    sign_in_as(client, deps, admin)
    return client


def post(client: FlaskClient, path: str, data: dict[str, object] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_of(client, "/customers")} | (data or {}), **kwargs)


def scalar(engine: Engine, sql: str, **params: object) -> object:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars())


def user_row(engine: Engine, user_id: int) -> tuple[object, ...]:
    with engine.connect() as connection:
        row = connection.execute(text("SELECT display_name, department_id, is_active, password_hash, totp_confirmed, "
                                      "version FROM users WHERE id = :id"), {"id": user_id}).one()
        roles = connection.execute(text("SELECT role FROM user_roles WHERE user_id = :id ORDER BY role"),
                                   {"id": user_id}).scalars().all()
    return (*row, tuple(roles))


def issued_link(html: str) -> str:
    return re.search(r'id="issued-link" type="text" readonly value="[^"]*/activate/([^"]+)"', html).group(1)  # type: ignore[union-attr]


def create_user(client: FlaskClient, sales: int, username: str = "newbie", roles: tuple[str, ...] = ("sales_rep",)):  # type: ignore[no-untyped-def]
    return post(client, "/admin/users", {"username": username, "display_name": "New Person",
                                         "department_id": str(sales), "roles": list(roles)})


def activate(client: FlaskClient, token: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get(f"/activate/{token}")
    token_field = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    csrf = token_field.group(1) if token_field else ""
    return client.post(f"/activate/{token}", data={"csrf_token": csrf, "password": password,
                                                   "password_confirm": password})


def enrol(client: FlaskClient) -> pyotp.TOTP:
    page = client.get("/login/enroll")
    totp = pyotp.TOTP(re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1))  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert client.post("/login/enroll", data={"csrf_token": csrf, "code": totp.now()}).status_code == 200
    return totp


def sign_in(client: FlaskClient, username: str) -> int:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"csrf_token": csrf, "username": username, "password": PASSWORD})
    assert response.status_code == 303
    return response


class TestAccess:
    @pytest.mark.parametrize(("method", "path"), [
        ("GET", "/admin/users"), ("GET", "/admin/users/new"), ("GET", "/admin/users/{user}"),
        ("GET", "/admin/users/{user}/edit"), ("GET", "/admin/users/{user}/disable"),
        ("GET", "/admin/departments"), ("GET", "/admin/departments/{department}"),
        ("POST", "/admin/users"), ("POST", "/admin/users/{user}"), ("POST", "/admin/users/{user}/disable"),
        ("POST", "/admin/users/{user}/enable"), ("POST", "/admin/users/{user}/unlock"),
        ("POST", "/admin/users/{user}/reset-mfa"), ("POST", "/admin/users/{user}/reset-password"),
        ("POST", "/admin/users/{user}/activation-link"), ("POST", "/admin/departments"),
        ("POST", "/admin/departments/{department}/name"), ("POST", "/admin/departments/{department}/parent"),
        ("POST", "/admin/departments/{department}/manager"),
    ])
    def test_a_sales_rep_gets_403_nothing_changes_and_the_denial_is_audited(
            self, client: FlaskClient, deps: Dependencies, engine: Engine, rep: Actor, admin: Actor, sales: int,
            method: str, path: str) -> None:
        sign_in_as(client, deps, rep)
        url = path.format(user=admin.user_id, department=sales)
        before = user_row(engine, admin.user_id), scalar(engine, "SELECT count(*) FROM users")
        data = {"username": "sneaky", "display_name": "X", "department_id": str(sales), "roles": ["administrator"],
                "name": "X", "parent_id": "", "manager_id": str(rep.user_id), "version": "1"}

        response = client.get(url) if method == "GET" else post(client, url, data)

        assert response.status_code == 403
        assert (user_row(engine, admin.user_id), scalar(engine, "SELECT count(*) FROM users")) == before
        assert scalar(engine, "SELECT name FROM departments WHERE id = :id", id=sales) == "Sales"
        assert actions(engine)[-1] == "access.denied"

    def test_unknown_user_is_404_with_nothing_in_the_body_for_htmx(self, as_admin: FlaskClient) -> None:
        response = as_admin.get("/admin/users/999999", headers=HX)

        assert response.status_code == 404 and response.text == ""

    def test_navigation_shows_administration_only_to_administrators(
            self, client: FlaskClient, deps: Dependencies, admin: Actor, rep: Actor, app: Flask) -> None:
        sign_in_as(client, deps, rep)
        assert "/admin/users" not in client.get("/customers").text
        other = app.test_client()
        sign_in_as(other, deps, admin)
        assert 'href="/admin/users"' in other.get("/customers").text


class TestSegregationOfDuties:
    def test_an_administrator_cannot_disable_reset_mfa_or_change_roles_of_themselves(
            self, as_admin: FlaskClient, engine: Engine, admin: Actor, sales: int) -> None:
        before = user_row(engine, admin.user_id)

        disable = post(as_admin, f"/admin/users/{admin.user_id}/disable")
        mfa = post(as_admin, f"/admin/users/{admin.user_id}/reset-mfa")
        roles = post(as_admin, f"/admin/users/{admin.user_id}", {"display_name": "Admin", "version": "1",
                                                                 "department_id": str(sales),
                                                                 "roles": ["administrator", "auditor"]})

        assert (disable.status_code, mfa.status_code, roles.status_code) == (403, 403, 403)
        assert "another administrator" in disable.text
        assert user_row(engine, admin.user_id) == before
        assert actions(engine).count("access.denied") == 3

    def test_the_last_active_administrator_cannot_be_disabled_or_lose_the_role(
            self, client: FlaskClient, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork, admin: Actor,
            sales: int) -> None:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO roles (key, name, builtin, version) VALUES "
                                    "('user_admin', 'User admin', false, 1)"))
            connection.execute(text("INSERT INTO role_permissions (role, permission) VALUES "
                                    "('user_admin', 'user.manage'), ('user_admin', 'customer.read')"))
        manager = add_user(uow, "useradmin", {"user_admin"}, sales)
        sign_in_as(client, deps, manager)

        disable = post(client, f"/admin/users/{admin.user_id}/disable")
        demote = post(client, f"/admin/users/{admin.user_id}", {"display_name": "Admin", "version": "1",
                                                                "department_id": str(sales), "roles": ["auditor"]})

        assert disable.status_code == demote.status_code == 409
        assert "last active administrator" in disable.text
        assert user_row(engine, admin.user_id)[2] and user_row(engine, admin.user_id)[-1] == ("administrator",)


class TestSessions:
    def test_disabling_rejects_the_users_live_session_on_its_next_request(
            self, as_admin: FlaskClient, app: Flask, deps: Dependencies, engine: Engine, rep: Actor) -> None:
        browser = app.test_client()
        sign_in_as(browser, deps, rep)
        assert browser.get("/customers").status_code == 200

        response = post(as_admin, f"/admin/users/{rep.user_id}/disable")

        assert response.status_code == 303
        assert browser.get("/customers").status_code == 302
        assert browser.get("/customers", headers=HX | {"HX-Target": "customer-results"}).status_code == 401
        assert scalar(engine, "SELECT count(*) FROM auth_sessions WHERE user_id = :id", id=rep.user_id) == 0
        assert "user.disabled" in actions(engine)
        assert post(as_admin, f"/admin/users/{rep.user_id}/enable").status_code == 303
        assert user_row(engine, rep.user_id)[2]

    def test_role_change_needs_step_up_and_applies_on_the_next_request(
            self, client: FlaskClient, app: Flask, deps: Dependencies, engine: Engine, admin: Actor, rep: Actor,
            sales: int) -> None:
        browser = app.test_client()
        sign_in_as(browser, deps, rep)
        assert browser.get("/customers").status_code == 200
        sign_in_as(client, deps, admin, fresh=False)
        form = {"display_name": "Rep", "version": "1", "department_id": str(sales), "roles": ["employee"]}

        stale = post(client, f"/admin/users/{rep.user_id}", form)
        stale_htmx = post(client, f"/admin/users/{rep.user_id}", form, headers=HX | {"HX-Target": "user-form"})

        assert stale.status_code == 303 and stale.location.startswith("/account/reauth")
        assert stale_htmx.status_code == 401 and stale_htmx.headers["HX-Redirect"].startswith("/account/reauth")
        assert user_row(engine, rep.user_id)[-1] == ("sales_rep",)

        sign_in_as(client, deps, admin)
        assert post(client, f"/admin/users/{rep.user_id}", form).status_code == 303
        assert user_row(engine, rep.user_id)[-1] == ("employee",)
        assert browser.get("/customers").status_code == 403
        assert browser.get("/customers", headers=HX | {"HX-Target": "customer-results"}).status_code == 403

    def test_mass_assignment_is_ignored(self, as_admin: FlaskClient, engine: Engine, rep: Actor, sales: int) -> None:
        before = user_row(engine, rep.user_id)
        extra = {"is_active": "0", "password_hash": "x", "totp_confirmed": "0", "username": "root"}

        stale = post(as_admin, f"/admin/users/{rep.user_id}", {"display_name": "Rep", "version": "99",
                                                               "department_id": str(sales), "roles": ["sales_rep"]})
        saved = post(as_admin, f"/admin/users/{rep.user_id}", extra | {
            "display_name": "Rep Renamed", "version": "1", "department_id": str(sales), "roles": ["sales_rep"]})

        assert stale.status_code == 409 and "Someone else saved this user" in stale.text
        assert saved.status_code == 303
        after = user_row(engine, rep.user_id)
        assert after[0] == "Rep Renamed" and after[2:5] == before[2:5] and after[5] == 2
        assert scalar(engine, "SELECT username FROM users WHERE id = :id", id=rep.user_id) == "rep"


class TestLinks:
    def test_new_user_activates_once_enrols_and_signs_in(self, as_admin: FlaskClient, app: Flask, engine: Engine,
                                                          sales: int) -> None:
        created = create_user(as_admin, sales)
        token = issued_link(created.text)
        browser = app.test_client()

        assert created.status_code == 200 and len(token) >= 43 and "UTC" in created.text
        assert sign_in_attempt_fails(browser, "newbie")
        assert "newbie" in browser.get(f"/activate/{token}").text
        done = activate(browser, token)
        assert done.status_code == 303 and done.location.endswith("/login/enroll")
        enrol(browser)
        assert browser.get("/customers").status_code == 200
        assert app.test_client().get(f"/activate/{token}").status_code == 410
        stored = scalar(engine, "SELECT token_hash FROM user_tokens")
        assert stored != token and len(str(stored)) == 64
        assert token not in str(scalar(engine, "SELECT string_agg(CAST(after AS TEXT), '') FROM audit_events")
                                if engine.dialect.name == "postgresql" else
                                scalar(engine, "SELECT group_concat(\"after\") FROM audit_events"))
        assert {"user.created", "user.link_issued", "user.activated", "mfa.enrolled"} <= set(actions(engine))

    def test_a_second_link_voids_the_first_and_links_expire(self, as_admin: FlaskClient, app: Flask, engine: Engine,
                                                            sales: int) -> None:
        first = issued_link(create_user(as_admin, sales).text)
        user_id = scalar(engine, "SELECT id FROM users WHERE username = 'newbie'")
        second = issued_link(post(as_admin, f"/admin/users/{user_id}/activation-link").text)
        browser = app.test_client()

        assert browser.get(f"/activate/{first}").status_code == 410
        assert "ask your administrator" in browser.get(f"/activate/{first}").text.lower()
        assert browser.get(f"/activate/{second}").status_code == 200
        with engine.begin() as connection:
            connection.execute(text("UPDATE user_tokens SET expires_at = created_at"))
        assert activate(browser, second).status_code == 410
        assert user_row(engine, int(str(user_id)))[3] == "!"

    def test_password_reset_ends_sessions_and_still_needs_the_code(
            self, as_admin: FlaskClient, app: Flask, engine: Engine, sales: int) -> None:
        browser = app.test_client()
        activate(browser, issued_link(create_user(as_admin, sales).text))
        totp = enrol(browser)
        user_id = scalar(engine, "SELECT id FROM users WHERE username = 'newbie'")

        reset = post(as_admin, f"/admin/users/{user_id}/reset-password")

        assert reset.status_code == 200 and browser.get("/customers").status_code == 302
        assert sign_in_attempt_fails(browser, "newbie")
        done = activate(browser, issued_link(reset.text))
        assert done.status_code == 303 and done.location.endswith("/login/mfa")
        assert browser.get("/customers").status_code == 302
        page = browser.get("/login/mfa")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        code = totp.at(time.time() + 30)
        assert browser.post("/login/mfa", data={"csrf_token": csrf, "code": code}).status_code == 303
        assert browser.get("/customers").status_code == 200

    def test_mfa_reset_end_to_end(self, as_admin: FlaskClient, app: Flask, engine: Engine, sales: int) -> None:
        browser = app.test_client()
        activate(browser, issued_link(create_user(as_admin, sales).text))
        old = enrol(browser)
        user_id = scalar(engine, "SELECT id FROM users WHERE username = 'newbie'")
        assert "reset-mfa" in as_admin.get(f"/admin/users/{user_id}").text

        assert post(as_admin, f"/admin/users/{user_id}/reset-mfa").status_code == 303

        assert browser.get("/customers").status_code == 302
        assert scalar(engine, "SELECT count(*) FROM recovery_codes WHERE user_id = :id", id=user_id) == 0
        response = sign_in(browser, "newbie")
        assert response.location.endswith("/login/enroll")
        page = browser.get("/login/enroll")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        new = pyotp.TOTP(re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1))  # type: ignore[union-attr]
        assert new.secret != old.secret
        assert browser.post("/login/enroll", data={"csrf_token": csrf, "code": old.now()}).status_code == 422
        assert browser.post("/login/enroll", data={"csrf_token": csrf, "code": new.now()}).status_code == 200
        assert browser.get("/customers").status_code == 200
        assert "user.mfa_reset" in actions(engine)

    def test_unknown_token_and_weak_password(self, client: FlaskClient, as_admin: FlaskClient, sales: int,
                                             app: Flask) -> None:
        token = issued_link(create_user(as_admin, sales).text)
        browser = app.test_client()

        assert browser.get("/activate/nonsense").status_code == 410
        weak = activate(browser, token, password="short")
        assert weak.status_code == 422 and "12 characters" in weak.text
        assert browser.get(f"/activate/{token}").status_code == 200


def sign_in_attempt_fails(client: FlaskClient, username: str) -> bool:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return client.post("/login", data={"csrf_token": csrf, "username": username,
                                       "password": PASSWORD}).status_code == 401


class TestUserList:
    def test_search_filters_and_fragment(self, as_admin: FlaskClient, uow: SqlUnitOfWork, engine: Engine,
                                         sales: int, rep: Actor) -> None:
        other = add_department(engine, "Purchasing")
        add_user(uow, "buyer", {"buyer"}, other)

        by_text = as_admin.get("/admin/users?q=buy")
        by_department = as_admin.get(f"/admin/users?department={sales}", headers=HX | {"HX-Target": "user-results"})
        by_role = as_admin.get("/admin/users?role=sales_rep")

        assert "<td>buyer</td>" in by_text.text and "<td>rep</td>" not in by_text.text and "<html" in by_text.text
        assert by_department.text.lstrip().startswith('<section id="user-results"')
        assert "<td>rep</td>" in by_department.text and "<td>buyer</td>" not in by_department.text
        assert "<td>rep</td>" in by_role.text and "<td>buyer</td>" not in by_role.text

    def test_keyset_pages_by_name(self, as_admin: FlaskClient, uow: SqlUnitOfWork, sales: int) -> None:
        for number in range(55):
            add_user(uow, f"user{number:02d}", {"employee"}, sales)

        first = as_admin.get("/admin/users?q=user")
        after = re.search(r'rel="next" href="/admin/users\?([^"]+)"', first.text).group(1)  # type: ignore[union-attr]
        second = as_admin.get("/admin/users?" + after.replace("&amp;", "&"))

        assert "User00" in first.text and "User49" in first.text and "User50" not in first.text
        assert "User50" in second.text and "User54" in second.text and "User49" not in second.text
        assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


class TestDepartments:
    def test_create_rename_move_and_refuse_cycles(self, as_admin: FlaskClient, engine: Engine, sales: int) -> None:
        assert post(as_admin, "/admin/departments", {"name": "East", "parent_id": str(sales)}).status_code == 303
        east = int(str(scalar(engine, "SELECT id FROM departments WHERE name = 'East'")))
        post(as_admin, "/admin/departments", {"name": "Shanghai", "parent_id": str(east)})
        shanghai = int(str(scalar(engine, "SELECT id FROM departments WHERE name = 'Shanghai'")))
        top = int(str(scalar(engine, "SELECT id FROM departments WHERE name = 'Sales'")))

        cycle = post(as_admin, f"/admin/departments/{sales}/parent", {"parent_id": str(shanghai)})
        moved = post(as_admin, f"/admin/departments/{east}/parent", {"parent_id": ""})
        renamed = post(as_admin, f"/admin/departments/{east}/name", {"name": "华东"})

        assert cycle.status_code == 422 and "cannot move below itself" in cycle.text
        assert moved.status_code == renamed.status_code == 303
        assert scalar(engine, "SELECT path FROM departments WHERE id = :id", id=top) == f"/{top}/"
        assert scalar(engine, "SELECT path FROM departments WHERE id = :id", id=east) == f"/{east}/"
        assert scalar(engine, "SELECT path FROM departments WHERE id = :id", id=shanghai) == f"/{east}/{shanghai}/"
        tree = as_admin.get("/admin/departments").text
        assert tree.index("Sales") < tree.index("华东") and 'class="depth-1"' in tree
        assert {"department.created", "department.moved", "department.renamed"} <= set(actions(engine))

    def test_manager_is_chosen_from_the_department(self, as_admin: FlaskClient, engine: Engine, uow: SqlUnitOfWork,
                                                   sales: int, rep: Actor) -> None:
        outsider = add_user(uow, "outsider", {"employee"}, add_department(engine, "Elsewhere"))

        refused = post(as_admin, f"/admin/departments/{sales}/manager", {"manager_id": str(outsider.user_id)})
        accepted = post(as_admin, f"/admin/departments/{sales}/manager", {"manager_id": str(rep.user_id)})

        assert refused.status_code == 422 and accepted.status_code == 303
        assert scalar(engine, "SELECT manager_id FROM departments WHERE id = :id", id=sales) == rep.user_id

    def test_customer_scope_follows_the_tree_after_a_move(
            self, as_admin: FlaskClient, app: Flask, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork,
            sales: int) -> None:
        north = add_department(engine, "North")
        team = add_department(engine, "Team", north)
        boss = add_user(uow, "boss", {"sales_manager"}, sales)
        seller = add_user(uow, "seller", {"sales_rep"}, team)
        customer = register_customer(customer_form(owner_id=str(seller.user_id)), "t", actor=seller, uow=uow,
                                     clock=deps.clock)
        browser = app.test_client()
        sign_in_as(browser, deps, boss)
        assert browser.get(f"/customers/{customer.id}").status_code == 404

        assert post(as_admin, f"/admin/departments/{team}/parent", {"parent_id": str(sales)}).status_code == 303

        assert browser.get(f"/customers/{customer.id}").status_code == 200
