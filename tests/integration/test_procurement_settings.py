"""The tolerance settings page on SQLite and PostgreSQL: validation, saving with an audit record, a concurrent save,
permissions; and the saved over-receipt tolerance applies to the next receipt."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from adapters.sqlalchemy.tables import audit_events, procurement_settings
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.receiving_helpers import add_order, add_supplier, order_state
from web.deps import Dependencies

DEFAULTS = "0.00|0.00|2.00"


@pytest.fixture
def people(engine: Engine) -> dict[str, Actor]:
    team = add_department(engine, "Team")
    return {role: add_user(SqlUnitOfWork(engine), role, {role}, team) for role in ("finance", "buyer", "auditor")}


def _form(csrf: str, seen: str = DEFAULTS, **values: str) -> dict[str, str]:
    return {"csrf_token": csrf, "seen": seen, "over_receipt": "0", "invoice_quantity": "0",
            "invoice_price": "2"} | values


def test_finance_saves_tolerances_and_the_change_is_audited(client: FlaskClient, deps: Dependencies,
                                                            engine: Engine, people: dict[str, Actor]) -> None:
    sign_in_as(client, deps, people["finance"])
    page = client.get("/procurement/settings")
    assert page.status_code == 200 and 'value="2.00"' in page.text and f'value="{DEFAULTS}"' in page.text

    saved = client.post("/procurement/settings", data=_form(csrf_of(client, "/procurement/settings"),
                                                            over_receipt="5", invoice_price="2.5"))

    assert saved.status_code == 303
    with engine.connect() as connection:
        stored = dict(connection.execute(select(procurement_settings.c.key, procurement_settings.c.value)).all())
        event = connection.execute(select(audit_events.c.before, audit_events.c.after).where(
            audit_events.c.action == "procurement.settings_changed")).one()
    assert stored == {"over_receipt": "5.00", "invoice_price": "2.50"}
    assert (event.before, event.after) == ({"over_receipt": "0.00", "invoice_price": "2.00"},
                                           {"over_receipt": "5.00", "invoice_price": "2.50"})
    assert 'value="5.00"' in client.get("/procurement/settings").text


def test_bad_values_are_refused_with_messages_and_kept(client: FlaskClient, deps: Dependencies,
                                                       people: dict[str, Actor]) -> None:
    sign_in_as(client, deps, people["finance"])

    response = client.post("/procurement/settings", data=_form(csrf_of(client, "/procurement/settings"),
                                                               over_receipt="101", invoice_price="2.555"),
                           headers={"HX-Request": "true", "HX-Target": "tolerance-form"})

    assert response.status_code == 422 and "<html" not in response.text
    assert "Enter a percentage from 0 to 100." in response.text and "at most two decimals" in response.text
    assert 'value="101"' in response.text and 'value="2.555"' in response.text


def test_a_save_made_meanwhile_is_not_overwritten_silently(client: FlaskClient, deps: Dependencies,
                                                           people: dict[str, Actor]) -> None:
    sign_in_as(client, deps, people["finance"])
    csrf = csrf_of(client, "/procurement/settings")
    client.post("/procurement/settings", data=_form(csrf, invoice_price="3"))

    late = client.post("/procurement/settings", data=_form(csrf, invoice_price="1"))

    assert late.status_code == 409 and "Someone saved other tolerances" in late.text
    assert 'value="1"' in late.text and "3.00 %" in late.text and 'value="0.00|0.00|3.00"' in late.text


def test_only_holders_of_the_permission_see_or_change_tolerances(client: FlaskClient, deps: Dependencies,
                                                                 people: dict[str, Actor]) -> None:
    for role in ("buyer", "auditor"):
        sign_in_as(client, deps, people[role])
        assert client.get("/procurement/settings").status_code == 403
        assert client.post("/procurement/settings", data=_form(csrf_of(client, "/account"))).status_code == 403


def test_a_saved_over_receipt_tolerance_applies_to_the_next_receipt(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor]) -> None:
    sign_in_as(client, deps, people["finance"])
    client.post("/procurement/settings", data=_form(csrf_of(client, "/procurement/settings"), over_receipt="10"))
    order_id, (line,) = add_order(engine, people["buyer"], add_supplier(engine, people["buyer"]),
                                  ("Cable", "100", "3.5", 13))
    sign_in_as(client, deps, people["buyer"])

    response = client.post(f"/purchase-orders/{order_id}/receipts", data={
        "csrf_token": csrf_of(client, "/account"), "received_on": NOW.date().isoformat(), "line_id": str(line),
        f"received-{line}": "110"})

    assert response.status_code == 303 and order_state(engine, order_id)[0] == "received"
