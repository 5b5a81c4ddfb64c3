"""The approval engine on real databases and through its views: routing, decisions, inbox, rules, delegation."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals import engine as approvals
from domain.approvals.delegation import set_delegation
from domain.approvals.inbox import approval_inbox
from domain.approvals.models import ApprovalSubject, Outcome
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode, business_day
from domain.identity.models import Actor
from domain.navigation import navigation_badges
from tests.approval_fakes import TEST_DOCUMENT, RecordingHandler, registered_document
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

DOC = TEST_DOCUMENT


@pytest.fixture
def handler() -> Iterator[RecordingHandler]:
    with registered_document() as recording:
        yield recording


@dataclass
class Office:
    company: int
    sales: int
    rep: Actor
    manager: Actor
    finance: list[Actor]
    admin: Actor


@pytest.fixture
def office(engine: Engine, uow: SqlUnitOfWork, handler: RecordingHandler) -> Office:
    company = add_department(engine, "Company")
    sales = add_department(engine, "Sales", company)
    rep = add_user(uow, "rep", {"sales_rep"}, sales)
    manager = add_user(uow, "manager", {"sales_manager"}, sales)
    finance = [add_user(uow, name, {"finance"}, company) for name in ("fin1", "fin2")]
    admin = add_user(uow, "admin", {"administrator"}, company)
    with engine.begin() as connection:
        connection.execute(text("UPDATE departments SET manager_id = :m WHERE id = :d"),
                           {"m": manager.user_id, "d": sales})
    with uow:
        uow.approvals.add_rule(ApprovalRule(None, "Deals", DOC, company, Decimal("1000"), Decimal("50000"), [
            RuleStep(1, StepMode.ALL, ApproverKind.MANAGER),
            RuleStep(2, StepMode.ANY, ApproverKind.ROLE, role_key="finance")]))
        uow.commit()
    return Office(company, sales, rep, manager, finance, admin)


def submit(uow: SqlUnitOfWork, office: Office, amount: str = "1000.00", document_id: int = 7) -> Outcome:
    subject = ApprovalSubject(DOC, document_id, f"Deal {document_id} <b>", Decimal(amount), "CNY", office.sales,
                              office.rep.user_id)
    with uow:
        outcome = approvals.start_approval(subject, actor=office.rep, uow=uow, now=datetime.now().astimezone())
        uow.commit()
    return outcome


def open_task(engine: Engine, user: Actor) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT id FROM approval_tasks WHERE assignee_id = :u AND status = 'open'"),
                                      {"u": user.user_id}).scalar_one())


def actions(engine: Engine) -> list[str]:
    """The audit trail without the sign-ins the tests make."""
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_events WHERE action NOT LIKE 'login.%' "
                                            "ORDER BY seq")).scalars())


class TestEngineOnTheDatabase:
    def test_a_document_walks_through_both_steps_and_leaves_a_trail(
        self, engine: Engine, uow: SqlUnitOfWork, deps: Dependencies, office: Office, handler: RecordingHandler
    ) -> None:
        assert submit(uow, office, "1000.00") is Outcome.PENDING
        approvals.decide(open_task(engine, office.manager), True, "fine", actor=office.manager, uow=uow,
                         clock=deps.clock)
        first, second = office.finance
        late = open_task(engine, second)

        outcome = approvals.decide(open_task(engine, first), True, "", actor=first, uow=uow, clock=deps.clock)

        assert outcome is Outcome.APPROVED and handler.decided == [(7, Outcome.APPROVED)]
        trail = approvals.approval_trail(DOC, 7, actor=office.rep, uow=uow)
        assert [(e.step, e.approver, e.status.value, e.comment) for e in trail] == [
            (1, "Manager", "approved", "fine"), (2, "Fin1", "approved", ""), (2, "Fin2", "closed", "")]
        assert actions(engine) == ["approval.requested", "approval.approved", "approval.approved"]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT status FROM approval_tasks WHERE id = :t"), {"t": late}).scalar() \
                == "closed"

    def test_amounts_outside_the_band_need_no_approval(self, engine: Engine, uow: SqlUnitOfWork,
                                                       office: Office) -> None:
        assert submit(uow, office, "999.99", 1) is Outcome.APPROVED
        assert submit(uow, office, "50000", 2) is Outcome.APPROVED
        assert actions(engine) == ["approval.not_required", "approval.not_required"]

    def test_the_inbox_and_badge_include_tasks_delegated_to_me_today(
        self, engine: Engine, uow: SqlUnitOfWork, deps: Dependencies, office: Office
    ) -> None:
        submit(uow, office)
        today = business_day(deps.clock.now()).isoformat()
        set_delegation({"delegate_id": str(office.admin.user_id), "starts_on": today, "ends_on": today},
                       actor=office.manager, uow=uow, clock=deps.clock)

        page = approval_inbox(None, actor=office.admin, uow=uow, clock=deps.clock)

        assert [(i.title, i.on_behalf_of, i.amount, i.link) for i in page.items] == \
            [("Deal 7 <b>", "Manager", Decimal("1000.00"), "/test-documents/7")]
        assert navigation_badges(actor=office.admin, uow=uow, clock=deps.clock).approvals == 1
        assert navigation_badges(actor=office.finance[0], uow=uow, clock=deps.clock).approvals == 0


class TestInboxViews:
    def test_the_inbox_shows_only_my_tasks_and_the_badge_counts_them(
        self, client: FlaskClient, deps: Dependencies, uow: SqlUnitOfWork, office: Office
    ) -> None:
        submit(uow, office)
        sign_in_as(client, deps, office.manager)

        page = client.get("/approvals").text

        assert "Deal 7 &lt;b&gt;" in page and "1,000.00 CNY" in page and "Approvals (1)" in page
        assert 'href="/test-documents/7"' in page
        sign_in_as(client, deps, office.finance[0])
        assert "Deal 7" not in client.get("/approvals").text

    def test_a_failing_badge_read_leaves_the_page_whole_and_is_logged(
        self, client: FlaskClient, deps: Dependencies, uow: SqlUnitOfWork, office: Office,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
    ) -> None:
        submit(uow, office)
        sign_in_as(client, deps, office.manager)

        def outage(**_: object) -> None:
            raise OperationalError("SELECT count(*)", {}, Exception("database is locked"))
        monkeypatch.setattr("web.navigation.navigation_badges", outage)
        page = client.get("/approvals")

        assert page.status_code == 200 and "Deal 7 &lt;b&gt;" in page.text
        assert 'id="nav-approvals">Approvals</a>' in page.text
        assert "navigation.badges_unavailable" in caplog.text

    def test_approve_through_the_view_with_csrf(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork, office: Office
    ) -> None:
        submit(uow, office)
        task = open_task(engine, office.manager)
        sign_in_as(client, deps, office.manager)

        refused = client.post(f"/approvals/tasks/{task}/approve")
        response = client.post(f"/approvals/tasks/{task}/approve", data={"csrf_token": csrf_of(client, "/approvals")})

        assert refused.status_code == 400 and response.status_code == 303
        assert actions(engine) == ["approval.requested", "approval.approved"]
        assert open_task(engine, office.finance[0])

    def test_reject_without_a_comment_is_refused_inline(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork, office: Office
    ) -> None:
        submit(uow, office)
        task = open_task(engine, office.manager)
        sign_in_as(client, deps, office.manager)
        token = csrf_of(client, "/approvals")

        fragment = client.post(f"/approvals/tasks/{task}/reject", data={"csrf_token": token, "comment": " "},
                               headers={"HX-Request": "true", "HX-Target": f"task-{task}"})

        assert fragment.status_code == 422 and "<html" not in fragment.text
        assert "Say why you reject it" in fragment.text and 'aria-invalid="true"' in fragment.text
        assert open_task(engine, office.manager) == task

    def test_reject_with_a_comment_tells_the_document(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork, office: Office,
        handler: RecordingHandler
    ) -> None:
        submit(uow, office)
        sign_in_as(client, deps, office.manager)

        response = client.post(f"/approvals/tasks/{open_task(engine, office.manager)}/reject",
                               data={"csrf_token": csrf_of(client, "/approvals"), "comment": "Wrong customer"})

        assert response.status_code == 303 and handler.decided == [(7, Outcome.REJECTED)]

    def test_somebody_elses_task_is_not_found_and_unchanged(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork, office: Office
    ) -> None:
        submit(uow, office)
        task = open_task(engine, office.manager)
        for stranger in (office.admin, office.rep):
            sign_in_as(client, deps, stranger)
            response = client.post(f"/approvals/tasks/{task}/approve",
                                   data={"csrf_token": csrf_of(client, "/approvals")})
            assert response.status_code == 404 and "Deal 7" not in response.text

        assert open_task(engine, office.manager) == task and actions(engine) == ["approval.requested"]

    def test_the_trail_partial_renders_on_any_document_page(
        self, app: Flask, engine: Engine, uow: SqlUnitOfWork, deps: Dependencies, office: Office
    ) -> None:
        submit(uow, office)
        approvals.decide(open_task(engine, office.manager), False, "Needs <annex>", actor=office.manager, uow=uow,
                         clock=deps.clock)
        trail = approvals.approval_trail(DOC, 7, actor=office.rep, uow=uow)

        with app.test_request_context("/"):
            html = render_template("approvals/_trail.html", approval_trail=trail)

        assert "Manager" in html and "Needs &lt;annex&gt;" in html and "Rejected" in html


def a_rule_form(token: str, **overrides: str) -> dict[str, str | list[str]]:
    values: dict[str, str | list[str]] = {
        "csrf_token": token, "name": "Large deals", "document_type": "contract", "department_id": "",
        "min_amount": "100000", "max_amount": "", "active": "1", "step_kind": ["manager", "role"],
        "step_mode": ["all", "any"], "step_role": ["", "finance"], "step_user": ["", ""], "op": "save"}
    return values | overrides


class TestRuleViews:
    def test_an_administrator_creates_a_rule_audited(self, client: FlaskClient, deps: Dependencies,
                                                     engine: Engine, office: Office) -> None:
        sign_in_as(client, deps, office.admin)

        response = client.post("/approvals/rules", data=a_rule_form(csrf_of(client, "/approvals/rules/new")))

        assert response.status_code == 303
        assert "Large deals" in client.get("/approvals/rules").text
        assert actions(engine)[-1] == "approval_rule.created"

    def test_saving_needs_a_recent_step_up(self, client: FlaskClient, deps: Dependencies, engine: Engine,
                                           office: Office) -> None:
        sign_in_as(client, deps, office.admin, fresh=False)

        response = client.post("/approvals/rules", data=a_rule_form(csrf_of(client, "/approvals/rules/new")))

        assert response.status_code == 303 and "/account/reauth" in response.headers["Location"]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM approval_rules")).scalar() == 1

    def test_without_the_permission_rules_are_forbidden(self, client: FlaskClient, deps: Dependencies,
                                                        engine: Engine, office: Office) -> None:
        sign_in_as(client, deps, office.manager)
        token = csrf_of(client, "/approvals")

        assert client.get("/approvals/rules").status_code == 403
        assert client.post("/approvals/rules", data=a_rule_form(token)).status_code == 403
        assert "approval.rules" not in client.get("/approvals").text
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM approval_rules")).scalar() == 1
        assert actions(engine)[-1] == "access.denied"

    def test_step_buttons_rearrange_the_form_without_saving(self, client: FlaskClient, deps: Dependencies,
                                                           engine: Engine, office: Office) -> None:
        sign_in_as(client, deps, office.admin)
        token = csrf_of(client, "/approvals/rules/new")

        added = client.post("/approvals/rules", data=a_rule_form(token, op="add"),
                            headers={"HX-Request": "true", "HX-Target": "rule-form"})
        invalid = client.post("/approvals/rules", data=a_rule_form(token, min_amount="abc"))

        assert added.status_code == 200 and added.text.count('name="step_kind"') == 3 and "<html" not in added.text
        assert invalid.status_code == 422 and "at most two decimals" in invalid.text
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM approval_rules")).scalar() == 1

    def test_an_edit_replaces_the_steps(self, client: FlaskClient, deps: Dependencies, engine: Engine,
                                        office: Office) -> None:
        sign_in_as(client, deps, office.admin)
        with engine.connect() as connection:
            rule_id = connection.execute(text("SELECT id FROM approval_rules")).scalar_one()
        form = a_rule_form(csrf_of(client, f"/approvals/rules/{rule_id}/edit"), document_type=DOC,
                           department_id=str(office.company), min_amount="1000", max_amount="50000",
                           step_kind=["user"], step_mode=["all"], step_role=[""], step_user=[str(office.admin.user_id)],
                           version="1")

        assert client.post(f"/approvals/rules/{rule_id}", data=form).status_code == 303
        with engine.connect() as connection:
            assert connection.execute(text("SELECT approver_kind, user_id FROM approval_rule_steps")).all() == \
                [("user", office.admin.user_id)]


class TestDelegationViews:
    def test_set_and_end_my_delegation(self, client: FlaskClient, deps: Dependencies, engine: Engine,
                                       office: Office) -> None:
        sign_in_as(client, deps, office.manager)
        token = csrf_of(client, "/account/delegation")
        today = business_day(deps.clock.now()).isoformat()

        saved = client.post("/account/delegation", data={"csrf_token": token, "delegate_id": str(office.admin.user_id),
                                                         "starts_on": today, "ends_on": today})
        refused = client.post("/account/delegation", data={"csrf_token": token, "delegate_id": "",
                                                           "starts_on": today, "ends_on": today})
        page = client.get("/account/delegation").text
        ended = client.post("/account/delegation/end", data={"csrf_token": token})

        assert saved.status_code == 303 and refused.status_code == 422 and "Admin from" in page
        assert ended.status_code == 303
        assert actions(engine) == ["delegation.created", "delegation.ended"]
