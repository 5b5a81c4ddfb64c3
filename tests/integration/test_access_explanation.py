"""'Why can I see this?' and 'view as user' against the real scope clause, on SQLite and PostgreSQL."""

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import Engine, select

from adapters.sqlalchemy.tables import audit_events
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.administration.access_check import check_customer_access, explain_customer_access
from domain.administration.roles import create_role
from domain.customers.models import CustomerListQuery
from domain.customers.services import register_customer
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.identity.visibility import Basis
from tests.builders import customer_form
from tests.fakes import FakeClock
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies


@dataclass
class World:
    admin: Actor
    users: dict[str, Actor]
    customers: dict[str, int]


def add_customer(uow: SqlUnitOfWork, owner: Actor, name: str) -> int:
    customer = register_customer(customer_form(owner_id=str(owner.user_id), name=name, credit_code=""), "",
                                 actor=owner, uow=uow, clock=FakeClock())
    assert customer.id is not None
    return customer.id


@pytest.fixture
def world(engine: Engine, uow: SqlUnitOfWork) -> World:
    hq = add_department(engine, "HQ")
    east, west = add_department(engine, "East", hq), add_department(engine, "West")
    admin = add_user(uow, "admin", {"administrator"})
    fresh_admin = Actor(admin.user_id, "admin", "Admin", admin.roles, None, fresh=True)
    create_role("readers", "Readers", ["customer.read"], {}, actor=fresh_admin, uow=uow, clock=FakeClock())
    specs = {"rep_east": ({"sales_rep"}, east), "rep_west": ({"sales_rep"}, west), "boss_hq": ({"sales_manager"}, hq),
             "boss_west": ({"sales_manager"}, west), "boss_none": ({"sales_manager"}, None),
             "finance": ({"finance"}, None), "buyer": ({"buyer"}, east), "reader": ({"readers"}, east),
             "mixed": ({"sales_rep", "buyer"}, west)}
    users = {name: add_user(uow, name, roles, department) for name, (roles, department) in specs.items()}
    owners = {"east": "rep_east", "west": "rep_west", "hq": "boss_hq", "none": "boss_none", "mixed": "mixed"}
    customers = {name: add_customer(uow, users[owner], f"Customer {name}") for name, owner in owners.items()}
    return World(fresh_admin, users, customers)


def repository_sees(uow: SqlUnitOfWork, user_id: int, customer_id: int) -> tuple[bool, bool]:
    """(detail, list): does the repository return the customer to this user, by id and in the list?"""
    with uow:
        subject = uow.roles.actor_of(user_id)
        assert subject is not None
        if not subject.can(Permission.CUSTOMER_READ):
            return False, False
        listed = {row.id for row in uow.customers.search(CustomerListQuery(per_page=100), subject).items}
        return uow.customers.get(customer_id, subject) is not None, customer_id in listed


def test_the_explanation_says_visible_exactly_when_the_repository_returns_the_record(
        world: World, uow: SqlUnitOfWork) -> None:
    bases = set()
    for user in world.users.values():
        for customer_id in world.customers.values():
            answer = check_customer_access(user.user_id, customer_id, actor=world.admin, uow=uow, clock=FakeClock())
            assert answer.explanation is not None
            bases.add(answer.explanation.basis)

            detail, listed = repository_sees(uow, user.user_id, customer_id)

            assert answer.visible == detail == listed, (user.username, customer_id, answer.explanation.basis)
    assert bases == set(Basis)  # the grid reaches every rule, so every branch is held to the SQL


def test_own_panel_names_the_roles_and_the_department(world: World, uow: SqlUnitOfWork) -> None:
    with uow:
        boss = uow.roles.actor_of(world.users["boss_hq"].user_id)
        customer = uow.customers.get(world.customers["east"], world.admin)
    assert boss is not None and customer is not None

    why = explain_customer_access(customer, "Rep_East", actor=boss, uow=uow)

    assert why.basis is Basis.DEPARTMENT and why.facts.department_name == "East"
    assert [r.key for r in why.read_roles] == ["sales_manager"] == [r.key for r in why.scope_roles]


def test_a_deactivated_user_sees_nothing(world: World, uow: SqlUnitOfWork, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE users SET is_active = false WHERE username = 'finance'")

    answer = check_customer_access(world.users["finance"].user_id, world.customers["east"], actor=world.admin,
                                   uow=uow, clock=FakeClock())

    assert answer.explanation is None and not answer.visible


class TestViews:
    def test_detail_page_has_the_why_panel(self, world: World, app: Flask, deps: Dependencies) -> None:
        client = app.test_client()
        sign_in_as(client, deps, world.users["rep_east"])

        customer_id = world.customers["east"]
        page = client.get(f"/customers/{customer_id}")
        fragment = client.get(f"/customers/{customer_id}/access",
                              headers={"HX-Request": "true", "HX-Target": "why-reasons"})
        full = client.get(f"/customers/{customer_id}/access")

        assert f'hx-get="/customers/{customer_id}/access" hx-trigger="toggle once"' in page.text
        assert "You own this record" not in page.text  # worked out only when the panel opens
        assert fragment.text.startswith('<ul class="reasons" id="why-reasons">') and "<html" not in fragment.text
        assert "You own this record" in fragment.text and "“Sales rep”" in fragment.text
        assert "<html" in full.text and "You own this record" in full.text

    def test_view_as_answers_from_the_other_users_grants_and_is_audited(
            self, world: World, app: Flask, deps: Dependencies, engine: Engine) -> None:
        client = app.test_client()
        sign_in_as(client, deps, world.admin)
        rep = world.users["rep_east"]

        page = client.get("/admin/access-check")
        denied = client.post("/admin/access-check", data={"csrf_token": csrf_of(client, "/admin/access-check"),
                                                          "user_id": rep.user_id,
                                                          "customer_id": world.customers["west"]})
        allowed = client.post("/admin/access-check", headers={"HX-Request": "true", "HX-Target": "access-answer"},
                              data={"csrf_token": csrf_of(client, "/admin/access-check"), "user_id": rep.user_id,
                                    "customer_id": world.customers["east"]})

        assert page.status_code == 200 and '<label for="f-user">' in page.text
        assert "Rep_East cannot see customer Customer west" in denied.text
        assert "is not the owner; the owner is Rep_West" in denied.text
        assert allowed.text.startswith('<section id="access-answer"') and "Rep_East can see" in allowed.text
        assert "Rep_East owns it" in allowed.text
        with engine.connect() as connection:
            checks = connection.execute(select(audit_events.c.actor_id, audit_events.c.after).where(
                audit_events.c.action == "access.checked")).all()
        assert [(a, after["user_id"], after["visible"]) for a, after in checks] == [
            (world.admin.user_id, rep.user_id, False), (world.admin.user_id, rep.user_id, True)]

    def test_view_as_is_forbidden_without_role_or_user_management(
            self, world: World, app: Flask, deps: Dependencies) -> None:
        client = app.test_client()
        sign_in_as(client, deps, world.users["boss_hq"])

        response = client.post("/admin/access-check", data={"csrf_token": csrf_of(client),
                                                            "user_id": world.users["rep_east"].user_id,
                                                            "customer_id": world.customers["east"]})

        assert client.get("/admin/access-check").status_code == 403 and response.status_code == 403

    def test_view_as_asks_only_about_customers_in_the_askers_scope(
            self, world: World, app: Flask, deps: Dependencies, uow: SqlUnitOfWork) -> None:
        create_role("user_admins", "User admins", ["user.manage", "customer.read"], {"customer": "own"},
                    actor=world.admin, uow=uow, clock=FakeClock())
        client = app.test_client()
        sign_in_as(client, deps, add_user(uow, "hr", {"user_admins"}))

        response = client.post("/admin/access-check", data={"csrf_token": csrf_of(client, "/admin/access-check"),
                                                            "user_id": world.users["rep_east"].user_id,
                                                            "customer_id": world.customers["east"]})

        assert response.status_code == 404 and "Customer east" not in response.text
