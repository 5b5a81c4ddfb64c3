"""The roles screens through the test client on SQLite and PostgreSQL: matrix, edits, locks, and that a
change of grants applies on the holder's very next request (read through the real session loader)."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, text

from adapters.sqlalchemy.tables import audit_events
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.customers.services import register_customer
from domain.identity.models import Actor
from domain.identity.permissions import DEFAULT_ROLES
from tests.builders import customer_form
from tests.fakes import FakeClock
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

BUYER_DEFAULTS = ({p.value for p in DEFAULT_ROLES["buyer"].permissions},
                  {e: s.value for e, s in DEFAULT_ROLES["buyer"].scopes.items()})


@pytest.fixture
def admin(uow: SqlUnitOfWork) -> Actor:
    return add_user(uow, "admin", {"administrator"})


@pytest.fixture
def admin_client(app: Flask, deps: Dependencies, admin: Actor) -> FlaskClient:
    client = app.test_client()
    sign_in_as(client, deps, admin)
    return client


def browser(app: Flask, deps: Dependencies, actor: Actor, fresh: bool = True) -> FlaskClient:
    client = app.test_client()
    sign_in_as(client, deps, actor, fresh=fresh)
    return client


def save(client: FlaskClient, key: str, permissions: list[str], scopes: dict[str, str], version: int = 1,
         **extra: str) -> object:
    data: dict[str, object] = {"csrf_token": csrf_of(client, "/customers"), "version": str(version),
                               "permissions": permissions} | {f"scope.{e}": s for e, s in scopes.items()} | extra
    return client.post(f"/admin/roles/{key}", data=data)


def new_role(client: FlaskClient, key: str, name: str, permissions: tuple[str, ...] = (), scope: str = "none") -> int:
    data = {"csrf_token": csrf_of(client, "/customers"), "key": key, "name": name, "permissions": list(permissions),
            "scope.customer": scope}
    return client.post("/admin/roles", data=data).status_code


def grants(engine: Engine, key: str) -> tuple[set[str], dict[str, str], int]:
    with engine.connect() as connection:
        permissions = connection.execute(text("SELECT permission FROM role_permissions WHERE role = :k"), {"k": key})
        scopes = connection.execute(text("SELECT entity, scope FROM role_scopes WHERE role = :k"), {"k": key})
        version = connection.execute(text("SELECT version FROM roles WHERE key = :k"), {"k": key}).scalar_one()
        return set(permissions.scalars()), dict(scopes.all()), version  # type: ignore[arg-type]


def actions(engine: Engine) -> list[tuple[str, str | None]]:
    with engine.connect() as connection:
        return [(a, e) for a, e in connection.execute(text("SELECT action, entity_id FROM audit_events ORDER BY id"))]


def add_customer(uow: SqlUnitOfWork, owner: Actor, name: str) -> int:
    customer = register_customer(customer_form(owner_id=str(owner.user_id), name=name, credit_code=""), "",
                                 actor=owner, uow=uow, clock=FakeClock())
    assert customer.id is not None
    return customer.id


class TestMatrix:
    def test_admin_sees_every_role_with_labelled_checkboxes_and_scopes(self, admin_client: FlaskClient) -> None:
        page = admin_client.get("/admin/roles")

        assert page.status_code == 200
        assert '<label for="m-sales_rep-customer-read" class="visually-hidden">Sales rep: View customers</label>' \
            in page.text
        assert 'id="m-sales_rep-customer-read" name="permissions" value="customer.read" form="role-sales_rep" checked' \
            in page.text
        assert 'id="m-sales_rep-customer-archive" name="permissions" value="customer.archive" form="role-sales_rep">' \
            in page.text
        assert 'name="scope.customer" form="role-sales_manager"' in page.text
        assert page.text.count('<form id="role-') == 8 and "Administration" in page.text

    def test_sales_manager_gets_403_and_the_denial_is_audited(self, app: Flask, deps: Dependencies,
                                                              uow: SqlUnitOfWork, engine: Engine) -> None:
        manager = browser(app, deps, add_user(uow, "boss", {"sales_manager"}))

        page = manager.get("/admin/roles")
        post = save(manager, "sales_manager", ["customer.read", "role.manage"], {"customer": "all"})

        assert page.status_code == 403 and post.status_code == 403  # type: ignore[attr-defined]
        assert grants(engine, "sales_manager")[2] == 1
        with engine.connect() as connection:
            denied = connection.execute(select(audit_events.c.after).where(audit_events.c.action == "access.denied"))
            assert [row.after["permission"] for row in denied] == ["role.manage", "role.manage"]

    def test_matrix_has_a_nav_link_only_for_role_managers(self, admin_client: FlaskClient, app: Flask,
                                                          deps: Dependencies, uow: SqlUnitOfWork) -> None:
        rep = browser(app, deps, add_user(uow, "rep", {"sales_rep"}))

        assert 'href="/admin/roles"' in admin_client.get("/customers").text
        assert 'href="/admin/roles"' not in rep.get("/customers").text


class TestEdit:
    def test_editing_a_role_asks_for_step_up_first(self, app: Flask, deps: Dependencies, admin: Actor,
                                                   engine: Engine) -> None:
        stale = browser(app, deps, admin, fresh=False)

        page = stale.get("/admin/roles/buyer")
        post = save(stale, "buyer", ["customer.read"], {"customer": "all"})

        assert page.status_code == 303 and "/account/reauth?next=/admin/roles/buyer" in page.headers["Location"]
        assert post.status_code == 303 and "/account/reauth" in post.headers["Location"]  # type: ignore[attr-defined]
        assert grants(engine, "buyer") == (*BUYER_DEFAULTS, 1)

    def test_save_replaces_the_column_and_audits_before_and_after(self, admin_client: FlaskClient,
                                                                  engine: Engine) -> None:
        response = save(admin_client, "buyer", ["customer.read", "followup.create"], {"customer": "own"})

        assert response.status_code == 303  # type: ignore[attr-defined]
        assert grants(engine, "buyer") == ({"customer.read", "followup.create"}, {"customer": "own"}, 2)
        with engine.connect() as connection:
            before, after = connection.execute(select(audit_events.c.before, audit_events.c.after).where(
                audit_events.c.action == "role.updated", audit_events.c.entity_id == "buyer")).one()
        assert before["permissions"] == sorted(BUYER_DEFAULTS[0])
        assert after["permissions"] == ["customer.read", "followup.create"]

    def test_edit_page_shows_the_role_form(self, admin_client: FlaskClient) -> None:
        page = admin_client.get("/admin/roles/sales_rep")

        assert page.status_code == 200 and 'name="version" value="1"' in page.text
        assert 'value="customer.read" checked' in page.text and 'id="f-name"' not in page.text  # builtin: fixed name

    def test_stale_version_gets_409_and_keeps_the_first_save(self, admin_client: FlaskClient, engine: Engine) -> None:
        first = save(admin_client, "finance", ["audit.read"], {"customer": "all"})
        second = save(admin_client, "finance", ["customer.read"], {"customer": "none"})

        assert first.status_code == 303 and second.status_code == 409  # type: ignore[attr-defined]
        assert "Someone else saved this role" in second.text  # type: ignore[attr-defined]
        assert grants(engine, "finance") == ({"audit.read"}, {"customer": "all"}, 2)

    @pytest.mark.parametrize(("permissions", "scopes"), [
        (["customer.read", "superuser"], {"customer": "all"}), (["customer.read"], {"supplier": "all"}),
        (["customer.read"], {"customer": "everything"}),
    ])
    def test_unknown_permissions_or_scopes_are_refused(self, admin_client: FlaskClient, engine: Engine,
                                                       permissions: list[str], scopes: dict[str, str]) -> None:
        response = save(admin_client, "employee", permissions, scopes)

        assert response.status_code == 422  # type: ignore[attr-defined]
        assert grants(engine, "employee") == ({"requisition.read", "requisition.create"}, {"requisition": "own"}, 1)

    @pytest.mark.parametrize("dropped", ["role.manage", "user.manage"])
    def test_administrator_role_cannot_drop_role_or_user_management(self, admin_client: FlaskClient,
                                                                    engine: Engine, dropped: str) -> None:
        kept, scopes, _ = grants(engine, "administrator")

        response = save(admin_client, "administrator", sorted(kept - {dropped}), scopes)

        assert response.status_code == 422 and "must keep" in response.text  # type: ignore[attr-defined]
        assert grants(engine, "administrator") == (kept, scopes, 1)

    def test_builtin_role_names_cannot_be_changed(self, admin_client: FlaskClient, engine: Engine) -> None:
        response = save(admin_client, "auditor", ["audit.read"], {}, name="Inspector")

        assert response.status_code == 422  # type: ignore[attr-defined]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT name FROM roles WHERE key = 'auditor'")).scalar_one() == "Auditor"


class TestCustomRoles:
    def test_create_rename_and_delete_a_custom_role(self, admin_client: FlaskClient, engine: Engine) -> None:
        created = new_role(admin_client, "key_accounts", "Key accounts", ("customer.read",), "department")
        renamed = save(admin_client, "key_accounts", ["customer.read"], {"customer": "all"}, name="Big accounts")
        deleted = admin_client.post("/admin/roles/key_accounts/delete",
                                    data={"csrf_token": csrf_of(admin_client, "/customers"), "version": "2"})

        assert (created, renamed.status_code, deleted.status_code) == (303, 303, 303)  # type: ignore[attr-defined]
        assert [a for a in actions(engine) if a[1] == "key_accounts"] == [
            ("role.created", "key_accounts"), ("role.updated", "key_accounts"), ("role.deleted", "key_accounts")]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM role_permissions WHERE role = 'key_accounts'")
                                      ).scalar_one() == 0

    def test_new_role_form_refuses_a_taken_key(self, admin_client: FlaskClient) -> None:
        response = admin_client.post("/admin/roles", data={"csrf_token": csrf_of(admin_client, "/customers"),
                                                           "key": "sales_rep", "name": "Twin"})

        assert response.status_code == 422 and "exists already" in response.text

    def test_builtin_role_cannot_be_deleted(self, admin_client: FlaskClient, engine: Engine) -> None:
        response = admin_client.post("/admin/roles/buyer/delete",
                                     data={"csrf_token": csrf_of(admin_client, "/customers"), "version": "1"})

        assert response.status_code == 409 and "cannot be deleted" in response.text
        assert grants(engine, "buyer")[2] == 1

    def test_custom_role_that_users_hold_cannot_be_deleted(self, admin_client: FlaskClient, uow: SqlUnitOfWork,
                                                           engine: Engine) -> None:
        new_role(admin_client, "temps", "Temps")
        add_user(uow, "temp", {"temps"})

        response = admin_client.post("/admin/roles/temps/delete",
                                     data={"csrf_token": csrf_of(admin_client, "/customers"), "version": "1"})

        assert response.status_code == 409 and "take it away from them first" in response.text
        assert grants(engine, "temps")[2] == 1


class TestNextRequest:
    def test_a_permission_removed_from_a_role_denies_the_holders_next_request(
            self, app: Flask, deps: Dependencies, uow: SqlUnitOfWork, admin_client: FlaskClient) -> None:
        rep = browser(app, deps, add_user(uow, "rep", {"sales_rep"}))
        assert rep.get("/customers").status_code == 200

        save(admin_client, "sales_rep", ["customer.create", "followup.create"], {"customer": "own"})

        assert rep.get("/customers").status_code == 403
        assert rep.get("/customers", headers={"HX-Request": "true", "HX-Target": "customer-results"}).status_code \
            == 403

    def test_read_all_on_a_custom_role_shows_customers_on_the_next_request(
            self, app: Flask, deps: Dependencies, uow: SqlUnitOfWork, admin_client: FlaskClient) -> None:
        new_role(admin_client, "viewers", "Viewers")
        add_customer(uow, add_user(uow, "rep", {"sales_rep"}), "Far Away Trading")
        viewer = browser(app, deps, add_user(uow, "viewer", {"viewers"}))
        assert viewer.get("/customers").status_code == 403

        save(admin_client, "viewers", ["customer.read"], {"customer": "all"}, name="Viewers")

        page = viewer.get("/customers")
        assert page.status_code == 200 and "Far Away Trading" in page.text

    def test_scope_widened_from_own_to_department_widens_the_list(
            self, app: Flask, deps: Dependencies, uow: SqlUnitOfWork, engine: Engine,
            admin_client: FlaskClient) -> None:
        east = add_department(engine, "East")
        assert new_role(admin_client, "team_readers", "Team readers", ("customer.read",), "own") == 303
        add_customer(uow, add_user(uow, "colleague", {"sales_rep"}, east), "Colleague Holdings")
        reader = browser(app, deps, add_user(uow, "reader", {"team_readers"}, east))
        assert "Colleague Holdings" not in reader.get("/customers").text

        save(admin_client, "team_readers", ["customer.read"], {"customer": "department"}, name="Team readers")

        assert "Colleague Holdings" in reader.get("/customers").text


def test_matrix_is_read_only_until_the_administrator_confirms(
        client: FlaskClient, deps: Dependencies, uow: SqlUnitOfWork) -> None:
    admin = add_user(uow, "boss", {"administrator"})
    sign_in_as(client, deps, admin, fresh=False)

    stale = client.get("/admin/roles").text
    sign_in_as(client, deps, admin)
    fresh = client.get("/admin/roles").text

    assert 'value="customer.read" form="role-sales_rep" checked disabled' in stale and "/account/reauth" in stale
    assert 'value="customer.read" form="role-sales_rep" checked>' in fresh and 'type="submit" form="role-' in fresh
    assert 'type="submit" form="role-' not in stale
