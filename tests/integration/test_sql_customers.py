"""The SQL customer adapter on SQLite and PostgreSQL: scope, keyset paging, search, optimistic locking."""

import threading
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from adapters.sqlalchemy import customers as sql_customers
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import crypto_of
from domain.customers import services
from domain.customers.models import Customer, CustomerFields, CustomerListQuery, CustomerStage
from domain.identity.models import Actor
from domain.shared.errors import Conflict, StaleVersion
from tests.builders import NOW, customer_form
from tests.fakes import FakeClock
from tests.integration.conftest import add_department, add_user


def insert(uow: SqlUnitOfWork, owner: Actor, name: str, minutes: int = 0, department: int | None = None,
           code: str | None = None) -> int:
    fields = CustomerFields(name, code, "technology", "shanghai", CustomerStage.LEAD, owner.user_id, None, None)
    created = NOW + timedelta(minutes=minutes)
    with uow:
        customer_id = uow.customers.add(Customer(None, fields, department, created, created, owner.user_id))
        uow.commit()
    return customer_id


def names(uow: SqlUnitOfWork, actor: Actor, **query: object) -> list[str]:
    with uow:
        return [c.name for c in uow.customers.search(CustomerListQuery(**query), actor).items]  # type: ignore[arg-type]


class TestScope:
    def test_each_scope_loads_only_what_it_may_see(self, engine: Engine, uow: SqlUnitOfWork) -> None:
        sales = add_department(engine, "Sales")
        east = add_department(engine, "East", sales)
        west = add_department(engine, "West")
        rep = add_user(uow, "rep", {"sales_rep"}, east)
        colleague = add_user(uow, "colleague", {"sales_rep"}, east)
        stranger = add_user(uow, "stranger", {"sales_rep"}, west)
        manager = add_user(uow, "manager", {"sales_manager"}, sales)
        admin = add_user(uow, "admin", {"administrator"})
        nobody = add_user(uow, "nobody", set())
        insert(uow, rep, "Rep Co", 1, east)
        insert(uow, colleague, "Colleague Co", 2, east)
        other_id = insert(uow, stranger, "Stranger Co", 3, west)

        assert names(uow, rep) == ["Rep Co"]
        assert names(uow, manager) == ["Colleague Co", "Rep Co"]
        assert names(uow, admin) == ["Stranger Co", "Colleague Co", "Rep Co"]
        assert names(uow, nobody) == []
        with uow:
            assert uow.customers.get(other_id, manager) is None
            assert uow.customers.get(other_id, admin) is not None


class TestKeysetPagination:
    @pytest.fixture
    def owner(self, uow: SqlUnitOfWork) -> Actor:
        return add_user(uow, "admin", {"administrator"})

    def test_next_and_previous_links_visit_every_row_once(self, uow: SqlUnitOfWork, owner: Actor) -> None:
        for i in range(23):
            insert(uow, owner, f"Company {i:02d}", minutes=i % 7)  # ties in created_at: the id breaks them
        seen, pages, cursor = [], [], None
        while True:
            with uow:
                page = uow.customers.search(CustomerListQuery(after=cursor, per_page=5), owner)
            pages.append(page)
            seen += [c.id for c in page.items]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        with uow:
            back = uow.customers.search(CustomerListQuery(before=pages[-1].prev_cursor, per_page=5), owner)

        assert len(seen) == 23 == len(set(seen)) and len(pages) == 5
        assert pages[0].prev_cursor is None
        assert [c.id for c in back.items] == [c.id for c in pages[-2].items]
        with uow:
            first = uow.customers.search(CustomerListQuery(before=pages[1].prev_cursor, per_page=5), owner)
        assert first.prev_cursor is None and [c.id for c in first.items] == [c.id for c in pages[0].items]

    def test_name_sort_pages_in_name_order(self, uow: SqlUnitOfWork, owner: Actor) -> None:
        for name in ("delta", "alpha", "charlie", "bravo", "echo"):
            insert(uow, owner, name)
        with uow:
            page = uow.customers.search(CustomerListQuery(sort="name", per_page=2), owner)
            rest = uow.customers.search(CustomerListQuery(sort="name", per_page=2, after=page.next_cursor), owner)
            last = uow.customers.search(CustomerListQuery(sort="-name", per_page=2), owner)

        assert [c.name for c in page.items + rest.items] == ["alpha", "bravo", "charlie", "delta"]
        assert [c.name for c in last.items] == ["echo", "delta"]

    def test_filters_combine_with_the_cursor(self, uow: SqlUnitOfWork, owner: Actor) -> None:
        other = add_user(uow, "other", {"sales_rep"})
        for i in range(6):
            insert(uow, owner if i % 2 else other, f"C{i}", minutes=i)

        assert names(uow, owner, owner_id=other.user_id) == ["C4", "C2", "C0"]
        assert names(uow, owner, owner_id=other.user_id, stage=CustomerStage.CUSTOMER) == []

    def test_a_tampered_cursor_is_ignored_not_an_error(self, uow: SqlUnitOfWork, owner: Actor) -> None:
        insert(uow, owner, "Only")

        assert names(uow, owner, after="'; DROP TABLE customers; --") == ["Only"]


class TestSearch:
    @pytest.fixture
    def owner(self, uow: SqlUnitOfWork) -> Actor:
        actor = add_user(uow, "admin", {"administrator"})
        for i, name in enumerate(["上海华宏科技有限公司", "北京华宏贸易有限公司", "Kestrel Cobalt Logistics GmbH",
                                  "100% Widgets Ltd", "Under_score Inc", "Meridian Foods AG"]):
            insert(uow, actor, name, minutes=i, code="91350100M000100Y43" if i == 5 else None)
        return actor

    @pytest.mark.parametrize(("term", "expected"), [
        ("华宏", ["北京华宏贸易有限公司", "上海华宏科技有限公司"]),  # 2 CJK characters: LIKE path
        ("华宏科技", ["上海华宏科技有限公司"]),  # trigram index path
        ("cobalt", ["Kestrel Cobalt Logistics GmbH"]),  # case-insensitive
        ("%", ["100% Widgets Ltd"]), ("_", ["Under_score Inc"]),  # wildcards are literal
        ("91350100m000100y43", ["Meridian Foods AG"]),  # exact credit code
        ("no such company", []),
    ])
    def test_finds_names_and_codes(self, uow: SqlUnitOfWork, owner: Actor, term: str, expected: list[str]) -> None:
        assert names(uow, owner, text=term) == expected

    def test_dense_terms_fall_back_to_an_ordered_scan_with_the_same_answer(
            self, uow: SqlUnitOfWork, owner: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
        sparse = names(uow, owner, text="有限公司")
        monkeypatch.setattr(sql_customers, "_DENSE_HITS", 1)

        assert names(uow, owner, text="有限公司") == sparse == ["北京华宏贸易有限公司", "上海华宏科技有限公司"]

    def test_renamed_customer_is_found_by_its_new_name_only(self, uow: SqlUnitOfWork, owner: Actor) -> None:
        with uow:
            customer = uow.customers.get(1, owner)
            assert customer is not None
            renamed = replace(customer, fields=replace(customer.fields, name="深圳腾飞电子有限公司"), version=2)
            assert uow.customers.update(renamed, 1)
            uow.commit()

        assert names(uow, owner, text="腾飞电子") == ["深圳腾飞电子有限公司"]
        assert names(uow, owner, text="华宏科技") == []


class TestWrites:
    def test_version_guard_refuses_a_stale_write(self, uow: SqlUnitOfWork) -> None:
        owner = add_user(uow, "admin", {"administrator"})
        customer_id = insert(uow, owner, "Versioned")
        with uow:
            customer = uow.customers.get(customer_id, owner)
            assert customer is not None
            assert uow.customers.update(replace(customer, version=2), 1)
            assert not uow.customers.update(replace(customer, version=3), 1)
            uow.commit()

    def test_uncommitted_customer_and_audit_vanish_together(self, uow: SqlUnitOfWork, engine: Engine) -> None:
        owner = add_user(uow, "admin", {"administrator"})
        with uow:
            insert_without_commit = Customer(None, CustomerFields("Ghost", None, "other", "other", CustomerStage.LEAD,
                                                                  owner.user_id, None, None), None, NOW, NOW,
                                             owner.user_id)
            uow.customers.add(insert_without_commit)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 0

    def test_parallel_double_submit_creates_one_customer(self, uow: SqlUnitOfWork, engine: Engine,
                                                          tmp_path: Path) -> None:
        owner = add_user(uow, "admin", {"administrator"})
        results: list[object] = []

        def submit() -> None:
            try:
                results.append(services.register_customer(customer_form(owner_id=str(owner.user_id)), "token-1",
                                                           actor=owner, uow=SqlUnitOfWork(engine, crypto_of(tmp_path)),
                                                           clock=FakeClock()))
            except Exception as error:
                results.append(error)

        threads = [threading.Thread(target=submit) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 1
        created = {r.id for r in results if isinstance(r, Customer)}
        assert len(created) == 1 and len(results) == 6
        assert all(isinstance(r, Customer | Conflict) for r in results), results

    def test_concurrent_edits_one_wins_one_gets_stale_version(self, uow: SqlUnitOfWork) -> None:
        owner = add_user(uow, "admin", {"administrator"})
        customer = services.register_customer(customer_form(owner_id=str(owner.user_id)), "", actor=owner, uow=uow,
                                               clock=FakeClock())
        services.update_customer(customer.id or 0, customer_form(owner_id=str(owner.user_id), stage="prospect"), 1,
                                 actor=owner, uow=uow, clock=FakeClock())

        with pytest.raises(StaleVersion):
            services.update_customer(customer.id or 0, customer_form(owner_id=str(owner.user_id), stage="lost"), 1,
                                     actor=owner, uow=uow, clock=FakeClock())
