"""Requisitions through the views on SQLite and PostgreSQL: raise, edit (409), bad cells (422), the live totals
fragment, the form without JavaScript, the list, and record scope (404) with approvers seeing what they approve."""

import re
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.budgets.models import BudgetPolicy
from tests.integration.conftest import add_user
from tests.integration.requisition_helpers import (
    Office,
    actions,
    add_budget,
    an_office,
    approval_by,
    raise_requisition,
    requisition_form,
    signed_in,
    status_of,
)
from web.deps import Dependencies

HTMX = {"HX-Request": "true"}


@pytest.fixture
def office(engine: Engine) -> Office:
    return an_office(engine)


def test_an_employee_raises_a_numbered_requisition_for_their_department(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)
    budget = add_budget(office.engine, office.it, "10000.00")

    assert "IT-B · IT equipment" in client.get("/requisitions/new").text
    requisition_id = raise_requisition(client, csrf, [("ThinkPad T14", "2", "8,999.5"), ("Dock", "2", "1299")],
                                       budget)
    page = client.get(f"/requisitions/{requisition_id}").text

    assert f"PR-{date.today().year}-00001" in page
    assert "20,597.00" in page and "ThinkPad T14" in page and "0 / 2" in page
    assert "贰万零伍佰玖拾柒元整" in page
    assert "requisition.created" in actions(office.engine)


def test_bad_cells_get_their_own_messages_and_nothing_typed_is_lost(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)

    response = client.post("/requisitions", data=requisition_form(
        csrf, [("Monitor", "2", "1500"), ("Keyboard", "two", "199.999999")], title=""))

    assert response.status_code == 422
    html = response.text
    assert re.search(r'name="quantity"[^>]*value="two"[^>]*aria-describedby="lines-2-quantity-error" '
                     r'aria-invalid="true"', html)
    assert 'id="lines-2-quantity-error" class="field-error" data-for="quantity">Enter a quantity' in html
    assert 'id="lines-2-unit_price-error" class="field-error" data-for="unit_price">Use at most four decimals' in html
    assert 'id="lines-1-quantity-error" class="field-error" data-for="quantity" hidden>' in html
    assert 'value="Keyboard"' in html and 'value="199.999999"' in html and "Two engineers start" in html
    assert 'id="title-error" class="field-error">Fill in this field.' in html
    assert "3,000.00" in html  # the good line's amount is still shown


def test_the_totals_fragment_shows_amounts_the_total_and_the_budget_after_it(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)
    stop = add_budget(office.engine, office.it, "1000.00")
    warn = add_budget(office.engine, office.it, "1000.00", BudgetPolicy.WARN, code="IT-W")
    lines = [("Chair", "3", "333.335"), ("", "", ""), ("Desk", "x", "10")]

    blocked = client.post("/requisitions/totals", data=requisition_form(csrf, lines, stop),
                          headers=HTMX | {"HX-Target": "requisition-totals"})
    warned = client.post("/requisitions/totals", data=requisition_form(csrf, lines, warn), headers=HTMX)

    assert blocked.status_code == 200 and blocked.text.lstrip().startswith("{#") is False
    assert 'data-line-result="1" data-amount="1,000.01"' in blocked.text
    assert 'data-line-result="2" data-amount=""></li>' in blocked.text
    assert '<span data-error-for="quantity">Enter a quantity' in blocked.text
    assert "<strong>CNY 1,000.01</strong>" in blocked.text
    assert "1,000.00 left now, -0.01 after this requisition" in blocked.text
    assert "beyond a stop budget" in blocked.text and "only warns" in warned.text
    assert 'hx-trigger="lines-changed from:closest form, change from:#f-budget_id"' in blocked.text


def test_the_form_works_without_javascript_adding_and_removing_lines(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)
    form = requisition_form(csrf, [("Monitor", "2", "1500"), ("Cable", "5", "20")])

    added = client.post("/requisitions", data=form | {"op": "add"})
    removed = client.post("/requisitions", data=form | {"op": "remove:1"})

    assert added.status_code == 200 and added.text.count("<tr data-line>") == 3 + 1  # + the template row
    assert removed.status_code == 200 and 'value="Monitor"' not in removed.text and 'value="Cable"' in removed.text
    assert "3,100.00" in added.text and "100.00" in removed.text
    assert actions(office.engine) == []


def test_edits_are_saved_and_a_stale_version_is_a_conflict_that_keeps_the_typing(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)
    requisition_id = raise_requisition(client, csrf, [("Monitor", "2", "1500")])
    form = requisition_form(csrf, [("Monitor", "3", "1500")]) | {"version": "1"}

    assert "Monitor" in client.get(f"/requisitions/{requisition_id}/edit").text
    saved = client.post(f"/requisitions/{requisition_id}", data=form)
    stale = client.post(f"/requisitions/{requisition_id}", data=form | {"title": "Screens", "quantity": ["4"]})

    assert saved.status_code == 303 and status_of(office.engine, requisition_id) == ("draft", 2)
    assert stale.status_code == 409
    assert "Someone else saved this requisition" in stale.text and 'value="Screens"' in stale.text
    assert "Monitor 3 pc × 1500 = 4500.00" in stale.text


def test_only_the_requester_edits_a_draft(client: FlaskClient, deps: Dependencies, office: Office) -> None:
    requisition_id = raise_requisition(client, signed_in(client, deps, office.employee), [("Monitor", "1", "9")])
    buyer = signed_in(client, deps, office.buyer)

    edit = client.get(f"/requisitions/{requisition_id}/edit")
    post = client.post(f"/requisitions/{requisition_id}",
                       data=requisition_form(buyer, [("Monitor", "9", "9")]) | {"version": "1"})

    assert edit.status_code == 303 and post.status_code == 409
    assert "Only the person who raised this requisition" in post.text
    assert status_of(office.engine, requisition_id) == ("draft", 1)


def test_record_scope_employees_their_own_buyers_their_department(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    requisition_id = raise_requisition(client, signed_in(client, deps, office.employee), [("Monitor", "1", "9")])

    for outsider in (office.colleague, office.sales_buyer):
        csrf = signed_in(client, deps, outsider)
        assert client.get(f"/requisitions/{requisition_id}").status_code == 404
        assert client.get(f"/requisitions/{requisition_id}/edit").status_code == 404
        assert client.post(f"/requisitions/{requisition_id}/totals", data={"csrf_token": csrf}).status_code == 404
        assert f'href="/requisitions/{requisition_id}"' not in client.get("/requisitions").text
    csrf = signed_in(client, deps, office.sales_buyer)  # holds every requisition permission, for Sales only
    for path in ("submit", "reopen", "close", ""):
        url = f"/requisitions/{requisition_id}/{path}".rstrip("/")
        assert client.post(url, data={"csrf_token": csrf, "version": "1", "reason": "x"}).status_code == 404, url
    assert client.get(f"/requisitions/{requisition_id}/close").status_code == 404
    for insider in (office.buyer, office.manager, office.finance):
        signed_in(client, deps, insider)
        assert client.get(f"/requisitions/{requisition_id}").status_code == 200
        assert "Monitor" not in client.get("/requisitions", query_string={"q": "Laptops"}).text
        assert f"/requisitions/{requisition_id}\"" in client.get("/requisitions", query_string={"q": "laptops"}).text


def test_approvers_see_what_they_approve(client: FlaskClient, deps: Dependencies, office: Office) -> None:
    approval_by(office.engine, office.approver)
    csrf = signed_in(client, deps, office.employee)
    requisition_id = raise_requisition(client, csrf, [("Monitor", "1", "9")])
    signed_in(client, deps, office.approver)
    assert client.get(f"/requisitions/{requisition_id}").status_code == 403  # no permission, no task yet

    csrf = signed_in(client, deps, office.employee)
    client.post(f"/requisitions/{requisition_id}/submit", data={"csrf_token": csrf, "version": "1"})
    assert status_of(office.engine, requisition_id) == ("submitted", 2)
    signed_in(client, deps, office.approver)
    page = client.get(f"/requisitions/{requisition_id}")

    assert page.status_code == 200 and "because you are one of its approvers" in page.text
    assert "Submit for approval" not in page.text and "Close…" not in page.text


def test_someone_without_a_department_is_told_what_to_do(
        client: FlaskClient, deps: Dependencies, office: Office, engine: Engine) -> None:
    homeless = add_user(SqlUnitOfWork(engine), "homeless", {"employee"})
    csrf = signed_in(client, deps, homeless)

    page = client.get("/requisitions/new")
    post = client.post("/requisitions", data=requisition_form(csrf, [("Monitor", "1", "9")]))

    assert page.status_code == 200 and "You belong to no department" in page.text
    assert post.status_code == 422 and actions(engine) == []


def test_the_list_searches_numbers_exactly_filters_and_answers_htmx_with_the_results(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)
    first = raise_requisition(client, csrf, [("Monitor", "1", "9")])
    raise_requisition(client, csrf, [("Desk", "1", "9")])
    number = f"PR-{date.today().year}-00001"

    found = client.get("/requisitions", query_string={"q": number.lower()},
                       headers=HTMX | {"HX-Target": "requisition-results"})
    partial_number = client.get("/requisitions", query_string={"q": "00001"}).text
    drafts = client.get("/requisitions", query_string={"status": "submitted", "mine": "1"}).text

    assert found.text.lstrip().startswith('<section id="requisition-results"')
    assert f'<a href="/requisitions/{first}">{number}</a>' in found.text and found.text.count("<tr><td><a") == 1
    assert number not in partial_number.split('id="requisition-results"')[1]
    assert "No requisitions match these filters" in drafts


def test_dates_in_the_past_are_refused(client: FlaskClient, deps: Dependencies, office: Office) -> None:
    csrf = signed_in(client, deps, office.employee)
    yesterday = (date.today() - timedelta(days=2)).isoformat()

    response = client.post("/requisitions", data=requisition_form(csrf, [("Monitor", "1", "9")], needed_by=yesterday))

    assert response.status_code == 422 and "This date has passed" in response.text
