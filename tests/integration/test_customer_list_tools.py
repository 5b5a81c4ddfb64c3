"""Customer list tools through the app on real databases: bulk actions, tags, saved views, export."""

import csv
import io
import json
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.customers import services
from domain.identity.models import Actor
from tests.builders import customer_form
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from web.deps import Dependencies

RESULTS = {"HX-Request": "true", "HX-Target": "customer-results"}
CONFIRM = {"HX-Request": "true", "HX-Target": "bulk-confirm"}
EXPORT = {"HX-Request": "true", "HX-Target": "customer-export"}
NASTY = ['=HYPERLINK("http://evil","x")', "+1+1", "@SUM(1)", "-2"]


@dataclass
class Team:
    rep: Actor
    other: Actor
    manager: Actor
    far: Actor


@pytest.fixture
def team(engine: Engine, uow: SqlUnitOfWork) -> Team:
    sales = add_department(engine, "Sales")
    east = add_department(engine, "East", sales)
    west = add_department(engine, "West")
    return Team(add_user(uow, "rep", {"sales_rep"}, east), add_user(uow, "other", {"sales_rep"}, east),
                add_user(uow, "manager", {"sales_manager"}, sales), add_user(uow, "far", {"sales_rep"}, west))


def customer(deps: Dependencies, owner: Actor, name: str, **fields: str) -> int:
    form = customer_form(owner_id=str(owner.user_id), name=name, credit_code="") | fields
    return services.register_customer(form, "", actor=owner, uow=deps.uow(), clock=deps.clock).id or 0


def signed_in(client: FlaskClient, deps: Dependencies, actor: Actor) -> str:
    sign_in_as(client, deps, actor)
    return csrf_of(client, "/customers")


def audit(engine: Engine, action: str) -> list[str]:
    with engine.connect() as connection:
        return [r[0] for r in connection.execute(
            text("SELECT entity_id FROM audit_events WHERE action = :a ORDER BY id"), {"a": action})]


def archived(engine: Engine) -> set[int]:
    with engine.connect() as connection:
        return {r[0] for r in connection.execute(text("SELECT id FROM customers WHERE archived_at IS NOT NULL"))}


class TestBulk:
    @pytest.fixture
    def ids(self, deps: Dependencies, team: Team) -> list[int]:
        """Two customers of the manager's department subtree, one of another department."""
        return [customer(deps, team.rep, "甲公司"), customer(deps, team.other, "乙公司"),
                customer(deps, team.far, "Far Away Ltd")]

    def test_confirmation_counts_only_customers_in_scope_and_changes_nothing(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team, ids: list[int]
    ) -> None:
        token = signed_in(client, deps, team.manager)

        response = client.post("/customers/bulk/archive", data={"csrf_token": token, "ids": [str(i) for i in ids]},
                               headers=CONFIRM)

        assert response.status_code == 200 and response.text.startswith('<div id="bulk-confirm">')
        assert "Archive 2 customers?" in response.text and "1 selected customer stays" in response.text
        assert "Far Away" not in response.text
        assert archived(engine) == set() and audit(engine, "customer.archived") == []

    def test_confirmed_archive_is_one_transaction_with_one_audit_per_customer(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team, ids: list[int]
    ) -> None:
        token = signed_in(client, deps, team.manager)

        response = client.post("/customers/bulk/archive", headers=RESULTS, data={
            "csrf_token": token, "ids": [str(i) for i in ids], "confirmed": "1", "q": "公司"})

        assert response.status_code == 200 and response.text.startswith('<section id="customer-results"')
        assert "2 customers changed. 1 selected customer was left as it was." in response.text
        assert archived(engine) == set(ids[:2])
        assert sorted(audit(engine, "customer.archived")) == sorted(str(i) for i in ids[:2])

    def test_without_javascript_the_change_redirects_to_the_same_list(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        mine = customer(deps, team.rep, "甲公司")
        token = signed_in(client, deps, team.rep)

        response = client.post("/customers/bulk/stage", data={
            "csrf_token": token, "ids": [str(mine)], "new_stage": "prospect", "confirmed": "1", "stage": "lead",
            "col": ["name", "tags"]})

        assert response.status_code == 303
        assert response.headers["Location"].endswith("/customers?stage=lead&col=name&col=tags")
        assert audit(engine, "customer.updated") == [str(mine)]

    def test_without_the_permission_it_is_refused_and_nothing_changes(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        mine = customer(deps, team.rep, "甲公司")
        token = signed_in(client, deps, team.rep)

        responses = [client.post(f"/customers/bulk/{action}", data={"csrf_token": token, "ids": [str(mine)],
                                                                    "confirmed": "1", "new_owner": "1"})
                     for action in ("archive", "assign")]

        assert [r.status_code for r in responses] == [403, 403]
        assert archived(engine) == set() and audit(engine, "customer.archived") == []

    def test_an_empty_selection_says_what_to_do(self, client: FlaskClient, deps: Dependencies, team: Team) -> None:
        token = signed_in(client, deps, team.rep)

        response = client.post("/customers/bulk/add-tag", data={"csrf_token": token, "tag_name": "VIP"},
                               headers=CONFIRM)

        assert response.status_code == 422 and "Select at least one customer" in response.text


class TestTags:
    def test_tag_added_on_the_detail_page_filters_the_list(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        tagged, plain = customer(deps, team.rep, "甲公司"), customer(deps, team.rep, "乙公司")
        token = signed_in(client, deps, team.rep)

        added = client.post(f"/customers/{tagged}/tags", data={"csrf_token": token, "tag": " ＶＩＰ "},
                            headers={"HX-Request": "true", "HX-Target": "customer-tags"})
        with engine.connect() as connection:
            tag_id = connection.execute(text("SELECT id FROM tags WHERE name = 'VIP'")).scalar_one()
        listed = client.get(f"/customers?tag={tag_id}")

        assert added.status_code == 200 and added.text.startswith('<section id="customer-tags"')
        assert "VIP" in added.text and audit(engine, "customer.tagged") == [str(tagged)]
        assert "甲公司" in listed.text and "乙公司" not in listed.text
        assert "乙公司" in client.get("/customers").text and plain

    def test_a_bad_name_gets_an_inline_error(self, client: FlaskClient, deps: Dependencies, team: Team) -> None:
        mine = customer(deps, team.rep, "甲公司")
        token = signed_in(client, deps, team.rep)

        response = client.post(f"/customers/{mine}/tags", data={"csrf_token": token, "tag": "x" * 41},
                               headers={"HX-Request": "true", "HX-Target": "customer-tags"})

        assert response.status_code == 422 and 'aria-invalid="true"' in response.text


class TestSavedViews:
    def save(self, client: FlaskClient, engine: Engine, token: str, name: str, share: str = "", **filters: str) -> int:
        response = client.post("/customers/views", data={"csrf_token": token, "name": name, "share": share} | filters)
        assert response.status_code == 303
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT max(id) FROM saved_views")).scalar_one())

    def test_a_private_view_is_a_tab_for_its_owner_and_404_for_anyone_else(
        self, app: Flask, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        owner, stranger = app.test_client(), app.test_client()
        token = signed_in(owner, deps, team.rep)
        other_token = signed_in(stranger, deps, team.other)
        view_id = self.save(owner, engine, token, "My leads", stage="lead", after="cursor")

        page = owner.get("/customers?stage=lead").text

        assert 'aria-current="page">My leads' in page and "/customers?stage=lead" in page
        assert stranger.get(f"/customers/views/{view_id}").status_code == 404
        assert stranger.post(f"/customers/views/{view_id}/delete", data={"csrf_token": other_token}).status_code == 404
        assert "My leads" not in stranger.get("/customers").text
        assert owner.get(f"/customers/views/{view_id}").headers["Location"].endswith("/customers?stage=lead")
        assert audit(engine, "saved_view.deleted") == []

    def test_a_shared_view_reaches_the_department_below_but_only_its_owner_manages_it(
        self, app: Flask, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        manager, rep, far = (app.test_client() for _ in range(3))
        token = signed_in(manager, deps, team.manager)
        rep_token, _ = signed_in(rep, deps, team.rep), signed_in(far, deps, team.far)
        view_id = self.save(manager, engine, token, "Team VIPs", "department", q="VIP")

        assert rep.get(f"/customers/views/{view_id}").status_code == 303
        assert "Team VIPs" in rep.get("/customers").text
        assert far.get(f"/customers/views/{view_id}").status_code == 404
        assert rep.post(f"/customers/views/{view_id}/rename", data={"csrf_token": rep_token, "name": "Mine"}
                        ).status_code == 404
        renamed = manager.post(f"/customers/views/{view_id}/rename", data={"csrf_token": token, "name": "VIP team"})
        deleted = manager.post(f"/customers/views/{view_id}/delete", data={"csrf_token": token})
        assert (renamed.status_code, deleted.status_code) == (303, 303)
        assert audit(engine, "saved_view.created") == audit(engine, "saved_view.deleted") == [str(view_id)]


class TestExport:
    @pytest.fixture
    def rows(self, deps: Dependencies, team: Team) -> list[int]:
        mine = [customer(deps, team.rep, name, phone="13812345678", email="boss@example.cn") for name in NASTY]
        customer(deps, team.far, "Far Away Ltd")
        return mine

    def export(self, client: FlaskClient, token: str, file_format: str) -> bytes:
        started = client.post("/customers/export", data={"csrf_token": token, "format": file_format, "q": ""},
                              headers=EXPORT)
        assert started.status_code == 200 and started.text.startswith('<div id="customer-export">')
        link = started.text.split('href="', 1)[1].split('"', 1)[0]
        download = client.get(link)
        assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
        return bytes(download.data)

    def test_csv_holds_only_scoped_rows_masked_and_formula_safe_and_is_audited(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team, rows: list[int]
    ) -> None:
        token = signed_in(client, deps, team.rep)

        data = self.export(client, token, "csv")

        assert data.startswith("\ufeff".encode())
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert sorted(r[0] for r in table[1:]) == sorted("'" + name for name in NASTY)
        assert {r[6] for r in table[1:]} == {"138****5678"} and {r[7] for r in table[1:]} == {"b***@example.cn"}
        assert b"Far Away" not in data and b"13812345678" not in data
        with engine.connect() as connection:
            after = connection.execute(text("SELECT after FROM audit_events WHERE action = 'customer.exported'")
                                       ).scalar_one()
        after = json.loads(after) if isinstance(after, str) else after
        assert (after["format"], after["rows"], after["filters"]["text"]) == ("csv", 4, "")

    def test_xlsx_opens_with_the_same_rows(self, client: FlaskClient, deps: Dependencies, team: Team,
                                           rows: list[int]) -> None:
        token = signed_in(client, deps, team.rep)

        csv_rows = list(csv.reader(io.StringIO(self.export(client, token, "csv").decode("utf-8-sig"))))
        sheet = load_workbook(io.BytesIO(self.export(client, token, "xlsx")), read_only=True).active
        assert sheet is not None
        xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]

        assert xlsx_rows == csv_rows

    def test_without_the_permission_no_job_starts(self, client: FlaskClient, deps: Dependencies, engine: Engine,
                                                  uow: SqlUnitOfWork) -> None:
        auditor = add_user(uow, "auditor", {"auditor"})
        token = signed_in(client, deps, auditor)

        assert client.post("/customers/export", data={"csrf_token": token}).status_code == 403
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM jobs")).scalar() == 0
