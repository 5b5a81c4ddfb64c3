"""Requisitions through approval on SQLite and PostgreSQL: submit → inbox → approve commits the budget per line;
the stop budget refuses a normal approver and lets a budget.override holder go beyond it (audited); reject and
reopen; close releases the budget; the submit pre-check."""

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from domain.identity.models import Actor
from tests.integration.requisition_helpers import (
    Office,
    actions,
    add_budget,
    an_office,
    approval_by,
    committed,
    raise_requisition,
    signed_in,
    status_of,
)
from web.deps import Dependencies

D_LINES = [("ThinkPad T14", "2", "4000"), ("Dock", "2", "500")]  # 9,000.00


@pytest.fixture
def office(engine: Engine) -> Office:
    return an_office(engine)


def submitted(client: FlaskClient, deps: Dependencies, office: Office, budget_id: int | None) -> int:
    csrf = signed_in(client, deps, office.employee)
    requisition_id = raise_requisition(client, csrf, D_LINES, budget_id)
    response = client.post(f"/requisitions/{requisition_id}/submit", data={"csrf_token": csrf, "version": "1"})
    assert response.status_code == 303
    return requisition_id


def task_of(engine: Engine, approver: Actor) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM approval_tasks WHERE assignee_id = :u AND status = 'open'"),
                                      {"u": approver.user_id}).scalar_one())


def approve(client: FlaskClient, deps: Dependencies, approver: Actor, engine: Engine, **form: str) -> tuple[int, str]:
    csrf = signed_in(client, deps, approver)
    task = task_of(engine, approver)
    inbox = client.get("/approvals").text
    response = client.post(f"/approvals/tasks/{task}/approve", data={"csrf_token": csrf, **form})
    return response.status_code, inbox + "\n<!-- answer -->\n" + response.text


def ledger(engine: Engine) -> list[tuple[str, int | None, str, bool]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT document_type, line_id, amount, overridden_by FROM budget_entries "
                                       "ORDER BY id"))
        return [(r.document_type, r.line_id, f"{r.amount:.2f}", r.overridden_by is not None) for r in rows]


def test_submit_inbox_approve_commits_the_budget_per_line(client: FlaskClient, deps: Dependencies,
                                                          office: Office) -> None:
    approval_by(office.engine, office.approver)
    budget = add_budget(office.engine, office.it, "20000.00")
    requisition_id = submitted(client, deps, office, budget)
    assert status_of(office.engine, requisition_id)[0] == "submitted" and committed(office.engine, budget) == 0

    status, pages = approve(client, deps, office.approver, office.engine)

    assert f"/requisitions/{requisition_id}" in pages and "Approve beyond the budget" not in pages
    assert status == 303 and status_of(office.engine, requisition_id)[0] == "approved"
    assert committed(office.engine, budget) == 9000
    assert [(kind, amount) for kind, _, amount, _ in ledger(office.engine)] == [("requisition", "8000.00"),
                                                                             ("requisition", "1000.00")]
    signed_in(client, deps, office.employee)
    assert "11,000.00 left (this requisition's commitment included)" in client.get(
        f"/requisitions/{requisition_id}").text


def test_over_a_stop_budget_a_normal_approver_is_refused_and_nothing_changes(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    approval_by(office.engine, office.approver)
    budget = add_budget(office.engine, office.it, "10000.00")
    requisition_id = submitted(client, deps, office, budget)
    with office.engine.begin() as connection:  # another approval took budget meanwhile
        connection.execute(text("UPDATE budgets SET committed = 2000 WHERE id = :id"), {"id": budget})

    status, pages = approve(client, deps, office.approver, office.engine)

    assert "would take its stop budget below zero" in pages and "Approve beyond the budget" not in pages
    assert status == 422 and "has 8,000.00 left; this asks 9,000.00" in pages
    assert status_of(office.engine, requisition_id)[0] == "submitted" and ledger(office.engine) == []
    assert task_of(office.engine, office.approver)  # still open
    forced, _ = approve(client, deps, office.approver, office.engine, override="1")
    assert forced == 403 and ledger(office.engine) == []


def test_a_budget_override_holder_approves_beyond_the_stop_budget_audited(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    approval_by(office.engine, office.manager)
    budget = add_budget(office.engine, office.it, "10000.00")
    requisition_id = submitted(client, deps, office, budget)
    with office.engine.begin() as connection:
        connection.execute(text("UPDATE budgets SET committed = 2000 WHERE id = :id"), {"id": budget})

    refused, _ = approve(client, deps, office.manager, office.engine)
    status, pages = approve(client, deps, office.manager, office.engine, override="1")

    assert refused == 422 and "Approve beyond the budget" in pages
    assert status == 303 and status_of(office.engine, requisition_id)[0] == "approved"
    assert committed(office.engine, budget) == 11000
    assert [overridden for *_, overridden in ledger(office.engine)] == [False, True]  # the line that went beyond
    assert "budget.overridden" in actions(office.engine)


def test_rejected_reopened_edited_and_submitted_again(client: FlaskClient, deps: Dependencies,
                                                       office: Office) -> None:
    approval_by(office.engine, office.approver)
    requisition_id = submitted(client, deps, office, None)
    csrf = signed_in(client, deps, office.approver)
    task = task_of(office.engine, office.approver)
    no_reason = client.post(f"/approvals/tasks/{task}/reject", data={"csrf_token": csrf})
    client.post(f"/approvals/tasks/{task}/reject", data={"csrf_token": csrf, "comment": "Docks are in stock"})

    csrf = signed_in(client, deps, office.employee)
    page = client.get(f"/requisitions/{requisition_id}").text
    client.post(f"/requisitions/{requisition_id}/reopen", data={"csrf_token": csrf, "version": "3"})
    client.post(f"/requisitions/{requisition_id}/submit", data={"csrf_token": csrf, "version": "4"})

    assert no_reason.status_code == 422
    assert "Docks are in stock" in page and "Return to draft" in page
    assert status_of(office.engine, requisition_id) == ("submitted", 5)
    assert actions(office.engine).count("requisition.submitted") == 2


def test_closing_releases_the_budget_it_still_holds(client: FlaskClient, deps: Dependencies, office: Office) -> None:
    budget = add_budget(office.engine, office.it, "20000.00")
    requisition_id = submitted(client, deps, office, budget)  # no rule: approved at once
    assert committed(office.engine, budget) == 9000

    csrf = signed_in(client, deps, office.employee)
    employee_close = client.post(f"/requisitions/{requisition_id}/close", data={"csrf_token": csrf, "reason": "x"})
    csrf = signed_in(client, deps, office.buyer)
    form = client.get(f"/requisitions/{requisition_id}/close")
    no_reason = client.post(f"/requisitions/{requisition_id}/close", data={"csrf_token": csrf, "version": "3"})
    done = client.post(f"/requisitions/{requisition_id}/close",
                       data={"csrf_token": csrf, "version": "3", "reason": "Bought with the spring order"})

    assert employee_close.status_code == 403 and form.status_code == 200
    assert no_reason.status_code == 422 and "Fill in this field" in no_reason.text
    assert done.status_code == 303 and status_of(office.engine, requisition_id)[0] == "closed"
    assert committed(office.engine, budget) == 0
    assert [amount for _, _, amount, _ in ledger(office.engine)] == ["8000.00", "1000.00", "-8000.00", "-1000.00"]


def test_the_submit_pre_check_refuses_beyond_a_stop_budget_unless_an_override_holder_ticks_it(
        client: FlaskClient, deps: Dependencies, office: Office) -> None:
    employee_budget = add_budget(office.engine, office.it, "5000.00")
    csrf = signed_in(client, deps, office.employee)
    requisition_id = raise_requisition(client, csrf, D_LINES, employee_budget)
    detail = client.get(f"/requisitions/{requisition_id}").text
    refused = client.post(f"/requisitions/{requisition_id}/submit",
                          data={"csrf_token": csrf, "version": "1"}, follow_redirects=True)

    assert "Beyond the stop budget by 4,000.00" in detail and "Submit beyond the budget" not in detail
    assert "has 5,000.00 left; this asks 9,000.00" in refused.text
    assert status_of(office.engine, requisition_id)[0] == "draft"

    company_budget = add_budget(office.engine, office.manager.department_id or 0, "5000.00", code="CO")
    csrf = signed_in(client, deps, office.manager)
    own = raise_requisition(client, csrf, D_LINES, company_budget)
    assert "Submit beyond the budget" in client.get(f"/requisitions/{own}").text
    client.post(f"/requisitions/{own}/submit", data={"csrf_token": csrf, "version": "1", "override": "1"})

    assert status_of(office.engine, own)[0] == "approved"  # no rule: at once, beyond the budget
    assert committed(office.engine, company_budget) == 9000
