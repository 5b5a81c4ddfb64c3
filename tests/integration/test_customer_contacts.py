"""Contacts end to end: sealed at rest, masked in pages and partials, audited reveal, scope and permissions."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.integration.conftest import add_department, add_user, csrf_of
from tests.integration.test_sensitive_fields import as_user, audit_rows, create, stored_bytes
from web.deps import Dependencies

CONTACT_PHONE, CONTACT_EMAIL = "13911112222", "wang.canary9@example.cn"
SECTION = {"HX-Request": "true", "HX-Target": "contacts"}


@pytest.fixture
def team(engine: Engine) -> int:
    return add_department(engine, "East")


@pytest.fixture
def rep(uow: SqlUnitOfWork, team: int) -> Actor:
    return add_user(uow, "rep", {"sales_rep"}, team)


def add_contact(client: FlaskClient, customer_id: int, headers: dict[str, str] | None = None, **fields: str) -> str:
    data = {"name": "王丽", "title": "采购经理", "phone": CONTACT_PHONE, "email": CONTACT_EMAIL} | fields
    response = client.post(f"/customers/{customer_id}/contacts", data=data | {"csrf_token": csrf_of(client)},
                           headers=headers or {})
    return response.text if response.status_code != 303 else client.get(f"/customers/{customer_id}").text


def contact_row(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        row = connection.execute(text("SELECT id, version FROM contacts")).one()
    return row.id, row.version


class TestContacts:
    def test_sealed_at_rest_and_masked_on_the_page_and_in_the_partial(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)

        partial = add_contact(client, customer_id, SECTION)
        page = client.get(f"/customers/{customer_id}").text

        assert "<html" not in partial and 'id="contacts"' in partial and "王丽" in partial
        for html in (partial, page):
            assert "139****2222" in html and "w***@example.cn" in html
            assert CONTACT_PHONE not in html and CONTACT_EMAIL not in html
        raw = stored_bytes(engine)
        assert CONTACT_PHONE.encode() not in raw and b"wang.canary9" not in raw

    def test_invalid_contact_gets_422_with_the_message_in_the_section(
            self, client: FlaskClient, deps: Dependencies, rep: Actor) -> None:
        customer_id = create(as_user(client, deps, rep), rep)

        response = client.post(f"/customers/{customer_id}/contacts", headers=SECTION,
                               data={"name": "", "phone": "call me", "csrf_token": csrf_of(client)})

        assert response.status_code == 422 and "<html" not in response.text
        assert "Fill in this field." in response.text and "Enter a phone number" in response.text

    def test_edit_keeps_the_stored_phone_and_remove_deletes(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)
        add_contact(client, customer_id)
        contact_id, version = contact_row(engine)

        form = client.get(f"/customers/{customer_id}/contacts/{contact_id}/edit", headers=SECTION).text
        saved = client.post(f"/customers/{customer_id}/contacts/{contact_id}", headers=SECTION, data={
            "name": "王丽", "title": "总监", "version": str(version), "csrf_token": csrf_of(client)}).text
        removed = client.post(f"/customers/{customer_id}/contacts/{contact_id}/remove", data={
            "version": str(version + 1), "csrf_token": csrf_of(client)})

        assert 'placeholder="139****2222"' in form and CONTACT_PHONE not in form
        assert "总监" in saved and "139****2222" in saved
        assert removed.status_code == 303
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM contacts")).scalar() == 0
        actions = [a for a, in _actions(engine) if a.startswith("contact.")]
        assert actions == ["contact.created", "contact.updated", "contact.removed"]

    def test_reveal_is_audited_with_field_and_contact_never_the_value(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)
        add_contact(client, customer_id)
        contact_id, _ = contact_row(engine)

        shown = client.post(f"/customers/{customer_id}/contacts/{contact_id}/reveal/phone", data={
            "csrf_token": csrf_of(client)}, headers={"HX-Request": "true", "HX-Target": f"contact-{contact_id}-phone"})

        assert shown.status_code == 200 and CONTACT_PHONE in shown.text and "<html" not in shown.text
        assert audit_rows(engine, "customer.revealed") == [(str(customer_id), {"field": "phone",
                                                                               "contact_id": contact_id})]
        assert CONTACT_PHONE.encode() not in str(_actions(engine, full=True)).encode()

    def test_reveal_without_step_up_asks_for_it_and_records_nothing(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)
        add_contact(client, customer_id)
        contact_id, _ = contact_row(engine)
        as_user(client, deps, rep, fresh=False)

        response = client.post(f"/customers/{customer_id}/contacts/{contact_id}/reveal/phone",
                               data={"csrf_token": csrf_of(client)})

        assert response.status_code == 303 and "/account/reauth" in response.headers["Location"]
        assert audit_rows(engine, "customer.revealed") == []


class TestForbidden:
    def test_a_role_without_customer_update_gets_403_and_nothing_changes(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)
        auditor = add_user(uow, "auditor", {"auditor"})

        response = as_user(client, deps, auditor).post(f"/customers/{customer_id}/contacts", data={
            "name": "Intruder", "csrf_token": csrf_of(client, "/account/reauth")})

        assert response.status_code == 403
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM contacts")).scalar() == 0

    def test_a_customer_outside_the_scope_is_404_with_nothing_of_it(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, uow: SqlUnitOfWork, team: int,
            engine: Engine) -> None:
        customer_id = create(as_user(client, deps, rep), rep)
        add_contact(client, customer_id)
        contact_id, version = contact_row(engine)
        other = add_user(uow, "other", {"sales_rep"}, team)
        as_user(client, deps, other)
        token = csrf_of(client)

        answers = [client.get(f"/customers/{customer_id}/contacts/{contact_id}/edit"),
                   client.post(f"/customers/{customer_id}/contacts/{contact_id}",
                               data={"name": "Hijack", "version": str(version), "csrf_token": token}),
                   client.post(f"/customers/{customer_id}/contacts/{contact_id}/remove",
                               data={"version": str(version), "csrf_token": token}),
                   client.post(f"/customers/{customer_id}/contacts/{contact_id}/reveal/phone",
                               data={"csrf_token": token})]

        assert [a.status_code for a in answers] == [404, 404, 404, 404]
        assert not any("王丽" in a.text or "139" in a.text or "上海华宏" in a.text for a in answers)
        assert contact_row(engine) == (contact_id, version)

    def test_a_contact_of_another_customer_is_404(
            self, client: FlaskClient, deps: Dependencies, rep: Actor, engine: Engine) -> None:
        first = create(as_user(client, deps, rep), rep)
        second = create(client, rep, name="Second Ltd", token="f2")
        add_contact(client, first)
        contact_id, _ = contact_row(engine)

        assert client.get(f"/customers/{second}/contacts/{contact_id}/edit").status_code == 404


def _actions(engine: Engine, full: bool = False) -> list[tuple[object, ...]]:
    columns = "action, before, after" if full else "action"
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(f"SELECT {columns} FROM audit_events ORDER BY seq"))]
