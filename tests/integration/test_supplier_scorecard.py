"""The scorecard's SQL on SQLite and PostgreSQL, from receipts, order lines and invoices written directly (the
receiving and invoicing modules fill these tables), and the scorecard section on the supplier page."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, Table, insert

from adapters.sqlalchemy.tables import (
    goods_receipt_lines,
    goods_receipts,
    purchase_order_lines,
    purchase_orders,
    supplier_invoice_lines,
    supplier_invoices,
)
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.suppliers.scorecard import ScorecardCounts
from tests.integration.supplier_helpers import Office
from tests.supplier_builders import OTHER_CODE
from web.deps import Dependencies

NOW = datetime(2026, 7, 1, tzinfo=UTC)
FIRST_HALF = (date(2026, 1, 1), date(2026, 6, 30))
SECTION = {"HX-Request": "true", "HX-Target": "supplier-scorecard"}


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Office:
    return Office(app, deps, engine)


class Books:
    """Orders, receipts and invoices of suppliers, as the other modules would record them."""

    def __init__(self, engine: Engine, user_id: int) -> None:
        self.engine, self.user, self.count = engine, user_id, 0

    def row(self, table: Table, **values: Any) -> int:
        with self.engine.begin() as connection:
            return int(connection.execute(insert(table).values(**values).returning(table.c.id)).scalar_one())

    def number(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.count:05d}"

    def order(self, supplier_id: int) -> int:
        return self.row(purchase_orders, number=self.number("PO"), supplier_id=supplier_id, buyer_id=self.user,
                        status="sent", created_by=self.user, created_at=NOW, updated_at=NOW)

    def line(self, order_id: int, quantity: str, unit_price: str, delivery_on: date | None) -> int:
        net = (Decimal(quantity) * Decimal(unit_price)).quantize(Decimal("0.01"))
        self.count += 1
        return self.row(purchase_order_lines, order_id=order_id, position=self.count, item="零件", quantity=quantity,
                        unit="件", unit_price=unit_price, tax_rate=13, net_amount=net, tax_amount=0, gross_amount=net,
                        delivery_on=delivery_on)

    def receipt(self, order_id: int, received_on: date, *lines: tuple[int, str, str]) -> None:
        receipt_id = self.row(goods_receipts, number=self.number("GR"), order_id=order_id, received_on=received_on,
                              received_by=self.user, created_at=NOW)
        for line_id, accepted, rejected in lines:
            self.row(goods_receipt_lines, receipt_id=receipt_id, order_line_id=line_id, accepted_quantity=accepted,
                     rejected_quantity=rejected, received_quantity=Decimal(accepted) + Decimal(rejected))

    def invoice(self, supplier_id: int, order_id: int, dated: date, status: str, *lines: tuple[int, str, str]) -> None:
        invoice_id = self.row(supplier_invoices, number=self.number("INV"), supplier_id=supplier_id, order_id=order_id,
                              invoice_date=dated, net_total=0, tax_total=0, gross_total=0, status=status,
                              recorded_by=self.user, created_at=NOW, updated_at=NOW)
        for line_id, quantity, net in lines:
            self.row(supplier_invoice_lines, invoice_id=invoice_id, order_line_id=line_id, quantity=quantity,
                     unit_price=Decimal(net) / Decimal(quantity), tax_rate=13, net_amount=net, tax_amount=0,
                     gross_amount=net, match_status="matched", match_detail={})


@pytest.fixture
def books(office: Office, engine: Engine) -> tuple[Books, int]:
    """One supplier's first half of 2026, plus rows that must not count: another supplier's, older, later,
    and a rejected invoice."""
    client = office.client(office.buyer)
    supplier, other = office.register(client), office.register(client, "f2", name="别家", credit_code=OTHER_CODE)
    b = Books(engine, office.buyer.user_id)
    order = b.order(supplier)
    bolts = b.line(order, "100", "10.0000", date(2026, 3, 10))
    washers = b.line(order, "50", "2.5000", None)
    motors = b.line(order, "10", "99.9900", date(2026, 3, 1))
    b.receipt(order, date(2026, 3, 10), (bolts, "58", "2"))  # on time
    b.receipt(order, date(2026, 3, 15), (bolts, "40", "0"), (washers, "45", "5"))  # late; undated
    b.receipt(order, date(2026, 2, 28), (motors, "10", "0"))  # early
    b.receipt(order, date(2025, 12, 31), (motors, "1", "1"))  # before the period
    b.invoice(supplier, order, date(2026, 4, 1), "matched", (bolts, "100", "1005.00"), (motors, "10", "999.90"))
    b.invoice(supplier, order, date(2026, 4, 2), "rejected", (washers, "50", "200.00"))
    b.invoice(supplier, order, date(2026, 7, 1), "exception", (washers, "50", "130.00"))  # after the period
    foreign = b.order(other)
    b.receipt(foreign, date(2026, 3, 1), (b.line(foreign, "5", "1.0000", date(2026, 1, 1)), "0", "5"))
    return b, supplier


def test_counts_read_straight_from_the_tables(books: tuple[Books, int], engine: Engine) -> None:
    _, supplier = books

    with SqlUnitOfWork(engine) as uow:
        counts = uow.supplier_scorecards.counts(supplier, *FIRST_HALF)

    assert counts == ScorecardCounts(receipt_lines=4, dated_lines=3, on_time_lines=2, received=Decimal("160"),
                                     rejected=Decimal("7"), invoice_lines=2, invoiced_net=Decimal("2004.90"),
                                     ordered_value=Decimal("1999.90"))


def test_a_supplier_without_receipts_or_invoices_has_zero_counts(office: Office, engine: Engine) -> None:
    supplier = office.register(office.client(office.buyer))

    with SqlUnitOfWork(engine) as uow:
        counts = uow.supplier_scorecards.counts(supplier, *FIRST_HALF)

    assert counts == ScorecardCounts()


def test_the_section_shows_rates_with_their_basis_for_the_chosen_period(office: Office,
                                                                        books: tuple[Books, int]) -> None:
    _, supplier = books

    section = office.client(office.buyer).get(f"/suppliers/{supplier}/scorecard?from=2026-01-01&to=2026-06-30",
                                              headers=SECTION)

    assert section.status_code == 200 and "<html" not in section.text
    assert "66.7 %" in section.text and "2 of 3 receipt lines with a delivery date" in section.text
    assert "4.4 %" in section.text and "7 rejected of 160 received" in section.text
    assert "+0.3 %" in section.text and "2,004.90" in section.text and "1,999.90" in section.text


def test_the_page_defaults_to_the_last_twelve_months_and_says_no_data_yet(office: Office, deps: Dependencies) -> None:
    client = office.client(office.buyer)
    supplier = office.register(client)

    page = client.get(f"/suppliers/{supplier}").text

    assert page.count("No data yet") == 3 and "0.0 %" not in page
    today = deps.clock.now().astimezone().date()
    assert f'value="{today.isoformat()}"' in page


def test_a_bad_period_is_422_with_the_dates_kept(office: Office) -> None:
    client = office.client(office.buyer)
    supplier = office.register(client)

    response = client.get(f"/suppliers/{supplier}/scorecard?from=2026-06-30&to=2026-01-01", headers=SECTION)

    assert response.status_code == 422 and "swap the two dates" in response.text
    assert 'value="2026-06-30"' in response.text and "No data yet" not in response.text
