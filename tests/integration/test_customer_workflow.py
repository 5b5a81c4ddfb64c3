"""Duplicate check, level, owner reassignment, the change timeline, my follow-ups and the overdue mark."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.builders import VALID_CODE, customer_form
from tests.integration.conftest import add_department, add_user, csrf_of
from tests.integration.test_sensitive_fields import PHONE, as_user, create
from web.deps import Dependencies

WARNING = {"HX-Request": "true", "HX-Target": "duplicate-warning"}


@pytest.fixture
def team(engine: Engine) -> int:
    return add_department(engine, "East")


@pytest.fixture
def rep(uow: SqlUnitOfWork, team: int) -> Actor:
    return add_user(uow, "rep", {"sales_rep"}, team)


@pytest.fixture
def boss(uow: SqlUnitOfWork, team: int) -> Actor:
    return add_user(uow, "boss", {"sales_manager"}, team)


def follow_up(client: FlaskClient, customer_id: int, due: str, content: str = "Send the quote") -> None:
    response = client.post(f"/customers/{customer_id}/follow-ups", data={
        "kind": "call", "content": content, "next_action_on": due, "csrf_token": csrf_of(client)})
    assert response.status_code == 303


class TestDuplicateCheck:
    def test_warns_with_the_reason_for_name_code_and_phone(
            self, client: FlaskClient, deps: Dependencies, rep: Actor) -> None:
        as_user(client, deps, rep)
        create(client, rep, credit_code=VALID_CODE)

        by_name = client.get("/customers/duplicates", query_string={"name": "华宏科技（上海）有限公司"},
                             headers=WARNING)
        by_code = client.get("/customers/duplicates", query_string={"credit_code": VALID_CODE.lower()},
                             headers=WARNING)
        by_phone = client.get("/customers/duplicates", query_string={"phone": "138 0013 8000"}, headers=WARNING)
        nothing = client.get("/customers/duplicates", query_string={"name": "Kestrel Logistics"}, headers=WARNING)

        assert "<html" not in by_name.text and "上海华宏科技有限公司" in by_name.text and "similar name" in by_name.text
        assert "same credit code" in by_code.text and "same phone" in by_phone.text
        assert "上海华宏" not in nothing.text and 'id="duplicate-warning"' in nothing.text

    def test_never_reveals_customers_outside_the_scope(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, team: int) -> None:
        other = add_user(uow, "other", {"sales_rep"}, team)
        as_user(client, deps, other)
        create(client, other, credit_code=VALID_CODE)
        as_user(client, deps, rep)

        answer = client.get("/customers/duplicates", query_string={"name": "华宏科技", "credit_code": VALID_CODE,
                                                                    "phone": PHONE}, headers=WARNING)

        assert answer.status_code == 200 and "华宏" not in answer.text and "may exist" not in answer.text

    def test_the_edited_customer_is_not_its_own_duplicate_and_the_form_asks(
            self, client: FlaskClient, deps: Dependencies, rep: Actor) -> None:
        customer_id = create(as_user(client, deps, rep), rep)

        own = client.get("/customers/duplicates", query_string={"name": "华宏科技", "exclude": customer_id},
                         headers=WARNING)
        form = client.get(f"/customers/{customer_id}/edit").text

        assert "华宏" not in own.text
        assert 'hx-get="/customers/duplicates"' in form and f'name="exclude" value="{customer_id}"' in form


class TestLevelOwnerTimeline:
    def test_stage_level_and_owner_changes_appear_on_the_timeline(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, boss: Actor) -> None:
        as_user(client, deps, boss)
        customer_id = create(client, boss, credit_code="")
        client.post(f"/customers/{customer_id}", data=customer_form(
            owner_id=str(boss.user_id), credit_code="", stage="prospect", level="A", phone="", email="") | {
            "version": "1", "csrf_token": csrf_of(client)})
        reassigned = client.post(f"/customers/{customer_id}/owner", data={
            "owner_id": str(rep.user_id), "version": "2", "csrf_token": csrf_of(client)})

        page = client.get(f"/customers/{customer_id}").text

        assert reassigned.status_code == 303
        assert "Stage: Lead → Prospect" in page and "Level: — → A (key account)" in page
        assert "Owner: Boss → Rep" in page

    def test_a_rep_cannot_reassign_and_nothing_changes(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, boss: Actor, engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)

        response = client.post(f"/customers/{customer_id}/owner", data={
            "owner_id": str(boss.user_id), "version": "1", "csrf_token": csrf_of(client)})

        assert response.status_code == 403
        with engine.connect() as connection:
            assert connection.execute(text("SELECT owner_id FROM customers")).scalar() == rep.user_id

    def test_reassigning_outside_the_department_is_a_422_with_the_reason(
            self, client: FlaskClient, deps: Dependencies, boss: Actor, uow: SqlUnitOfWork, engine: Engine) -> None:
        far = add_user(uow, "far", {"sales_rep"}, add_department(engine, "West"))
        customer_id = create(as_user(client, deps, boss), boss)

        response = client.post(f"/customers/{customer_id}/owner", data={
            "owner_id": str(far.user_id), "version": "1", "csrf_token": csrf_of(client)})

        assert response.status_code == 422 and "You may not assign customers to this person" in response.text


class TestMyFollowUps:
    def test_lists_my_due_and_overdue_actions_only_and_done_removes_them(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, team: int) -> None:
        other = add_user(uow, "other", {"sales_rep"}, team)
        theirs = create(as_user(client, deps, other), other, name="Their Customer Ltd", token="t")
        follow_up(client, theirs, "2020-01-01", "Their call")
        mine = create(as_user(client, deps, rep), rep)
        follow_up(client, mine, "2020-01-02", "Overdue call")
        follow_up(client, mine, "2099-01-01", "Future call")

        page = client.get("/follow-ups/mine").text
        item = page.split('<tr id="due-', 1)[1].split('"', 1)[0]
        done = client.post(f"/follow-ups/{item}/done", data={"csrf_token": csrf_of(client)},
                           headers={"HX-Request": "true", "HX-Target": f"due-{item}"})

        assert "Overdue call" in page and f'href="/customers/{mine}"' in page and 'class="overdue"' in page
        assert "Future call" not in page and "Their call" not in page and "Their Customer" not in page
        assert done.status_code == 200 and "Marked as done." in done.text
        assert "Overdue call" not in client.get("/follow-ups/mine").text

    def test_done_on_someone_elses_customer_out_of_scope_is_404(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, team: int,
            engine: Engine) -> None:
        other = add_user(uow, "other", {"sales_rep"}, team)
        theirs = create(as_user(client, deps, other), other, name="Their Customer Ltd", token="t")
        follow_up(client, theirs, "2020-01-01")
        with engine.connect() as connection:
            follow_up_id = connection.execute(text("SELECT id FROM follow_ups")).scalar_one()

        response = as_user(client, deps, rep).post(f"/follow-ups/{follow_up_id}/done",
                                                   data={"csrf_token": csrf_of(client)})

        assert response.status_code == 404 and "Their Customer" not in response.text
        with engine.connect() as connection:
            assert connection.execute(text("SELECT done_at FROM follow_ups")).scalar() is None


class TestOverdueMark:
    def test_the_list_marks_customers_with_an_overdue_next_action_until_it_is_done(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        late = create(as_user(client, deps, rep), rep, name="Late Ltd", token="l")
        create(client, rep, name="Fine Ltd", token="f")
        follow_up(client, late, "2020-01-01")

        rows = client.get("/customers").text.split("<tbody", 1)[1]
        with engine.connect() as connection:
            follow_up_id = connection.execute(text("SELECT id FROM follow_ups")).scalar_one()
        client.post(f"/follow-ups/{follow_up_id}/done", data={"csrf_token": csrf_of(client)})
        after = client.get("/customers").text.split("<tbody", 1)[1]

        overdue_row = rows.split('<tr class="overdue"', 1)[1].split("</tr>", 1)[0]
        mark = f'<a href="/customers/{late}" id="name-{late}">Late Ltd</a> <span class="badge overdue-mark"'
        assert mark in overdue_row
        assert rows.count('class="overdue"') == 1
        assert 'class="overdue"' not in after

    def test_the_list_query_keeps_its_plan(self, client: FlaskClient, deps: Dependencies, rep: Actor,
                                           engine: Engine) -> None:
        """The mark is a column of the listed row: no join, no subquery, the same index walk."""
        as_user(client, deps, rep)
        if engine.dialect.name != "sqlite":
            pytest.skip("the plan shape is checked on SQLite; PostgreSQL plans depend on its statistics")
        with engine.connect() as connection:
            plan = connection.execute(text(
                "EXPLAIN QUERY PLAN SELECT customers.id, customers.name, customers.next_action_on FROM customers "
                "JOIN users ON users.id = customers.owner_id WHERE customers.archived_at IS NULL "
                "ORDER BY customers.created_at DESC, customers.id DESC LIMIT 51")).all()

        details = " | ".join(str(row[-1]) for row in plan)
        assert "ix_customers_created" in details and "follow_ups" not in details and "TEMP B-TREE" not in details
