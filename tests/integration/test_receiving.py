"""Goods receipts through the views and the SQL adapter, on SQLite and PostgreSQL: partial then full receipt moves
the order's status, over-receipt is refused with a message, concurrent receipts never over-receive, lists and the
order's lazy section, scope 404s and permission 403s."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from adapters.sqlalchemy.tables import audit_events
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from domain.receiving.entry import LineEntry, ReceiptEntry
from domain.receiving.errors import OverReceipt
from domain.receiving.models import ReceiptListQuery
from domain.receiving.services import record_receipt
from domain.shared.numbering import NumberPattern
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.receiving_helpers import add_order, add_supplier, order_state
from web.deps import Dependencies

D = Decimal
DAY = NOW.date().isoformat()


@pytest.fixture
def people(engine: Engine) -> dict[str, Actor]:
    buying, other = add_department(engine, "Buying"), add_department(engine, "Elsewhere")
    people = {role: add_user(SqlUnitOfWork(engine), role, {role}, buying)
              for role in ("buyer", "finance", "employee", "procurement_manager")}
    people["stranger"] = add_user(SqlUnitOfWork(engine), "stranger", {"buyer"}, other)
    return people


@pytest.fixture
def order(engine: Engine, people: dict[str, Actor]) -> tuple[int, list[int]]:
    supplier = add_supplier(engine, people["buyer"])
    return add_order(engine, people["buyer"], supplier, ("螺栓 M8", "10", "1.20", 13), ("垫圈", "4", "0.30", 13))


def _as(client: FlaskClient, deps: Dependencies, actor: Actor) -> str:
    sign_in_as(client, deps, actor)
    return csrf_of(client, "/account")


def _receipt_form(csrf: str, lines: dict[int, tuple[str, str, str, str]], **extra: str) -> dict[str, object]:
    form: dict[str, object] = {"csrf_token": csrf, "received_on": DAY, "line_id": [str(i) for i in lines]}
    for line_id, (received, accepted, rejected, reason) in lines.items():
        form |= {f"received-{line_id}": received, f"accepted-{line_id}": accepted,
                 f"rejected-{line_id}": rejected, f"reason-{line_id}": reason}
    return form | extra


def test_a_partial_receipt_then_the_rest_moves_the_order_to_received(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    order_id, (bolts, washers) = order
    csrf = _as(client, deps, people["buyer"])
    form_page = client.get(f"/purchase-orders/{order_id}/receipts/new")
    assert form_page.status_code == 200 and "螺栓 M8" in form_page.text and f'name="received-{bolts}"' in form_page.text

    first = client.post(f"/purchase-orders/{order_id}/receipts", data=_receipt_form(
        csrf, {bolts: ("6", "", "1", "螺纹损坏"), washers: ("", "", "", "")}))

    assert first.status_code == 303
    assert order_state(engine, order_id)[0] == "partly_received"
    assert order_state(engine, order_id)[2] == [(D(6), D(5), D(0)), (D(0), D(0), D(0))]
    detail = client.get(first.headers["Location"])
    assert "GR-2026-00001" in detail.text and "螺纹损坏" in detail.text

    second = client.post(f"/purchase-orders/{order_id}/receipts", data=_receipt_form(
        csrf, {bolts: ("5", "", "", ""), washers: ("4", "4", "0", "")}))

    assert second.status_code == 303
    status, version, lines = order_state(engine, order_id)
    assert (status, version, lines) == ("received", 3, [(D(11), D(10), D(0)), (D(4), D(4), D(0))])
    assert _actions(engine) == ["goods_receipt.created", "purchase_order.received", "goods_receipt.created",
                                "purchase_order.received"]
    assert client.get(f"/purchase-orders/{order_id}/receipts/new").status_code == 409  # nothing left to receive


def test_over_receipt_is_refused_with_what_may_still_be_accepted(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _washers) = order
    csrf = _as(client, deps, people["buyer"])

    response = client.post(f"/purchase-orders/{order_id}/receipts",
                           data=_receipt_form(csrf, {bolts: ("10.5", "", "", "")}, notes="第一批"),
                           headers={"HX-Request": "true", "HX-Target": "receipt-form"})

    assert response.status_code == 422
    assert "At most 10 pcs more can be accepted on this line" in response.text and "tolerance 0 %" in response.text
    assert 'value="10.5"' in response.text and "第一批" in response.text  # nothing typed is lost
    assert "<html" not in response.text
    assert order_state(engine, order_id)[2][0] == (D(0), D(0), D(0))


def test_quantities_that_disagree_are_refused_and_kept(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _washers) = order
    csrf = _as(client, deps, people["buyer"])

    response = client.post(f"/purchase-orders/{order_id}/receipts",
                           data=_receipt_form(csrf, {bolts: ("5", "4", "2", "湿")}))

    assert response.status_code == 422
    assert "Accepted and rejected must add up to received" in response.text
    assert 'aria-invalid="true"' in response.text and 'value="湿"' in response.text


def test_concurrent_receipts_never_over_receive(engine: Engine, people: dict[str, Actor],
                                                order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _washers) = order
    entry = ReceiptEntry(DAY, "", (LineEntry(str(bolts), "6"),))
    pattern = NumberPattern.parse("GR-{year}-{seq:05d}", "goods_receipt")

    outcomes = _race(4, lambda: record_receipt(order_id, entry, actor=people["buyer"], uow=SqlUnitOfWork(engine),
                                               clock=_Clock(), pattern=pattern))

    assert sorted(type(o).__name__ for o in outcomes) == ["GoodsReceipt", "OverReceipt", "OverReceipt", "OverReceipt"]
    assert order_state(engine, order_id)[2][0] == (D(6), D(6), D(0))


def test_the_conditional_update_alone_refuses_a_concurrent_over_receipt(
        engine: Engine, order: tuple[int, list[int]]) -> None:
    _order_id, (bolts, _washers) = order

    def receive() -> bool:
        with SqlUnitOfWork(engine) as uow:
            done = uow.receiving.receive_line(bolts, D(6), D(0), D(10))
            uow.commit()
        return done

    assert sorted(_race(3, receive)) == [False, False, True]


def test_receipts_are_listed_searched_and_shown_per_order(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _washers) = order
    csrf = _as(client, deps, people["buyer"])
    client.post(f"/purchase-orders/{order_id}/receipts", data=_receipt_form(csrf, {bolts: ("3", "2", "1", "锈")}))
    sign_in_as(client, deps, people["finance"])  # purchase_order.read on every order, no receipt.create

    listed = client.get("/receipts?q=精工", headers={"HX-Request": "true", "HX-Target": "receipt-results"})
    fragment = client.get(f"/purchase-orders/{order_id}/receipts",
                          headers={"HX-Request": "true", "HX-Target": "order-receipts"})
    page = client.get(f"/purchase-orders/{order_id}/receipts")

    assert listed.status_code == 200 and "GR-2026-00001" in listed.text and "<html" not in listed.text
    assert "Some rejected" in listed.text
    assert "GR-2026-00001" not in client.get("/receipts?q=nobody").text
    assert "<html" not in fragment.text and "GR-2026-00001" in fragment.text
    assert "Record a receipt" not in fragment.text  # finance may not record receipts
    assert "<html" in page.text and "GR-2026-00001" in page.text
    assert "HX-Request" in listed.headers["Vary"]


def test_scope_and_permission_of_receipts(client: FlaskClient, deps: Dependencies, people: dict[str, Actor],
                                          order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _washers) = order
    csrf = _as(client, deps, people["buyer"])
    client.post(f"/purchase-orders/{order_id}/receipts", data=_receipt_form(csrf, {bolts: ("1", "", "", "")}))

    csrf = _as(client, deps, people["stranger"])  # a buyer of another department
    assert client.get(f"/purchase-orders/{order_id}/receipts/new").status_code == 404
    assert client.post(f"/purchase-orders/{order_id}/receipts",
                       data=_receipt_form(csrf, {bolts: ("1", "", "", "")})).status_code == 404
    assert client.get("/receipts/1").status_code == 404
    assert "GR-2026" not in client.get("/receipts").text
    csrf = _as(client, deps, people["finance"])
    assert client.get(f"/purchase-orders/{order_id}/receipts/new").status_code == 403
    assert client.post(f"/purchase-orders/{order_id}/receipts",
                       data=_receipt_form(csrf, {bolts: ("1", "", "", "")})).status_code == 403
    sign_in_as(client, deps, people["employee"])
    assert client.get("/receipts").status_code == 403


def test_a_draft_order_takes_no_receipt(client: FlaskClient, deps: Dependencies, engine: Engine,
                                        people: dict[str, Actor]) -> None:
    order_id, (line,) = add_order(engine, people["buyer"], add_supplier(engine, people["buyer"]),
                                  ("Bolts", "1", "1", 13), status="draft")
    csrf = _as(client, deps, people["buyer"])

    assert client.get(f"/purchase-orders/{order_id}/receipts/new").status_code == 409
    response = client.post(f"/purchase-orders/{order_id}/receipts", data=_receipt_form(csrf, {line: ("1", "", "", "")}))
    assert response.status_code == 409 and "takes no receipts" in response.text


class _Clock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW


def _race(count: int, work: Callable[[], object]) -> list[object]:
    """Run `work` in `count` threads released at once; each outcome is its result or the exception it raised."""
    start, outcomes, lock = threading.Barrier(count), [], threading.Lock()

    def run() -> None:
        start.wait()
        try:
            outcome: object = work()
        except OverReceipt as refused:
            outcome = refused
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(audit_events.c.action).where(
            audit_events.c.entity_type.in_(["goods_receipt", "purchase_order"])).order_by(audit_events.c.id)).scalars())


def test_the_receipt_list_pages_by_keyset_both_ways(engine: Engine, people: dict[str, Actor],
                                                    order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _washers) = order
    pattern = NumberPattern.parse("GR-{year}-{seq:05d}", "goods_receipt")
    for _ in range(3):
        record_receipt(order_id, ReceiptEntry(DAY, "", (LineEntry(str(bolts), "1"),)), actor=people["buyer"],
                       uow=SqlUnitOfWork(engine), clock=_Clock(), pattern=pattern)  # the same created_at: id decides

    def page(**cursor: str | None) -> tuple[list[str], str | None, str | None]:
        with SqlUnitOfWork(engine) as uow:
            found = uow.receiving.search(ReceiptListQuery(per_page=2, **cursor), people["buyer"])  # type: ignore[arg-type]
        return [r.number for r in found.items], found.next_cursor, found.prev_cursor

    first, after, before = page()
    second, after_second, before_second = page(after=after)
    back, _after_back, before_back = page(before=before_second)

    assert (first, before) == (["GR-2026-00003", "GR-2026-00002"], None)
    assert (second, after_second) == (["GR-2026-00001"], None)
    assert (back, before_back) == (first, None)
    with SqlUnitOfWork(engine) as uow:
        assert uow.receiving.search(ReceiptListQuery(per_page=2), people["stranger"]).items == []


@pytest.mark.parametrize("extra", [{"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}])
def test_boosted_and_history_restore_requests_get_whole_pages(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], order: tuple[int, list[int]],
        extra: dict[str, str]) -> None:
    order_id, _lines = order
    sign_in_as(client, deps, people["procurement_manager"])
    for url, target in (("/receipts", "receipt-results"), ("/invoices", "invoice-results"),
                        (f"/purchase-orders/{order_id}/receipts", "order-receipts"),
                        (f"/purchase-orders/{order_id}/invoices", "order-invoices")):
        response = client.get(url, headers={"HX-Request": "true", "HX-Target": target} | extra)
        assert response.status_code == 200 and "<html" in response.text, url
