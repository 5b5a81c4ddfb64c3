"""Merge and undo through the views on both databases: contacts, follow-ups, contracts and tags move and come back."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.integration.conftest import add_department, add_user, csrf_of
from tests.integration.test_customer_contacts import add_contact
from tests.integration.test_sensitive_fields import as_user, create
from web.deps import Dependencies


@pytest.fixture
def team(engine: Engine) -> int:
    return add_department(engine, "East")


@pytest.fixture
def boss(uow: SqlUnitOfWork, team: int) -> Actor:
    return add_user(uow, "boss", {"sales_manager"}, team)


@pytest.fixture
def pair(client: FlaskClient, deps: Dependencies, boss: Actor, engine: Engine) -> tuple[int, int]:
    """Two records of 华宏; the second has a contact, a follow-up, a contract and two tags (one shared)."""
    as_user(client, deps, boss)
    survivor = create(client, boss, name="上海华宏科技有限公司", token="s")
    absorbed = create(client, boss, name="华宏科技", token="a", phone="13700000000")
    add_contact(client, absorbed)
    client.post(f"/customers/{absorbed}/follow-ups", data={"kind": "call", "content": "Called", "next_action_on":
                                                           "2026-01-05", "csrf_token": csrf_of(client)})
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO contracts (number, title, customer_id, amount, currency, owner_id, payment_terms, notes, "
            "status, amendment, created_by, created_at, updated_at, version) VALUES ('HT-1', 'Supply', :c, 100.00, "
            "'CNY', :o, '', '', 'draft', 0, :o, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"),
            {"c": absorbed, "o": boss.user_id})
        connection.execute(text("INSERT INTO tags (id, name, name_key) VALUES (1, 'VIP', 'vip'), (2, '华东', '华东')"))
        connection.execute(text("INSERT INTO customer_tags (customer_id, tag_id) VALUES (:s, 1), (:a, 1), (:a, 2)"),
                           {"s": survivor, "a": absorbed})
    return survivor, absorbed


def owners(engine: Engine) -> dict[str, list[int]]:
    with engine.connect() as connection:
        def ids(sql: str) -> list[int]:
            return sorted(connection.execute(text(sql)).scalars())
        return {"contacts": ids("SELECT customer_id FROM contacts"),
                "follow_ups": ids("SELECT customer_id FROM follow_ups"),
                "contracts": ids("SELECT customer_id FROM contracts"),
                "tags": ids("SELECT customer_id * 10 + tag_id FROM customer_tags")}


def merge_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT max(id) FROM customer_merges")).scalar_one())


def archived(engine: Engine, customer_id: int) -> bool:
    with engine.connect() as connection:
        return connection.execute(text("SELECT archived_at FROM customers WHERE id = :i"),
                                  {"i": customer_id}).scalar() is not None


class TestRoundTrip:
    def test_merge_moves_everything_and_undo_moves_exactly_it_back(
            self, client: FlaskClient, pair: tuple[int, int], engine: Engine) -> None:
        survivor, absorbed = pair
        before = owners(engine)

        client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "version": "1",
                                                           "csrf_token": csrf_of(client)})
        after_merge = owners(engine)
        page = client.get(f"/customers/{survivor}").text
        undone = client.post(f"/customers/merges/{merge_id(engine)}/undo", data={"csrf_token": csrf_of(client)})

        assert after_merge == {"contacts": [survivor], "follow_ups": [survivor], "contracts": [survivor],
                               "tags": [survivor * 10 + 1, survivor * 10 + 2]}
        assert "王丽" in page and "Undo merge of “华宏科技”" in page and "Merged “华宏科技” into this customer." in page
        assert undone.status_code == 303
        assert owners(engine) == before
        assert not archived(engine, absorbed)

    def test_preview_names_what_moves_and_changes_nothing(
            self, client: FlaskClient, pair: tuple[int, int], engine: Engine) -> None:
        survivor, absorbed = pair
        before = owners(engine)

        choose = client.get(f"/customers/{survivor}/merge").text
        confirm = client.get(f"/customers/{survivor}/merge?absorb={absorbed}").text

        assert f'value="{absorbed}"' in choose and "华宏科技" in choose
        assert "Contacts: 1" in confirm and "Contracts: 1" in confirm and "Tags: 2" in confirm
        assert owners(engine) == before

    def test_merge_and_undo_are_audited_on_both_customers(
            self, client: FlaskClient, pair: tuple[int, int], engine: Engine) -> None:
        survivor, absorbed = pair
        client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "version": "1",
                                                           "csrf_token": csrf_of(client)})
        client.post(f"/customers/merges/{merge_id(engine)}/undo", data={"csrf_token": csrf_of(client)})

        with engine.connect() as connection:
            rows = connection.execute(text("SELECT action, entity_id FROM audit_events WHERE action LIKE "
                                           "'customer.merge%' ORDER BY seq")).all()

        assert [tuple(r) for r in rows] == [("customer.merged", str(survivor)),
                                            ("customer.merged_into", str(absorbed)),
                                            ("customer.merge_undone", str(survivor)),
                                            ("customer.merge_undone", str(absorbed))]

    def test_undo_twice_is_refused_with_a_message(
            self, client: FlaskClient, pair: tuple[int, int], engine: Engine) -> None:
        survivor, absorbed = pair
        client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "version": "1",
                                                           "csrf_token": csrf_of(client)})
        undo = f"/customers/merges/{merge_id(engine)}/undo"
        client.post(undo, data={"csrf_token": csrf_of(client)})
        before = owners(engine)

        again = client.post(undo, data={"csrf_token": csrf_of(client), "next": f"/customers/{survivor}"},
                            follow_redirects=True)

        assert "This merge was undone already" in again.text
        assert owners(engine) == before

    def test_undo_after_a_moved_contact_changed_is_refused(
            self, client: FlaskClient, pair: tuple[int, int], engine: Engine) -> None:
        survivor, absorbed = pair
        client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "version": "1",
                                                           "csrf_token": csrf_of(client)})
        with engine.connect() as connection:
            contact_id, version = connection.execute(text("SELECT id, version FROM contacts")).one()
        client.post(f"/customers/{survivor}/contacts/{contact_id}", data={
            "name": "王丽", "title": "新职位", "version": str(version), "csrf_token": csrf_of(client)})

        refused = client.post(f"/customers/merges/{merge_id(engine)}/undo", data={
            "csrf_token": csrf_of(client), "next": f"/customers/{survivor}"}, follow_redirects=True)

        assert "can no longer be undone" in refused.text
        assert archived(engine, absorbed) and owners(engine)["contacts"] == [survivor]


class TestForbidden:
    def test_a_rep_without_the_merge_permission_gets_403_and_nothing_moves(
            self, client: FlaskClient, deps: Dependencies, pair: tuple[int, int], uow: SqlUnitOfWork, team: int,
            engine: Engine) -> None:
        survivor, absorbed = pair
        before = owners(engine)
        rep = add_user(uow, "rep", {"sales_rep"}, team)
        as_user(client, deps, rep)

        response = client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "version": "1",
                                                                       "csrf_token": csrf_of(client)})

        assert response.status_code == 403
        assert owners(engine) == before and not archived(engine, absorbed)

    def test_a_manager_of_another_department_gets_404_with_nothing_of_the_records(
            self, client: FlaskClient, deps: Dependencies, pair: tuple[int, int], uow: SqlUnitOfWork,
            engine: Engine) -> None:
        survivor, absorbed = pair
        client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "version": "1",
                                                           "csrf_token": csrf_of(client)})
        far = add_user(uow, "far", {"sales_manager"}, add_department(engine, "West"))
        as_user(client, deps, far)
        token = csrf_of(client)
        before = owners(engine)

        answers = [client.get(f"/customers/{survivor}/merge?absorb={absorbed}"),
                   client.post(f"/customers/{survivor}/merge", data={"absorb": str(absorbed), "csrf_token": token}),
                   client.post(f"/customers/merges/{merge_id(engine)}/undo", data={"csrf_token": token})]

        assert [a.status_code for a in answers] == [404, 404, 404]
        assert not any("华宏" in a.text for a in answers)
        assert owners(engine) == before
