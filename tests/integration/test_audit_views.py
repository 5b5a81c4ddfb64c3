"""The audit screen through the Flask test client: access, filters, paging, detail diff, CSV export."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select, text

from adapters.sqlalchemy.tables import audit_events
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.audit.models import AuditEvent
from domain.audit.verify import verify_chain
from domain.identity.models import Actor, Stage
from tests.builders import NOW
from tests.integration.conftest import add_user, csrf_of, sign_in_as
from web.deps import Dependencies

RESULTS = {"HX-Request": "true", "HX-Target": "audit-results"}


@pytest.fixture
def auditor(uow: SqlUnitOfWork) -> Actor:
    return add_user(uow, "auditor", {"auditor"})


@pytest.fixture
def rep(uow: SqlUnitOfWork) -> Actor:
    return add_user(uow, "rep", {"sales_rep"})


def record(uow: SqlUnitOfWork, action: str, actor: Actor | None = None, days: int = 0, **fields: Any) -> None:
    with uow:
        uow.audit.append(AuditEvent(action, NOW + timedelta(days=days), actor.user_id if actor else None,
                                    fields.pop("ip", "10.1.1.1"), **fields))
        uow.commit()


def actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_events ORDER BY seq")).scalars())


def rows_of(html: str) -> int:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")


class TestAccess:
    def test_an_auditor_sees_the_trail_and_the_nav_link(self, client: FlaskClient, deps: Dependencies,
                                                        auditor: Actor, uow: SqlUnitOfWork) -> None:
        record(uow, "customer.updated", auditor, entity_type="customer", entity_id="7",
               before={"stage": "lead"}, after={"stage": "customer"})
        sign_in_as(client, deps, auditor)

        page = client.get("/audit")

        assert page.status_code == 200 and 'href="/audit"' in page.text
        assert "2026-11-25T09:00:00Z" in page.text and "Auditor" in page.text and "10.1.1.1" in page.text
        assert "stage: lead → customer" in page.text and 'href="/customers/7"' in page.text

    def test_a_sales_rep_is_refused_and_the_denial_is_audited(self, client: FlaskClient, deps: Dependencies,
                                                              rep: Actor, engine: Engine) -> None:
        sign_in_as(client, deps, rep)

        assert 'href="/audit"' not in client.get("/customers").text
        for path in ("/audit", "/audit/1"):
            response = client.get(path)
            assert response.status_code == 403 and "audit.read" not in response.text

        assert actions(engine)[-2:] == ["access.denied", "access.denied"]

    def test_a_password_only_session_is_sent_to_sign_in(self, client: FlaskClient, deps: Dependencies,
                                                         auditor: Actor) -> None:
        sign_in_as(client, deps, auditor, stage=Stage.PASSWORD)

        response = client.get("/audit")

        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


class TestFilters:
    @pytest.fixture
    def signed_in(self, client: FlaskClient, deps: Dependencies, auditor: Actor, rep: Actor,
                  uow: SqlUnitOfWork) -> FlaskClient:
        record(uow, "customer.created", rep, 0, entity_type="customer", entity_id="1", after={"name": "甲"})
        record(uow, "customer.updated", rep, 2, entity_type="customer", entity_id="1", after={"name": "乙"})
        record(uow, "customer.updated", auditor, 2, entity_type="customer", entity_id="2", after={"name": "丙"})
        record(uow, "login.succeeded", rep, 4, entity_type="user", entity_id=str(rep.user_id))
        sign_in_as(client, deps, auditor)
        return client

    def test_actor_action_family_and_entity_narrow_the_list(self, signed_in: FlaskClient, rep: Actor) -> None:
        assert rows_of(signed_in.get("/audit").text) == 5  # with the auditor's own sign-in
        assert rows_of(signed_in.get(f"/audit?actor={rep.user_id}").text) == 3
        assert rows_of(signed_in.get(f"/audit?actor={rep.user_id}&action=customer.*").text) == 2
        assert rows_of(signed_in.get("/audit?action=customer.updated&entity=customer&entity_id=2").text) == 1

    def test_an_action_family_is_a_whole_dotted_prefix(self, signed_in: FlaskClient, uow: SqlUnitOfWork) -> None:
        record(uow, "customers.merged")
        record(uow, "customer")

        assert rows_of(signed_in.get("/audit?action=customer.*").text) == 3

    def test_the_form_shows_the_record_type_it_filters_by_procurement_included(self, signed_in: FlaskClient,
                                                                              uow: SqlUnitOfWork) -> None:
        record(uow, "supplier_invoice.accepted", entity_type="supplier_invoice", entity_id="3")
        record(uow, "saved_view.created", entity_type="saved_view", entity_id="4")

        page = signed_in.get("/audit?entity=supplier_invoice")
        typed = signed_in.get("/audit?entity=saved_view")

        assert rows_of(page.text) == 1 and '<option value="supplier_invoice" selected>' in page.text
        assert '<option value="supplier_invoice.*">' in page.text and '<option value="purchase_order">' in page.text
        assert rows_of(typed.text) == 1 and '<option value="saved_view" selected>' in typed.text  # kept, not "Any"

    def test_dates_are_whole_utc_days(self, signed_in: FlaskClient) -> None:
        assert rows_of(signed_in.get("/audit?from=2026-11-27&to=2026-11-27").text) == 2
        assert rows_of(signed_in.get("/audit?from=2026-11-28&to=2026-11-30").text) == 1

    def test_htmx_gets_only_the_results_and_malformed_filters_are_ignored(self, signed_in: FlaskClient) -> None:
        fragment = signed_in.get("/audit?action=customer.*&from=nonsense&actor=x", headers=RESULTS)

        assert fragment.text.lstrip().startswith('<section id="audit-results"') and "<html" not in fragment.text
        assert rows_of(fragment.text) == 3

    def test_pages_by_keyset_and_keeps_the_filters(self, client: FlaskClient, deps: Dependencies, auditor: Actor,
                                                   uow: SqlUnitOfWork) -> None:
        for n in range(55):
            record(uow, "customer.updated", auditor, entity_type="customer", entity_id=str(n))
        record(uow, "login.succeeded", auditor)
        sign_in_as(client, deps, auditor)

        first = client.get("/audit?action=customer.updated").text
        next_link = first.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        second = client.get(next_link).text

        assert rows_of(first) == 50 and "action=customer.updated" in next_link and rows_of(second) == 5
        assert 'rel="prev"' in second and 'rel="next"' not in second


class TestDetail:
    def test_shows_the_chain_fields_and_an_escaped_diff(self, client: FlaskClient, deps: Dependencies,
                                                        auditor: Actor, uow: SqlUnitOfWork, engine: Engine) -> None:
        record(uow, "customer.updated", auditor, entity_type="customer", entity_id="3",
               before={"name": "<b>old</b>", "stage": "lead"}, after={"name": "<script>x</script>", "stage": "lead"})
        with engine.connect() as connection:
            event_id, digest = connection.execute(text("SELECT id, hash FROM audit_events")).one()
        sign_in_as(client, deps, auditor)

        page = client.get(f"/audit/{event_id}").text

        assert digest in page and "0" * 64 in page
        assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
        assert '<tr class="changed"><th scope="row">name' in page and '<tr><th scope="row">stage' in page

    def test_an_unknown_record_is_404_with_nothing_in_the_body(self, client: FlaskClient, deps: Dependencies,
                                                               auditor: Actor) -> None:
        sign_in_as(client, deps, auditor)

        response = client.get("/audit/999999")

        assert response.status_code == 404 and "hash" not in response.text.lower()


class TestExport:
    def post(self, client: FlaskClient, **filters: str) -> Any:
        return client.post("/audit/export", data=filters | {"csrf_token": csrf_of(client, "/audit")})

    def test_exports_escaped_utf8_csv_and_audits_the_export(self, client: FlaskClient, deps: Dependencies,
                                                            auditor: Actor, uow: SqlUnitOfWork,
                                                            engine: Engine) -> None:
        evil = add_user(uow, "=evil", {"sales_rep"})
        record(uow, "customer.updated", evil, ip="-2", entity_type="customer", entity_id="+1+1",
               after={"name": "华宏"})
        record(uow, "login.succeeded", auditor, entity_type="user", entity_id="@SUM(1)")
        sign_in_as(client, deps, auditor)

        response = self.post(client, action="customer.*")

        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=\"audit-")
        assert response.headers["Cache-Control"] == "no-store"
        body = response.get_data().decode("utf-8")
        assert body.startswith("\ufeff")
        header, *rows = list(csv.reader(io.StringIO(body[1:])))
        assert len(rows) == 1 and header[4] == "Actor"
        assert rows[0][4:9] == ["'=Evil", "'-2", "customer.updated", "customer", "'+1+1"]
        assert "华宏" in rows[0][10]
        with engine.connect() as connection:
            exported = connection.execute(select(audit_events.c.actor_id, audit_events.c.after)
                                          .where(audit_events.c.action == "audit.exported")).one()
        assert exported.actor_id == auditor.user_id
        assert exported.after == {"filters": {"action": "customer.*"}, "rows": 1, "truncated": False}
        assert verify_chain(uow=SqlUnitOfWork(engine)).intact

    def test_a_stale_sign_in_must_confirm_first_and_nothing_is_exported(self, client: FlaskClient,
                                                                         deps: Dependencies, auditor: Actor,
                                                                         engine: Engine) -> None:
        sign_in_as(client, deps, auditor, fresh=False)

        response = self.post(client)

        assert response.status_code == 303 and response.headers["Location"].startswith("/account/reauth")
        assert "audit.exported" not in actions(engine)

    def test_a_sales_rep_cannot_export(self, client: FlaskClient, deps: Dependencies, rep: Actor,
                                       engine: Engine) -> None:
        sign_in_as(client, deps, rep)

        response = client.post("/audit/export", data={"csrf_token": csrf_of(client, "/customers")})

        assert response.status_code == 403 and "text/csv" not in response.content_type
        assert actions(engine)[-1] == "access.denied" and "audit.exported" not in actions(engine)

    def test_export_needs_csrf(self, client: FlaskClient, deps: Dependencies, auditor: Actor, engine: Engine) -> None:
        sign_in_as(client, deps, auditor)

        assert client.post("/audit/export").status_code == 400
        assert "audit.exported" not in actions(engine)
