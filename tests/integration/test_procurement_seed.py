"""The procurement demo seed (houtai seed-demo --orders N) on SQLite and PostgreSQL: one consistent history.

Documents add up (lines to headers, receipts and invoices to order lines, orders to requisition lines, the
ledger to budgets), statuses follow the quantities, numbers are unique and the app's next number continues
after them, the same seed gives the same data, and a second run is refused without touching anything.
"""

import json
import re
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text

import bootstrap
from adapters.crypto.fields import FieldCrypto
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.seed import NO_LOGIN, seed_demo
from adapters.seed_procurement import SeedRefused, seed_procurement
from adapters.sqlalchemy.sequences import SqlNumberSequences
from adapters.sqlalchemy.tables import (
    budget_entries,
    budgets,
    goods_receipt_lines,
    goods_receipts,
    number_sequences,
    purchase_order_lines,
    purchase_orders,
    requisition_lines,
    requisitions,
    supplier_invoice_lines,
    supplier_invoices,
    suppliers,
    users,
)
from bootstrap import crypto_of
from domain.customers.credit_code import is_valid_credit_code
from domain.procurement.amounts import line_amounts
from domain.shared.numbering import DEFAULT_PATTERNS, NumberPattern, next_number
from domain.shared.paging import decode_cursor
from domain.shared.sensitive import SensitiveKind
from domain.suppliers.models import CATEGORIES
from tests.integration.conftest import wipe

ORDERS = 300
ROOT = Path(__file__).resolve().parents[2]
SEED = 7
NOW = datetime(2026, 6, 15, 8, 30, tzinfo=UTC)
PATTERNS = {kind: NumberPattern(text, kind) for kind, text in DEFAULT_PATTERNS.items()}


@pytest.fixture
def crypto(tmp_path: Path) -> FieldCrypto:
    return crypto_of(tmp_path)


@pytest.fixture
def seeded(engine: Engine, crypto: FieldCrypto) -> Engine:
    seed_procurement(engine, ORDERS, SEED, crypto, PATTERNS, now=NOW)
    return engine


def _rows(engine: Engine, table: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(table).order_by(table.c.id)))


def _by(rows: list[Any], key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def test_every_order_is_the_exact_sum_of_its_lines(seeded: Engine) -> None:
    orders, lines = _rows(seeded, purchase_orders), _by(_rows(seeded, purchase_order_lines), "order_id")
    assert len(orders) == ORDERS
    for order in orders:
        own = lines[order.id]
        assert 1 <= len(own) <= 4 and [line.position for line in own] == list(range(1, len(own) + 1))
        for line in own:
            amounts = line_amounts(line.quantity, line.unit_price, line.tax_rate)
            assert (line.net_amount, line.tax_amount, line.gross_amount) == (amounts.net, amounts.tax, amounts.gross)
        assert order.net_total == sum(line.net_amount for line in own)
        assert order.tax_total == sum(line.tax_amount for line in own)
        assert order.gross_total == order.net_total + order.tax_total


def test_received_accepted_and_invoiced_quantities_are_what_receipts_and_invoices_say(seeded: Engine) -> None:
    received = _by(_rows(seeded, goods_receipt_lines), "order_line_id")
    invoices = {row.id: row for row in _rows(seeded, supplier_invoices)}
    invoiced = _by(_rows(seeded, supplier_invoice_lines), "order_line_id")
    rejections = 0
    for line in _rows(seeded, purchase_order_lines):
        parts = received[line.id]
        for part in parts:
            assert part.received_quantity == part.accepted_quantity + part.rejected_quantity > 0
            assert bool(part.rejected_quantity) == bool(part.rejection_reason)
            rejections += part.rejected_quantity > 0
        assert line.received_quantity == sum(part.received_quantity for part in parts)
        assert line.accepted_quantity == sum(part.accepted_quantity for part in parts)
        assert line.invoiced_quantity == sum(bill.quantity for bill in invoiced[line.id]
                                             if invoices[bill.invoice_id].status != "rejected")
    assert rejections, "some goods are rejected at receipt (the scorecard's rejection rate)"


def test_statuses_follow_receipts(seeded: Engine) -> None:
    lines = _by(_rows(seeded, purchase_order_lines), "order_id")
    receipts = _by(_rows(seeded, goods_receipts), "order_id")
    statuses = set()
    for order in _rows(seeded, purchase_orders):
        statuses.add(order.status)
        complete = all(line.accepted_quantity >= line.quantity for line in lines[order.id])
        if order.status in ("draft", "pending_approval", "rejected", "approved", "sent", "cancelled"):
            assert not receipts[order.id], order.number
        if order.status == "received":
            assert receipts[order.id] and complete, order.number
        if order.status == "partly_received":
            assert receipts[order.id] and not complete, order.number
        if order.status == "closed":
            assert receipts[order.id] and (complete or order.closed_reason), order.number
        if order.status == "cancelled":
            assert order.closed_reason
        assert (order.sent_at is not None) >= (order.status in ("sent", "partly_received", "received", "closed"))
        for receipt in receipts[order.id]:
            assert order.sent_at is not None and receipt.received_on >= order.sent_at.date()
            assert receipt.created_at <= NOW
    assert {"draft", "sent", "partly_received", "received", "closed", "cancelled"} <= statuses


def test_requisition_lines_count_what_orders_not_cancelled_ordered(seeded: Engine) -> None:
    cancelled = {order.id for order in _rows(seeded, purchase_orders) if order.status == "cancelled"}
    ordered = _by([line for line in _rows(seeded, purchase_order_lines)
                   if line.requisition_line_id and line.order_id not in cancelled], "requisition_line_id")
    lines = _by(_rows(seeded, requisition_lines), "requisition_id")
    rows = _rows(seeded, requisitions)
    assert len(rows) == ORDERS // 10
    for requisition in rows:
        own = lines[requisition.id]
        assert requisition.estimated_total == sum(line.amount for line in own)
        for line in own:
            assert line.ordered_quantity == sum(o.quantity for o in ordered[line.id]) <= line.quantity
        full = all(line.ordered_quantity == line.quantity for line in own)
        some = any(line.ordered_quantity for line in own)
        assert (requisition.status == "ordered") == full, requisition.number
        if requisition.status == "partly_ordered":
            assert some
        if requisition.status in ("draft", "submitted", "rejected", "approved"):
            assert not some
        if requisition.status == "closed":
            assert requisition.closed_reason
    assert any(ordered), "some orders were made from requisitions"


def test_each_budget_has_committed_what_its_ledger_holds(seeded: Engine) -> None:
    entries = _by(_rows(seeded, budget_entries), "budget_id")
    rows = _rows(seeded, budgets)
    assert rows and any(budget.committed for budget in rows)
    for budget in rows:
        assert budget.committed == sum(entry.amount for entry in entries[budget.id])
        assert budget.amount >= budget.committed or budget.policy == "warn"
    orders = {order.id: order for order in _rows(seeded, purchase_orders)}
    held: dict[int, Decimal] = defaultdict(Decimal)
    for entry in (e for own in entries.values() for e in own if e.document_type == "purchase_order"):
        held[entry.line_id] += entry.amount
    for line in _rows(seeded, purchase_order_lines):  # what each order line holds, as the app would have booked it
        status = orders[line.order_id].status
        if line.budget_id is None or status in ("draft", "pending_approval", "rejected", "cancelled"):
            assert not held[line.id]
        elif status == "closed":  # only what was accepted stays committed
            accepted = min(line.accepted_quantity, line.quantity)
            assert held[line.id] == line_amounts(accepted, line.unit_price, line.tax_rate).gross
        else:
            assert held[line.id] == line.gross_amount
    reasons = {entry.reason for own in entries.values() for entry in own}
    assert reasons == {"approved", "ordered", "cancelled", "closed", "reinstated"}


def test_invoices_add_up_and_exceptions_wait_for_finance(seeded: Engine) -> None:
    lines = _by(_rows(seeded, supplier_invoice_lines), "invoice_id")
    order_lines = {line.id: line for line in _rows(seeded, purchase_order_lines)}
    invoices = _rows(seeded, supplier_invoices)
    assert sum(invoice.status == "matched" for invoice in invoices) > len(invoices) * 0.8
    assert {"matched", "accepted", "rejected"} <= {invoice.status for invoice in invoices}
    assert {"price_over", "quantity_over"} <= {line.match_status for own in lines.values() for line in own}
    for invoice in invoices:
        own = lines[invoice.id]
        assert own and invoice.gross_total == sum(line.gross_amount for line in own)
        assert invoice.net_total + invoice.tax_total == invoice.gross_total
        for line in own:
            amounts = line_amounts(line.quantity, line.unit_price, line.tax_rate)
            assert (line.net_amount, line.tax_amount, line.gross_amount) == (amounts.net, amounts.tax, amounts.gross)
        for line in own:  # matched as the app matches: price within 2 %, never more than accepted in total
            ordered, detail = order_lines[line.order_line_id], line.match_detail
            assert Decimal(detail["order_price"]) == ordered.unit_price and Decimal(detail["quantity"]) == line.quantity
            assert ("price_over" in detail["issues"]) == (line.unit_price > ordered.unit_price * Decimal("1.02"))
            assert ("quantity_over" in detail["issues"]) == (Decimal(detail["invoiced_total"]) >
                                                             Decimal(detail["accepted"]))
            assert Decimal(detail["accepted"]) <= ordered.accepted_quantity
            assert line.match_status == (detail["issues"][0] if detail["issues"] else "matched")
        matched = all(line.match_status == "matched" for line in own)
        assert matched == (invoice.status == "matched"), invoice.id
        assert (invoice.resolution_reason is not None) == (invoice.status in ("accepted", "rejected"))


def test_numbers_are_unique_in_time_order_and_the_app_continues_after_them(seeded: Engine) -> None:
    for table, kind in ((purchase_orders, "purchase_order"), (requisitions, "requisition"),
                        (goods_receipts, "goods_receipt")):
        rows = _rows(seeded, table)
        numbers = [row.number for row in rows]
        assert len(set(numbers)) == len(numbers)
        prefix = DEFAULT_PATTERNS[kind][:2]
        assert all(re.fullmatch(rf"{prefix}-(\d{{4}})-\d{{5}}", number) for number in numbers)
        in_time = sorted(rows, key=lambda row: (row.created_at, row.id))
        for year in {row.created_at.year for row in rows}:
            of_year = [row.number for row in in_time if row.created_at.year == year]
            assert of_year == [PATTERNS[kind].format(year, seq) for seq in range(1, len(of_year) + 1)]
        with seeded.begin() as connection:
            drawn = next_number(PATTERNS[kind], NOW, SqlNumberSequences(connection))
            connection.rollback()
        this_year = [n for n in numbers if n.startswith(f"{prefix}-{NOW.year}-")]
        assert drawn == PATTERNS[kind].format(NOW.year, len(this_year) + 1)
    orders = _rows(seeded, purchase_orders)
    assert all(a.created_at < b.created_at for a, b in pairwise(orders))
    assert orders[0].created_at < NOW - timedelta(days=3 * 365) and orders[-1].created_at <= NOW


def test_suppliers_are_valid_sealed_and_only_qualified_ones_get_new_orders(seeded: Engine,
                                                                          crypto: FieldCrypto) -> None:
    rows = _rows(seeded, suppliers)
    assert len({row.name_key for row in rows}) == len(rows)
    assert {row.category for row in rows} <= set(CATEGORIES)
    assert any(row.name.isascii() for row in rows) and any(not row.name.isascii() for row in rows)
    for row in rows:
        assert row.credit_code is None or is_valid_credit_code(row.credit_code)
        assert (row.status_reason is not None) == (row.status in ("suspended", "blacklisted"))
        account = crypto.open(row.bank_account_enc)
        assert account and row.bank_account_index == crypto.index_of(SensitiveKind.BANK_ACCOUNT, account)
        assert account.encode() not in row.bank_account_enc
    status = {row.id: row.status for row in rows}
    for order in _rows(seeded, purchase_orders):
        assert status[order.supplier_id] != "pending"
        if order.created_at > NOW - timedelta(days=200):
            assert status[order.supplier_id] == "qualified", order.number


def test_demo_people_cannot_sign_in(seeded: Engine) -> None:
    with seeded.connect() as connection:
        hashes = connection.execute(select(users.c.password_hash).where(
            users.c.username.like("demo-%"))).scalars().all()
    assert len(hashes) == 45 and set(hashes) == {NO_LOGIN}
    assert not Argon2PasswordHasher().verify(NO_LOGIN, "")


def test_a_second_seed_is_refused_and_changes_nothing(seeded: Engine, crypto: FieldCrypto) -> None:
    before = _counts(seeded)
    with pytest.raises(SeedRefused, match="already holds purchase orders"):
        seed_procurement(seeded, 10, SEED + 1, crypto, PATTERNS, now=NOW)
    assert _counts(seeded) == before


def test_the_same_seed_gives_the_same_data(seeded: Engine, crypto: FieldCrypto) -> None:
    first = _fingerprint(seeded)
    wipe(seeded)
    seed_procurement(seeded, ORDERS, SEED, crypto, PATTERNS, now=NOW)
    assert _fingerprint(seeded) == first
    wipe(seeded)
    seed_procurement(seeded, ORDERS, SEED + 1, crypto, PATTERNS, now=NOW)
    assert _fingerprint(seeded) != first


def test_the_command_seeds_orders_and_refuses_a_second_time(engine: Engine, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOUTAI_VAR", str(tmp_path))
    runner = CliRunner()
    first = runner.invoke(bootstrap.cli, ["seed-demo", "--customers", "20", "--orders", "40"])
    assert first.exit_code == 0, first.output
    assert "Seeded 20 customers" in first.output and "40 purchase orders" in first.output
    again = runner.invoke(bootstrap.cli, ["seed-demo", "--customers", "20", "--orders", "40"])
    assert again.exit_code == 1 and "already holds purchase orders" in again.output
    assert _counts(engine)["customers"] == 20  # refused before anything was written


def test_the_bench_picks_its_order_scenarios_from_the_seed(seeded: Engine, crypto: FieldCrypto,
                                                          tmp_path: Path) -> None:
    if seeded.dialect.name != "sqlite":
        pytest.skip("the bench reads its SQLite file directly")
    seed_demo(seeded, 200, SEED, crypto)
    out = tmp_path / "scenarios.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "scenarios.py"), "pick", seeded.url.database or "", "200",
                    "2000", str(out), str(ORDERS)], check=True, capture_output=True,
                   env={"PYTHONPATH": str(ROOT / "src")})
    doc = json.loads(out.read_text())
    orders = {s["key"]: s for s in doc["scenarios"] if s["group"] == "orders"}
    assert list(orders) == ["o-a", "o-b", "o-b2", "o-c", "o-d", "o-e", "o-f"]
    meta = doc["meta"]["orders"]
    with seeded.connect() as connection:
        newest = connection.execute(select(purchase_orders.c.id).order_by(
            purchase_orders.c.created_at.desc(), purchase_orders.c.id.desc())).scalars().all()
        closed = connection.execute(select(func.count()).where(
            purchase_orders.c.status == meta["filter_status"],
            purchase_orders.c.supplier_id == meta["filter_supplier_id"])).scalar_one()
        detail = connection.execute(select(purchase_orders).where(purchase_orders.c.id == meta["detail_id"])).one()
    # The deep page starts after the row its cursor names: here the last page, reached from the one before it.
    cursor = decode_cursor(orders["o-d"]["path"].split("after=", 1)[1])
    assert cursor is not None and newest.index(cursor[1]) == (meta["deep_page"] - 1) * 50 - 1
    assert orders["o-d"]["expect_rows"] == len(newest) - (meta["deep_page"] - 1) * 50
    assert meta["filter_matches"] == closed and orders["o-c"]["expect_rows"] == min(50, closed)
    assert detail.status == "closed" and orders["o-e"]["path"] == f"/purchase-orders/{detail.id}"
    assert orders["o-f"]["headers"] == ["HX-Request: true", "HX-Target: order-results"]
    for key in ("o-b", "o-b2"):
        term = meta["search_term" if key == "o-b" else "search_term_zh"]
        assert len(term) >= 3 and orders[key]["path"] == "/purchase-orders?q=" + quote(term)
    assert meta["search_term"].isascii() and not meta["search_term_zh"].isascii()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
                for name in ("customers", "suppliers", "purchase_orders", "purchase_order_lines", "goods_receipts",
                             "supplier_invoices", "budget_entries", "requisitions")} | {
            "sequences": connection.execute(select(func.sum(number_sequences.c.last_value))).scalar_one()}


def _fingerprint(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(purchase_orders.c.number, suppliers.c.name, purchase_orders.c.status, purchase_orders.c.gross_total,
                   purchase_orders.c.created_at).join(suppliers, suppliers.c.id == purchase_orders.c.supplier_id)
            .order_by(purchase_orders.c.number))]
