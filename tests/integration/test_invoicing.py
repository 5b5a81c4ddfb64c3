"""Supplier invoices and the exception queue through the views, on SQLite and PostgreSQL: a matched invoice is
ready to pay; one above the price tolerance waits in the queue until finance resolves it (audited); rejecting frees
its quantities; duplicates are refused with a link; scope 404s, permission 403s, stale 409s, missing reasons 422;
an order with an invoice is not cancelled, even when the two race."""

import re
import threading
from collections.abc import Callable
from decimal import Decimal
from functools import partial

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from adapters.sqlalchemy.tables import audit_events, supplier_invoices
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from domain.invoicing.entry import InvoiceEntry, InvoiceLineEntry
from domain.invoicing.services import record_invoice
from domain.purchasing.workflow import cancel_order
from domain.shared.errors import InvalidTransition
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.receiving_helpers import add_order, add_supplier, order_state
from web.deps import Dependencies

D = Decimal
HTMX = {"HX-Request": "true"}


@pytest.fixture
def people(engine: Engine) -> dict[str, Actor]:
    buying, other = add_department(engine, "Buying"), add_department(engine, "Elsewhere")
    people = {name: add_user(SqlUnitOfWork(engine), name, {role}, buying)
              for name, role in (("buyer", "buyer"), ("clerk", "finance"), ("controller", "finance"))}
    people["stranger"] = add_user(SqlUnitOfWork(engine), "stranger", {"buyer"}, other)
    return people


@pytest.fixture
def order(engine: Engine, people: dict[str, Actor]) -> tuple[int, list[int]]:
    """A partly received order: 10 of 10 bolts accepted at ¥10.00, nothing of the 5 nuts yet."""
    order_id, lines = add_order(engine, people["buyer"], add_supplier(engine, people["buyer"]),
                                ("Bolts", "10", "10.00", 13), ("Nuts", "5", "2.00", 13), status="partly_received")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE purchase_order_lines SET accepted_quantity = 10, received_quantity = 10 "
                                   f"WHERE id = {lines[0]}")
    return order_id, lines


def _as(client: FlaskClient, deps: Dependencies, actor: Actor) -> str:
    sign_in_as(client, deps, actor)
    return csrf_of(client, "/account")


def _invoice(csrf: str, order_id: int, lines: dict[int, tuple[str, str]], number: str = "04400012",
             **extra: str) -> dict[str, object]:
    form: dict[str, object] = {"csrf_token": csrf, "order": str(order_id), "number": number,
                               "invoice_date": NOW.date().isoformat(), "line_id": [str(i) for i in lines]}
    for line_id, (quantity, price) in lines.items():
        form |= {f"quantity-{line_id}": quantity, f"unit_price-{line_id}": price, f"tax_rate-{line_id}": "13"}
    return form | extra


def _record(client: FlaskClient, csrf: str, order_id: int, lines: dict[int, tuple[str, str]], **extra: str) -> int:
    response = client.post("/invoices", data=_invoice(csrf, order_id, lines, **extra))
    assert response.status_code == 303, response.text
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_matched_invoice_is_ready_to_pay(client: FlaskClient, deps: Dependencies, engine: Engine,
                                           people: dict[str, Actor], order: tuple[int, list[int]]) -> None:
    order_id, (bolts, nuts) = order
    csrf = _as(client, deps, people["clerk"])
    form = client.get(f"/invoices/new?order={order_id}")
    assert form.status_code == 200 and f'name="quantity-{bolts}"' in form.text

    invoice_id = _record(client, csrf, order_id, {bolts: ("10", "10.20"), nuts: ("", "")}, printed_total="115.26")

    assert _status(engine, invoice_id) == "matched"
    assert order_state(engine, order_id)[2] == [(D(10), D(10), D(10)), (D(0), D(0), D(0))]
    page = client.get(f"/invoices/{invoice_id}")
    assert "Ready to pay" in page.text and "as ordered and received" in page.text
    assert "壹佰壹拾伍元贰角陆分" in page.text
    ready = client.get("/invoices?ready=1", headers=HTMX | {"HX-Target": "invoice-results"})
    assert "04400012" in ready.text and "<html" not in ready.text
    assert "04400012" not in client.get("/invoices?status=exception").text
    assert "04400012" in client.get("/invoices?q=04400012").text and "04400012" in client.get("/invoices?q=精工").text
    assert "04400012" not in client.get("/invoices?q=nothing").text


def test_an_invoice_above_the_price_tolerance_waits_until_finance_accepts_it(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order
    csrf = _as(client, deps, people["clerk"])
    invoice_id = _record(client, csrf, order_id, {bolts: ("10", "10.80")})
    assert _status(engine, invoice_id) == "exception"
    own_view = client.get("/invoices/exceptions").text
    assert "a colleague accepts it" in own_view and f"/invoices/{invoice_id}/accept" not in own_view

    later = _record(client, csrf, order_id, {bolts: ("1", "10")}, number="04400099")  # nothing left accepted
    csrf = _as(client, deps, people["controller"])
    queue = client.get("/invoices/exceptions")
    assert queue.text.index("04400012") < queue.text.index("04400099")  # oldest first
    assert "11 invoiced in all (10 on earlier invoices) but 10 accepted" in queue.text
    assert "price 10.80 is 8.0 % above the order&#39;s 10.00; tolerance 2 %" in queue.text
    assert re.search(r'id="nav-exceptions">Exceptions \(2\)', queue.text)

    missing = client.post(f"/invoices/{invoice_id}/accept", data={"csrf_token": csrf, "version": "1",
                                                                  "accept_reason": " "},
                          headers=HTMX | {"HX-Target": f"invoice-{invoice_id}"})
    assert missing.status_code == 422 and "Give the reason" in missing.text and "<html" not in missing.text
    accepted = client.post(f"/invoices/{invoice_id}/accept", data={
        "csrf_token": csrf, "version": "1", "accept_reason": "运费已含，电话确认"},
        headers=HTMX | {"HX-Target": f"invoice-{invoice_id}"})

    assert accepted.status_code == 200 and "data-resolved" in accepted.text and "ready to pay" in accepted.text
    assert re.search(r'id="nav-exceptions" hx-swap-oob="true"[^>]*>Exceptions \(1\)', accepted.text)
    assert _status(engine, later) == "exception"
    assert _status(engine, invoice_id) == "accepted"
    assert _audit(engine, invoice_id) == [("supplier_invoice.recorded", None),
                                          ("supplier_invoice.accepted", {"status": "accepted",
                                                                         "reason": "运费已含，电话确认"})]
    stale = client.post(f"/invoices/{invoice_id}/reject", data={"csrf_token": csrf, "version": "1",
                                                                "reject_reason": "no"})
    assert stale.status_code == 303 and _status(engine, invoice_id) == "accepted"


def test_the_recorder_may_not_accept_and_a_stale_page_is_refused(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order
    csrf = _as(client, deps, people["clerk"])
    invoice_id = _record(client, csrf, order_id, {bolts: ("10", "11")})

    assert client.post(f"/invoices/{invoice_id}/accept", data={
        "csrf_token": csrf, "version": "1", "accept_reason": "mine"}).status_code == 403
    csrf = _as(client, deps, people["controller"])
    stale = client.post(f"/invoices/{invoice_id}/accept", data={"csrf_token": csrf, "version": "7",
                                                                "accept_reason": "ok"},
                        headers=HTMX | {"HX-Target": f"invoice-{invoice_id}"})
    assert stale.status_code == 409 and "changed since the page was loaded" in stale.text
    assert _status(engine, invoice_id) == "exception"


def test_rejecting_an_invoice_frees_its_quantities(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                   people: dict[str, Actor], order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order
    csrf = _as(client, deps, people["clerk"])
    invoice_id = _record(client, csrf, order_id, {bolts: ("12", "10")})
    assert order_state(engine, order_id)[2][0][2] == D(12)

    response = client.post(f"/invoices/{invoice_id}/reject", data={"csrf_token": csrf, "version": "1",
                                                                   "reject_reason": "数量多开，已要求红冲"})

    assert response.status_code == 303 and _status(engine, invoice_id) == "rejected"
    assert order_state(engine, order_id)[2][0][2] == D(0)
    corrected = _record(client, csrf, order_id, {bolts: ("10", "10")}, number="04400013")
    assert _status(engine, corrected) == "matched"


def test_a_duplicate_number_is_refused_with_a_link_to_the_first(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order
    csrf = _as(client, deps, people["clerk"])
    first = _record(client, csrf, order_id, {bolts: ("1", "10")}, number="No. 77")

    again = client.post("/invoices", data=_invoice(csrf, order_id, {bolts: ("1", "10")}, number="no.  77"))

    assert again.status_code == 422 and "recorded already" in again.text and f'href="/invoices/{first}"' in again.text
    assert 'value="no.  77"' in again.text
    assert order_state(engine, order_id)[2][0][2] == D(1)


def test_typing_errors_and_a_wrong_printed_total_keep_what_was_typed(
        client: FlaskClient, deps: Dependencies, people: dict[str, Actor], order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order
    csrf = _as(client, deps, people["clerk"])

    response = client.post("/invoices", data=_invoice(csrf, order_id, {bolts: ("10", "10")}, printed_total="1,130"))
    preview = client.post(f"/invoices/preview?order={order_id}", data=_invoice(csrf, order_id, {bolts: ("10", "11")}),
                          headers=HTMX | {"HX-Target": "invoice-preview"})

    assert response.status_code == 422 and "The lines add up to another gross total" in response.text
    assert "113.00" in response.text and 'value="1,130"' in response.text
    assert preview.status_code == 200 and "10.0 % above" in preview.text and "124.30" in preview.text


def test_scope_and_permission_of_invoices(client: FlaskClient, deps: Dependencies, people: dict[str, Actor],
                                          order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order
    csrf = _as(client, deps, people["clerk"])
    invoice_id = _record(client, csrf, order_id, {bolts: ("1", "10")})

    csrf = _as(client, deps, people["buyer"])  # reads invoices of the department's orders, records none
    assert "04400012" in client.get(f"/purchase-orders/{order_id}/invoices",
                                    headers=HTMX | {"HX-Target": "order-invoices"}).text
    assert client.get(f"/invoices/{invoice_id}").status_code == 200
    assert client.get(f"/invoices/new?order={order_id}").status_code == 403
    assert client.post("/invoices", data=_invoice(csrf, order_id, {bolts: ("1", "10")})).status_code == 403
    assert client.get("/invoices/exceptions").status_code == 403
    csrf = _as(client, deps, people["stranger"])
    assert client.get(f"/invoices/{invoice_id}").status_code == 404
    assert client.get(f"/purchase-orders/{order_id}/invoices").status_code == 404
    assert "04400012" not in client.get("/invoices").text


def test_orders_not_sent_are_not_offered_and_refuse_invoices(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor],
        order: tuple[int, list[int]]) -> None:
    draft, (line,) = add_order(engine, people["buyer"], add_supplier(engine, people["buyer"], "Draft Co"),
                               ("X", "1", "1", 13), status="draft", number="PO-DRAFT-1")
    csrf = _as(client, deps, people["clerk"])

    choices = client.get("/invoices/new?q=", headers=HTMX | {"HX-Target": "order-choices"})
    refused = client.post("/invoices", data=_invoice(csrf, draft, {line: ("1", "1")}))

    assert f"/invoices/new?order={order[0]}" in choices.text and "PO-DRAFT-1" not in choices.text
    assert refused.status_code == 409 and "takes no invoices" in refused.text


def _status(engine: Engine, invoice_id: int) -> str:
    with engine.connect() as connection:
        return str(connection.execute(select(supplier_invoices.c.status)
                                      .where(supplier_invoices.c.id == invoice_id)).scalar_one())


def _audit(engine: Engine, invoice_id: int) -> list[tuple[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(select(audit_events.c.action, audit_events.c.after).where(
            audit_events.c.entity_type == "supplier_invoice", audit_events.c.entity_id == str(invoice_id))
            .order_by(audit_events.c.id))
        return [(row.action, None if row.action.endswith("recorded") else row.after) for row in rows]


def test_concurrent_invoices_of_one_line_are_matched_one_after_the_other(
        engine: Engine, people: dict[str, Actor], order: tuple[int, list[int]]) -> None:
    order_id, (bolts, _nuts) = order

    def record(number: str) -> object:
        entry = InvoiceEntry(number, NOW.date().isoformat(), "", (InvoiceLineEntry(str(bolts), "6", "10"),))
        return record_invoice(order_id, entry, actor=people["clerk"], uow=SqlUnitOfWork(engine), clock=_Clock())

    start = threading.Barrier(2)
    results: list[object] = []
    threads = [threading.Thread(target=lambda n=n: (start.wait(), results.append(record(n)))) for n in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(r.status.value for r in results) == ["exception", "matched"]  # type: ignore[attr-defined]
    assert order_state(engine, order_id)[2][0][2] == D(12)


def test_an_invoiced_order_cannot_be_cancelled_until_finance_rejects_the_invoice(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: dict[str, Actor]) -> None:
    order_id, (bolts,) = add_order(engine, people["buyer"], add_supplier(engine, people["buyer"]),
                                   ("Bolts", "10", "10.00", 13))
    csrf = _as(client, deps, people["clerk"])
    invoice_id = _record(client, csrf, order_id, {bolts: ("10", "10.00")})  # nothing received yet: an exception
    csrf = _as(client, deps, people["buyer"])
    assert f"/purchase-orders/{order_id}/cancel" not in client.get(f"/purchase-orders/{order_id}").text

    confirm = client.get(f"/purchase-orders/{order_id}/cancel", follow_redirects=True)
    refused = client.post(f"/purchase-orders/{order_id}/cancel", data={"csrf_token": csrf, "version": "1",
                                                                       "reason": "Supplier cannot deliver"},
                          follow_redirects=True)

    assert "Ask finance to reject the invoice" in confirm.text and "Ask finance to reject the invoice" in refused.text
    assert order_state(engine, order_id)[:2] == ("sent", 1)
    csrf = _as(client, deps, people["controller"])
    client.post(f"/invoices/{invoice_id}/reject", data={"csrf_token": csrf, "version": "1",
                                                        "reject_reason": "Nothing delivered"})
    csrf = _as(client, deps, people["buyer"])
    cancelled = client.post(f"/purchase-orders/{order_id}/cancel", data={"csrf_token": csrf, "version": "1",
                                                                         "reason": "Supplier cannot deliver"})
    assert cancelled.status_code == 303 and order_state(engine, order_id)[0] == "cancelled"


def test_a_cancel_racing_an_invoice_lets_exactly_one_of_them_through(engine: Engine,
                                                                     people: dict[str, Actor]) -> None:
    supplier_id = add_supplier(engine, people["buyer"])
    for _ in range(3):
        order_id, (bolts,) = add_order(engine, people["buyer"], supplier_id, ("Bolts", "10", "10.00", 13))
        entry = InvoiceEntry(f"R{order_id}", NOW.date().isoformat(), "", (InvoiceLineEntry(str(bolts), "10", "10"),))

        outcomes = _at_once(
            partial(record_invoice, order_id, entry, actor=people["clerk"], uow=SqlUnitOfWork(engine), clock=_Clock()),
            partial(cancel_order, order_id, {"reason": "late"}, 1, actor=people["buyer"], uow=SqlUnitOfWork(engine),
                    clock=_Clock()))

        status, _version, [(_received, _accepted, invoiced)] = order_state(engine, order_id)
        assert sorted(outcomes) in (["SupplierInvoice", "order.cancel_after_invoice"],
                                    ["PurchaseOrder", "invoice.order_not_sent"])
        assert (status, invoiced) == (("sent", D(10)) if "SupplierInvoice" in outcomes else ("cancelled", D(0)))


def _at_once(*jobs: Callable[[], object]) -> list[str]:
    """Run the jobs in threads released together; each outcome is its result's type or the refusal's code."""
    start, outcomes = threading.Barrier(len(jobs)), []

    def run(job: Callable[[], object]) -> None:
        start.wait()
        try:
            outcomes.append(type(job()).__name__)
        except InvalidTransition as refused:
            outcomes.append(refused.code)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


class _Clock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW
