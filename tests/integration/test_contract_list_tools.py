"""The contract list plugged into the generic list tools, on SQLite and PostgreSQL: saved views (never seen
through another list) and export (scope, formula-safe cells, audit, step-up)."""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.contract_helpers import add_contract
from web.deps import Dependencies

EXPORT = {"HX-Request": "true", "HX-Target": "contract-export"}


@dataclass
class Team:
    rep: Actor
    manager: Actor
    far: Actor


@pytest.fixture
def team(engine: Engine, uow: SqlUnitOfWork) -> Team:
    sales = add_department(engine, "Sales")
    west = add_department(engine, "West")
    return Team(add_user(uow, "rep", {"sales_rep"}, sales), add_user(uow, "manager", {"sales_manager"}, sales),
                add_user(uow, "far", {"sales_rep"}, west))


def signed_in(client: FlaskClient, deps: Dependencies, actor: Actor, fresh: bool = True) -> str:
    sign_in_as(client, deps, actor, fresh=fresh)
    return csrf_of(client, "/contracts")


def view_ids(engine: Engine, list_key: str) -> list[int]:
    with engine.connect() as connection:
        return [r[0] for r in connection.execute(
            text("SELECT id FROM saved_views WHERE list_key = :k ORDER BY id"), {"k": list_key})]


def tabs(page: str) -> str:
    """The saved-view tabs of a list page."""
    return page.split('<nav class="view-tabs"', 1)[1].split("</nav>", 1)[0]


def exported(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT after FROM audit_events WHERE action = 'contract.exported'")).scalars()
        return [json.loads(r) if isinstance(r, str) else r for r in rows]


class TestSavedViews:
    def save(self, client: FlaskClient, token: str, url: str, name: str, **filters: str) -> None:
        response = client.post(url, data={"csrf_token": token, "name": name} | filters)
        assert response.status_code == 303

    def test_a_contract_view_is_a_tab_of_the_contract_list_only(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        token = signed_in(client, deps, team.rep)

        self.save(client, token, "/contracts/views", "Drafts", status="draft", after="cursor", sort="name")
        self.save(client, token, "/customers/views", "Leads", stage="lead")
        contract_view, customer_view = view_ids(engine, "contracts")[0], view_ids(engine, "customers")[0]

        contracts_tabs, customers_tabs = tabs(client.get("/contracts?status=draft").text), tabs(
            client.get("/customers").text)
        assert 'aria-current="page">Drafts' in contracts_tabs and "Leads" not in contracts_tabs
        assert "Leads" in customers_tabs and "Drafts" not in customers_tabs
        assert client.get(f"/contracts/views/{contract_view}").headers["Location"].endswith("/contracts?status=draft")
        assert client.get(f"/contracts/views/{customer_view}").status_code == 404
        assert client.get(f"/customers/views/{contract_view}").status_code == 404

    def test_another_lists_view_cannot_be_renamed_or_deleted_through_this_list(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        token = signed_in(client, deps, team.rep)
        self.save(client, token, "/customers/views", "Leads", stage="lead")
        customer_view = view_ids(engine, "customers")[0]

        renamed = client.post(f"/contracts/views/{customer_view}/rename", data={"csrf_token": token, "name": "X"})
        deleted = client.post(f"/contracts/views/{customer_view}/delete", data={"csrf_token": token})

        assert (renamed.status_code, deleted.status_code) == (404, 404)
        assert view_ids(engine, "customers") == [customer_view]
        assert 'aria-current="page">Leads' in tabs(client.get("/customers?stage=lead").text)

    def test_a_bad_name_shows_the_list_again_with_the_message(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team
    ) -> None:
        token = signed_in(client, deps, team.rep)

        response = client.post("/contracts/views", data={"csrf_token": token, "name": "  ", "status": "active"})

        assert response.status_code == 422 and 'aria-invalid="true"' in response.text
        assert "Fill in this field." in response.text and 'id="contract-results"' in response.text
        assert view_ids(engine, "contracts") == []

    def test_without_contract_read_nothing_is_saved(self, client: FlaskClient, deps: Dependencies, engine: Engine,
                                                    uow: SqlUnitOfWork) -> None:
        employee = add_user(uow, "employee", {"employee"})
        sign_in_as(client, deps, employee)
        token = csrf_of(client, "/account")

        assert client.post("/contracts/views", data={"csrf_token": token, "name": "Mine"}).status_code == 403
        assert view_ids(engine, "contracts") == []


class TestExport:
    @pytest.fixture
    def contracts(self, engine: Engine, team: Team) -> list[int]:
        mine = [add_contract(engine, team.rep, title=title, amount=Decimal("1234.5"))
                for title in ('=HYPERLINK("http://evil","x")', "年度维护", "+1+1")]
        add_contract(engine, team.far, title="Far away")
        return mine

    def export(self, client: FlaskClient, token: str, file_format: str, **filters: str) -> bytes:
        started = client.post("/contracts/export", data={"csrf_token": token, "format": file_format} | filters,
                              headers=EXPORT)
        assert started.status_code == 200 and started.text.startswith('<div id="contract-export">')
        link = started.text.split('href="', 1)[1].split('"', 1)[0]
        download = client.get(link)
        assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
        assert "contracts-" in download.headers["Content-Disposition"]
        return bytes(download.data)

    def test_csv_holds_the_filtered_rows_in_scope_formula_safe_and_is_audited(
        self, client: FlaskClient, deps: Dependencies, engine: Engine, team: Team, contracts: list[int]
    ) -> None:
        token = signed_in(client, deps, team.rep)

        table = list(csv.reader(io.StringIO(self.export(client, token, "csv", status="active").decode("utf-8-sig"))))

        assert table[0][:5] == ["Contract number", "Title", "Kind", "Party", "Amount"]
        assert sorted(r[1] for r in table[1:]) == sorted(["'=HYPERLINK(\"http://evil\",\"x\")", "年度维护", "'+1+1"])
        assert {(r[2], r[4], r[5], r[6]) for r in table[1:]} == {("Sales contract", "1234.50", "CNY", "Active")}
        assert "Far away" not in {r[1] for r in table[1:]}
        assert exported(engine) == [{"filters": {"text": "", "status": "active", "owner_id": None, "customer_id": None,
                                                 "kind": None, "supplier_id": None}, "format": "csv", "rows": 3}]

    def test_xlsx_has_the_same_rows_and_filters_apply(
        self, client: FlaskClient, deps: Dependencies, team: Team, contracts: list[int]
    ) -> None:
        token = signed_in(client, deps, team.rep)

        csv_rows = list(csv.reader(io.StringIO(self.export(client, token, "csv").decode("utf-8-sig"))))
        sheet = load_workbook(io.BytesIO(self.export(client, token, "xlsx")), read_only=True).active
        assert sheet is not None
        xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        searched = list(csv.reader(io.StringIO(self.export(client, token, "csv", q="年度").decode("utf-8-sig"))))

        assert xlsx_rows == csv_rows and len(csv_rows) == 4
        assert [r[1] for r in searched[1:]] == ["年度维护"]

    def test_needs_a_fresh_sign_in_and_contract_read(
        self, app: Flask, deps: Dependencies, engine: Engine, team: Team, uow: SqlUnitOfWork, contracts: list[int]
    ) -> None:
        stale, stranger = app.test_client(), app.test_client()
        token = signed_in(stale, deps, team.rep, fresh=False)
        sign_in_as(stranger, deps, add_user(uow, "employee", {"employee"}))

        step_up = stale.post("/contracts/export", data={"csrf_token": token, "format": "csv"})
        refused = stranger.post("/contracts/export", data={"csrf_token": csrf_of(stranger, "/account"),
                                                           "format": "csv"})

        assert step_up.status_code == 303 and "/account/reauth" in step_up.headers["Location"]
        assert refused.status_code == 403
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM jobs")).scalar() == 0
        assert exported(engine) == []

    def test_an_unknown_format_is_refused_with_a_message(self, client: FlaskClient, deps: Dependencies,
                                                         engine: Engine, team: Team) -> None:
        token = signed_in(client, deps, team.rep)

        response = client.post("/contracts/export", data={"csrf_token": token, "format": "pdf"}, headers=EXPORT)

        assert response.status_code == 400 and "offered%20options" in response.headers["X-Houtai-Message"]
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM jobs")).scalar() == 0

    def test_the_list_page_offers_the_tools_to_those_who_may_use_them(
        self, client: FlaskClient, deps: Dependencies, team: Team, contracts: list[int]
    ) -> None:
        signed_in(client, deps, team.rep)

        page = client.get("/contracts?status=active").text

        assert 'formaction="/contracts/export"' in page and 'form="contract-bulk"' in page
        assert '<input type="hidden" name="status" value="active">' in page
        assert 'id="bulk-bar"' not in page and "data-row-select" not in page  # no bulk actions on contracts
