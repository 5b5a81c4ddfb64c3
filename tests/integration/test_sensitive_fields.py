"""Sensitive customer fields end to end: nothing clear at rest, blind-index search, masks, audited reveal."""

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.builders import customer_form
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

PHONE, EMAIL = "13800138000", "canary.7f3a@example.cn"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def team(engine: Engine) -> int:
    return add_department(engine, "East")


@pytest.fixture
def rep(uow: SqlUnitOfWork, team: int) -> Actor:
    return add_user(uow, "rep", {"sales_rep"}, team)


def create(client: FlaskClient, owner: Actor, name: str = "上海华宏科技有限公司", token: str = "f1",
           **fields: str) -> int:
    data = customer_form(owner_id=str(owner.user_id), name=name, credit_code="", phone=PHONE, email=EMAIL) | fields
    response = client.post("/customers", data=data | {"form_token": token, "csrf_token": csrf_of(client)})
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def as_user(client: FlaskClient, deps: Dependencies, actor: Actor, fresh: bool = True) -> FlaskClient:
    client.delete_cookie("houtai")
    sign_in_as(client, deps, actor, fresh=fresh)
    return client


def stored_bytes(engine: Engine) -> bytes:
    """Everything the database holds: the SQLite file and its WAL, or every PostgreSQL row as text."""
    if engine.dialect.name == "sqlite":
        path = Path(str(engine.url.database))
        return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    with engine.connect() as connection:
        tables = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
        return "".join(str(connection.execute(text(f'SELECT "{t}"::text FROM "{t}"')).scalars().all())
                       for t in list(tables)).encode()


def audit_rows(engine: Engine, action: str) -> list[tuple[str | None, object]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT entity_id, after FROM audit_events WHERE action = :a ORDER BY seq"),
                                  {"a": action}).all()
    return [(entity, json.loads(after) if isinstance(after, str) else after) for entity, after in rows]


class TestAtRest:
    def test_canary_values_saved_through_the_views_are_nowhere_in_the_database(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        client.post(f"/customers/{customer_id}", data=customer_form(owner_id=str(rep.user_id), credit_code="",
                    phone="+86 138 0013 8000", email="") | {"version": "1", "csrf_token": csrf_of(client)})

        raw = stored_bytes(engine)

        assert PHONE.encode() not in raw and b"138 0013 8000" not in raw and EMAIL.encode() not in raw
        # The local part alone; not just "canary": company names are not sensitive, and their lower-case name
        # key (test_idor's "Canary Holdings") may be left in the file's free pages.
        assert b"canary.7f3a" not in raw

    def test_the_same_value_twice_gives_different_ciphertexts_but_one_index(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        as_user(client, deps, rep)
        create(client, rep, name="First Ltd", token="a")
        create(client, rep, name="Second Ltd", token="b", phone="138-0013-8000")

        with engine.connect() as connection:
            rows = connection.execute(text("SELECT phone_enc, phone_index, email_enc, email_index "
                                           "FROM customers")).all()

        assert rows[0].phone_enc != rows[1].phone_enc and rows[0].email_enc != rows[1].email_enc
        assert rows[0].phone_index == rows[1].phone_index and rows[0].email_index == rows[1].email_index
        assert bytes(rows[0].phone_enc).startswith(b"k1:")


class TestLookup:
    @pytest.mark.parametrize("term", [PHONE, "138 0013 8000", "+86 13800138000", "0086-138-0013-8000",
                                      EMAIL.upper(), f" {EMAIL} "])
    def test_a_whole_phone_number_or_address_finds_the_customer(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, term: str) -> None:
        as_user(client, deps, rep)
        create(client, rep)
        create(client, rep, name="Unrelated GmbH", token="u", phone="13900000000", email="x@example.com")

        page = client.get("/customers", query_string={"q": term}, headers={"HX-Request": "true",
                                                                          "HX-Target": "customer-results"})

        rows = page.text.split("<tbody", 1)[1].split("</tbody>", 1)[0]
        assert "上海华宏科技有限公司" in rows and "Unrelated GmbH" not in rows
        assert PHONE not in rows and EMAIL not in rows.lower()  # the term itself stays in the links

    def test_only_within_the_record_scope(self, client: FlaskClient, deps: Dependencies, rep: Actor,
                                          uow: SqlUnitOfWork, team: int) -> None:
        other = add_user(uow, "other", {"sales_rep"}, team)
        admin = add_user(uow, "admin", {"administrator"})
        as_user(client, deps, other)
        create(client, other)

        assert "上海华宏" not in as_user(client, deps, rep).get(f"/customers?q={PHONE}").text
        assert "上海华宏" in as_user(client, deps, admin).get(f"/customers?q={PHONE}").text

    def test_the_search_query_uses_the_index_and_never_reads_the_ciphertexts(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        as_user(client, deps, rep)
        create(client, rep)
        statements: list[str] = []

        def capture(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", capture)
        try:
            for term in (PHONE, EMAIL):
                assert "上海华宏" in client.get("/customers", query_string={"q": term}).text
        finally:
            event.remove(engine, "before_cursor_execute", capture)

        searches = [s for s in statements if "phone_index" in s or "email_index" in s]
        assert len(searches) == 2
        assert not any("phone_enc" in s or "email_enc" in s for s in statements)


class TestMasks:
    def test_detail_list_and_partials_show_only_masks(self, client: FlaskClient, deps: Dependencies,
                                                      rep: Actor) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)

        pages = [client.get(f"/customers/{customer_id}"), client.get(f"/customers/{customer_id}/edit"),
                 client.get("/customers"),
                 client.get("/customers?q=华宏", headers=HTMX | {"HX-Target": "customer-results"}),
                 client.get(f"/customers/{customer_id}/edit", headers=HTMX | {"HX-Target": "customer-form"})]

        assert all(p.status_code == 200 for p in pages)
        assert all(PHONE not in p.text and EMAIL not in p.text for p in pages)
        assert "138****8000" in pages[0].text and "c***@example.cn" in pages[0].text
        assert 'placeholder="138****8000"' in pages[1].text and 'name="remove_phone"' in pages[1].text

    def test_a_stale_edit_shows_the_other_save_as_a_mask(self, client: FlaskClient, deps: Dependencies,
                                                          rep: Actor) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        form = customer_form(owner_id=str(rep.user_id), credit_code="", email="") | {"version": "1"}
        client.post(f"/customers/{customer_id}", data=form | {"phone": "13911112222", "csrf_token": csrf_of(client)})

        stale = client.post(f"/customers/{customer_id}", data=form | {"phone": "13733334444",
                                                                     "csrf_token": csrf_of(client)})

        assert stale.status_code == 409
        assert "139****2222" in stale.text and "13911112222" not in stale.text
        assert 'value="13733334444"' in stale.text  # the user's own input stays in the form


class TestReveal:
    def test_revealing_shows_the_value_and_audits_the_field_only(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        url = f"/customers/{customer_id}/reveal/phone"

        fragment = client.post(url, headers=HTMX | {"HX-Target": "sensitive-phone", "X-CSRFToken": csrf_of(client)})
        page = client.post(url.replace("phone", "email"), data={"csrf_token": csrf_of(client)})

        assert fragment.status_code == 200 and "<html" not in fragment.text
        assert fragment.text.lstrip().startswith('<dd id="sensitive-phone"') and PHONE in fragment.text
        assert "<html" in page.text and EMAIL in page.text and PHONE not in page.text
        assert audit_rows(engine, "customer.revealed") == [(str(customer_id), {"field": "phone"}),
                                                           (str(customer_id), {"field": "email"})]
        assert PHONE.encode() not in stored_bytes(engine)

    def test_the_detail_page_offers_reveal_only_with_the_permission(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        finance = add_user(uow, "finance", {"finance"})

        assert f'action="/customers/{customer_id}/reveal/phone"' in client.get(f"/customers/{customer_id}").text
        assert "/reveal/" not in as_user(client, deps, finance).get(f"/customers/{customer_id}").text

    def test_without_the_permission_is_403_and_nothing_is_revealed(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, engine: Engine) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        as_user(client, deps, add_user(uow, "finance", {"finance"}))

        token = csrf_of(client, "/customers")
        response = client.post(f"/customers/{customer_id}/reveal/phone", data={"csrf_token": token})

        assert response.status_code == 403 and PHONE not in response.text
        assert audit_rows(engine, "customer.revealed") == []
        assert [after for _, after in audit_rows(engine, "access.denied")][-1]["permission"] == "customer.reveal"

    def test_another_reps_customer_is_404_with_nothing_in_the_body(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, engine: Engine,
            team: int) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        as_user(client, deps, add_user(uow, "other", {"sales_rep"}, team))

        token = csrf_of(client, "/customers")
        response = client.post(f"/customers/{customer_id}/reveal/phone",
                               headers=HTMX | {"HX-Target": "sensitive-phone", "X-CSRFToken": token})

        assert response.status_code == 404 and response.text == ""
        assert audit_rows(engine, "customer.revealed") == []

    def test_a_stale_sign_in_is_sent_to_step_up_first(self, client: FlaskClient, deps: Dependencies, rep: Actor,
                                                      engine: Engine) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)
        as_user(client, deps, rep, fresh=False)
        detail = f"http://localhost/customers/{customer_id}"
        token = csrf_of(client, "/customers")

        plain = client.post(f"/customers/{customer_id}/reveal/phone", data={"csrf_token": token},
                            headers={"Referer": detail})
        htmx = client.post(f"/customers/{customer_id}/reveal/phone",
                           headers=HTMX | {"HX-Target": "sensitive-phone", "X-CSRFToken": token, "Referer": detail})

        assert plain.status_code == 303 and plain.headers["Location"].startswith("/account/reauth?next=")
        assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == plain.headers["Location"]
        assert f"customers/{customer_id}" in plain.headers["Location"] and PHONE not in htmx.text + plain.text
        assert audit_rows(engine, "customer.revealed") == []

    def test_the_reveal_post_needs_csrf(self, client: FlaskClient, deps: Dependencies, rep: Actor) -> None:
        as_user(client, deps, rep)
        customer_id = create(client, rep)

        assert client.post(f"/customers/{customer_id}/reveal/phone").status_code == 400
