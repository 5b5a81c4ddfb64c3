"""The supplier list on SQLite and PostgreSQL: active search (name, credit code, bank account by blind index),
filters, document marks, keyset pages, htmx partial, and the lazily filled sections of the supplier page."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import Engine, text

from domain.contracts.reminders import local_today
from domain.suppliers.models import DocumentAlert, SupplierListQuery
from domain.suppliers.services import list_suppliers
from tests.integration.supplier_helpers import Office, days
from tests.supplier_builders import OTHER_CODE, SUPPLIER_CODE
from web.deps import Dependencies

RESULTS = {"HX-Request": "true", "HX-Target": "supplier-results"}


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Office:
    return Office(app, deps, engine)


@pytest.fixture
def three(office: Office) -> dict[str, int]:
    """Three suppliers, registered in this order (the list shows the newest first)."""
    client = office.client(office.buyer)
    return {"parts": office.register(client, "a"),
            "logistics": office.register(client, "b", name="北京宏达物流有限公司", credit_code=OTHER_CODE,
                                         category="logistics", bank_account="1100 2233 4455 66"),
            "acme": office.register(client, "c", name="ACME Office Supplies Ltd", credit_code="",
                                    category="office_supplies", bank_account="")}


def names(html: str) -> list[str]:
    rows = html.split('<tbody id="supplier-rows">', 1)[1].split("</tbody>", 1)[0]
    return [cell.split("</a>", 1)[0].rsplit(">", 1)[1] for cell in rows.split('<a href="/suppliers/')[1:]]


class TestSearch:
    def test_newest_first_with_rows_linking_to_their_page(self, office: Office, three: dict[str, int]) -> None:
        page = office.client(office.finance).get("/suppliers").text

        assert names(page) == ["ACME Office Supplies Ltd", "北京宏达物流有限公司", "上海精密零件有限公司"]
        assert f'<a href="/suppliers/{three["acme"]}">' in page

    @pytest.mark.parametrize(("term", "found"), [
        ("宏达", ["北京宏达物流有限公司"]), ("office supp", ["ACME Office Supplies Ltd"]),
        ("100%", []), (SUPPLIER_CODE.lower(), ["上海精密零件有限公司"]),
        ("6222021234567890123", ["上海精密零件有限公司"]), ("6222-0212-3456-7890-123", ["上海精密零件有限公司"]),
        ("62220212", []),  # part of an account finds nothing: the blind index matches whole numbers only
    ])
    def test_name_contains_or_exact_code_or_exact_account(self, office: Office, three: dict[str, int], term: str,
                                                          found: list[str]) -> None:
        response = office.client(office.finance).get("/suppliers", query_string={"q": term}, headers=RESULTS)

        assert "<html" not in response.text and names(response.text) == found

    def test_filters_by_status_and_category(self, office: Office, three: dict[str, int]) -> None:
        client = office.client(office.manager)
        office.post(client, f"/suppliers/{three['logistics']}/qualify", {"version": "1"})

        qualified = client.get("/suppliers?status=qualified").text
        offices = client.get("/suppliers?category=office_supplies").text
        junk = client.get("/suppliers?status=nonsense&category=toys").text

        assert names(qualified) == ["北京宏达物流有限公司"] and names(offices) == ["ACME Office Supplies Ltd"]
        assert len(names(junk)) == 3  # unknown filter values are ignored, not an error

    def test_keyset_pages_walk_forward_and_back(self, office: Office, deps: Dependencies,
                                                three: dict[str, int]) -> None:
        reader = deps.reader
        first = list_suppliers(SupplierListQuery(per_page=2), local_today(deps.clock), actor=office.finance,
                               uow=reader()).page
        second = list_suppliers(SupplierListQuery(per_page=2, after=first.next_cursor), local_today(deps.clock),
                                actor=office.finance, uow=reader()).page
        back = list_suppliers(SupplierListQuery(per_page=2, before=second.prev_cursor), local_today(deps.clock),
                              actor=office.finance, uow=reader()).page

        assert [s.name for s in first.items] == ["ACME Office Supplies Ltd", "北京宏达物流有限公司"]
        assert [s.name for s in second.items] == ["上海精密零件有限公司"] and second.next_cursor is None
        assert [s.id for s in back.items] == [s.id for s in first.items] and back.prev_cursor is None

    def test_the_next_link_keeps_the_filters(self, office: Office, engine: Engine) -> None:
        client = office.client(office.buyer)
        for n in range(52):
            _insert(engine, office, f"Bulk {n:02d}", "components", n)

        page = client.get("/suppliers?category=components").text

        assert len(names(page)) == 50 and 'rel="next"' in page and "category=components" in page.split('rel="next"')[1]


class TestDocumentMarks:
    def test_marks_and_filters_expiring_and_expired_documents(self, office: Office, deps: Dependencies,
                                                              three: dict[str, int]) -> None:
        today = local_today(deps.clock)
        office.add_document(three["parts"], days(today, 30))
        office.add_document(three["logistics"], days(today, -1))
        office.add_document(three["logistics"], days(today, 200))
        office.add_document(three["acme"], days(today, -10), removed=True)
        client = office.client(office.buyer)

        page = client.get("/suppliers").text
        expiring = client.get("/suppliers?documents=expiring").text
        expired = client.get("/suppliers?documents=expired").text

        assert page.count("Document expiring") == 1 and page.count("Document expired") == 1
        assert names(expiring) == ["上海精密零件有限公司"] and names(expired) == ["北京宏达物流有限公司"]

    def test_the_repository_reports_the_alert_and_earliest_date(self, office: Office, deps: Dependencies,
                                                                three: dict[str, int]) -> None:
        today = local_today(deps.clock)
        office.add_document(three["parts"], days(today, 59))
        office.add_document(three["parts"], days(today, 5))

        page = list_suppliers(SupplierListQuery(documents=DocumentAlert.EXPIRING), today, actor=office.buyer,
                              uow=deps.reader()).page

        assert [(s.alert, s.next_expiry) for s in page.items] == [(DocumentAlert.EXPIRING, days(today, 5))]


class TestDetailSections:
    def test_contract_and_order_sections_load_lazily_and_link_without_javascript(self, office: Office,
                                                                                  three: dict[str, int]) -> None:
        supplier_id = three["parts"]
        page = office.client(office.finance).get(f"/suppliers/{supplier_id}").text
        buyer_page = office.client(office.buyer).get(f"/suppliers/{supplier_id}").text

        for section in ("contracts", "orders"):
            assert f'hx-get="/suppliers/{supplier_id}/{section}" hx-trigger="load"' in page
            assert f'<a href="/suppliers/{supplier_id}/{section}">' in page  # the same list as a page, without JS
        assert f'hx-get="/suppliers/{supplier_id}/orders"' in buyer_page  # buyers read orders and contracts too

    def test_unknown_supplier_is_404(self, office: Office) -> None:
        assert office.client(office.buyer).get("/suppliers/999999").status_code == 404

    def test_nav_link_only_for_supplier_readers(self, office: Office) -> None:
        assert 'href="/suppliers"' in office.client(office.finance).get("/account").text
        assert 'href="/suppliers"' not in office.client(office.employee).get("/account").text


@pytest.mark.parametrize(("where", "indexes"), [
    ("status = 'qualified'", ("ix_suppliers_status_created", "ix_suppliers_created")),  # filter, or walk in order
    ("name ILIKE '%acme%'", ("ix_suppliers_name_trgm",))])
def test_list_queries_use_their_index_on_postgresql(engine: Engine, three: dict[str, int], where: str,
                                                    indexes: tuple[str, ...]) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    with engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # three rows: make the planner show what it could use
        plan = "\n".join(connection.execute(text(
            f"EXPLAIN SELECT id FROM suppliers WHERE {where} ORDER BY created_at DESC, id DESC LIMIT 51")).scalars())
    assert "Seq Scan on suppliers" not in plan and any(index in plan for index in indexes), plan


def _insert(engine: Engine, office: Office, name: str, category: str, minute: int) -> None:
    moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO suppliers (name, name_key, category, status, region, address, payment_terms, notes, "
            "bank_name, created_by, created_at, updated_at, version) VALUES (:n, :n, :c, 'pending', 'other', '', '', "
            "'', '', :u, :t, :t, 1)"), {"n": name, "c": category, "u": office.buyer.user_id,
                                        "t": moment.replace(tzinfo=None)})
