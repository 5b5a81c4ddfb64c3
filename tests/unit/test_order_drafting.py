"""Drafting purchase orders with fakes: from requisition lines (quantities reserved, never over-ordered, the
requisition's status in step), directly, the supplier's qualification, tax rounding and framework contracts."""

import pytest

from domain.identity.models import Actor
from domain.purchasing.drafting import create_order, order_requisition_lines, update_order
from domain.purchasing.form import preview_order
from domain.purchasing.models import OrderStatus, PurchaseOrder
from domain.requisitions.models import RequisitionStatus
from domain.shared.errors import PermissionDenied, ValidationFailed
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.order_builders import (
    BLACKLISTED,
    CABLE,
    PATTERN,
    PENDING,
    QUALIFIED,
    SUSPENDED,
    SWITCH,
    D,
    add_contract,
    buyer_of,
    header,
    line,
    person,
    world,
)

CLOCK = FakeClock()


def from_requisition(uow: FakeUnitOfWork, buyer: Actor, *lines: int) -> PurchaseOrder:
    return order_requisition_lines(str(QUALIFIED), [str(i) for i in lines], actor=buyer, uow=uow, clock=CLOCK,
                                   pattern=PATTERN)


def rows_of(order: PurchaseOrder, **changes: dict[str, str]) -> list[dict[str, str]]:
    """The order's lines as the edit form sends them, with some fields changed per position ("1", "2", …)."""
    rows = [{"line_id": str(ln.id), "requisition_line_id": str(ln.requisition_line_id or ""), "item": ln.item,
             "specification": ln.specification, "quantity": str(ln.quantity), "unit": ln.unit,
             "unit_price": str(ln.unit_price), "tax_rate": str(ln.tax_rate), "delivery_on": "",
             "budget_id": str(ln.budget_id or "")} for ln in order.lines]
    return [row | changes.get(f"l{i}", {}) for i, row in enumerate(rows, 1)]


def ordered(uow: FakeUnitOfWork, line_id: int) -> D:
    return uow.order_sources.lines[line_id].ordered_quantity


def status(uow: FakeUnitOfWork) -> RequisitionStatus:
    return uow.order_sources.lines[CABLE].requisition_status


def test_two_requisition_lines_become_one_numbered_draft_for_all_that_remains() -> None:
    uow = world()
    buyer = buyer_of(uow)

    order = from_requisition(uow, buyer, CABLE, SWITCH)

    assert order.number == "PO-2026-00001" and order.status is OrderStatus.DRAFT and uow.committed
    assert [(ln.requisition_line_id, ln.quantity, ln.unit) for ln in order.lines] == [
        (CABLE, D("10"), "m"), (SWITCH, D("4"), "pcs")]
    assert [ln.unit_price for ln in order.lines] == [D("10.0000"), D("500.0000")]  # the estimate without 13 % VAT
    assert (ordered(uow, CABLE), ordered(uow, SWITCH)) == (D("10"), D("4"))
    assert status(uow) is RequisitionStatus.ORDERED
    assert [e.action for e in uow.audit.events][-2:] == ["purchase_order.created", "requisition.status_changed"]


def test_lowering_a_quantity_gives_it_back_and_raising_it_beyond_what_remains_is_refused() -> None:
    uow = world()
    buyer = buyer_of(uow)
    order = from_requisition(uow, buyer, CABLE, SWITCH)

    lowered = update_order(order.id or 0, header(), rows_of(order, l1={"quantity": "6"}), order.version, actor=buyer,
                           uow=uow, clock=CLOCK)
    assert ordered(uow, CABLE) == D("6") and status(uow) is RequisitionStatus.PARTLY_ORDERED

    with pytest.raises(ValidationFailed) as refused:
        update_order(order.id or 0, header(), rows_of(lowered, l1={"quantity": "10.001"}), lowered.version,
                     actor=buyer, uow=uow, clock=CLOCK)
    assert refused.value.errors == {"line-0-quantity": "order.over_ordered"}


def test_a_second_order_gets_only_what_the_first_left() -> None:
    uow = world()
    buyer = buyer_of(uow)
    first = from_requisition(uow, buyer, CABLE)
    update_order(first.id or 0, header(), rows_of(first, l1={"quantity": "7.5"}), first.version, actor=buyer,
                 uow=uow, clock=CLOCK)

    second = from_requisition(uow, buyer, CABLE)

    assert second.lines[0].quantity == D("2.5") and ordered(uow, CABLE) == D("10")
    with pytest.raises(ValidationFailed) as refused:
        from_requisition(uow, buyer, CABLE)
    assert refused.value.errors == {"lines": "order.requisition_line_unavailable"}


def test_removing_a_line_gives_its_quantity_back() -> None:
    uow = world()
    buyer = buyer_of(uow)
    order = from_requisition(uow, buyer, CABLE, SWITCH)

    update_order(order.id or 0, header(), rows_of(order)[1:], order.version, actor=buyer, uow=uow, clock=CLOCK)

    assert (ordered(uow, CABLE), ordered(uow, SWITCH)) == (D("0"), D("4"))
    assert status(uow) is RequisitionStatus.PARTLY_ORDERED


def test_a_copied_requisition_row_without_its_identity_is_a_direct_line_with_its_own_budget() -> None:
    uow = world()
    buyer = buyer_of(uow)
    order = from_requisition(uow, buyer, SWITCH)
    copy = rows_of(order)[0] | {"line_id": "", "requisition_line_id": "", "quantity": "1"}

    edited = update_order(order.id or 0, header(), [*rows_of(order), copy], order.version, actor=buyer, uow=uow,
                          clock=CLOCK)

    assert [ln.requisition_line_id for ln in edited.lines] == [SWITCH, None]
    assert ordered(uow, SWITCH) == D("4")


def test_only_qualified_suppliers_get_orders_and_the_refusal_names_the_status() -> None:
    uow = world()
    buyer = buyer_of(uow)

    for supplier_id, code in ((BLACKLISTED, "order.supplier_blacklisted"), (PENDING, "order.supplier_pending"),
                              (SUSPENDED, "order.supplier_suspended"), (99, "order.supplier_unknown")):
        with pytest.raises(ValidationFailed) as refused:
            create_order(header(supplier_id=str(supplier_id)), [line()], actor=buyer, uow=uow, clock=CLOCK,
                         pattern=PATTERN)
        assert refused.value.errors["supplier_id"] == code
    with pytest.raises(ValidationFailed):
        order_requisition_lines(str(BLACKLISTED), [str(CABLE)], actor=buyer, uow=uow, clock=CLOCK, pattern=PATTERN)
    assert ordered(uow, CABLE) == D("0") and not uow.purchase_orders.rows


def test_line_amounts_are_rounded_half_up_per_line_and_the_totals_add_the_rounded_lines() -> None:
    uow = world()
    buyer = buyer_of(uow)
    half_fen = line(quantity="1", unit_price="0.125", tax_rate="13")  # net 0.125 → 0.13; tax 0.0169 → 0.02

    order = create_order(header(), [half_fen, half_fen, line(quantity="3", unit_price="0.3333", tax_rate="6")],
                         actor=buyer, uow=uow, clock=CLOCK, pattern=PATTERN)

    assert [(ln.net_amount, ln.tax_amount, ln.gross_amount) for ln in order.lines] == [
        (D("0.13"), D("0.02"), D("0.15")), (D("0.13"), D("0.02"), D("0.15")), (D("1.00"), D("0.06"), D("1.06"))]
    assert (order.net_total, order.tax_total, order.gross_total) == (D("1.26"), D("0.10"), D("1.36"))


def test_bad_lines_are_named_by_row_and_blank_rows_are_ignored() -> None:
    uow = world()
    buyer = buyer_of(uow)
    blank = line(item="", specification="", quantity="", unit_price="", unit="")

    with pytest.raises(ValidationFailed) as refused:
        create_order(header(title=""), [blank, line(quantity="1.0001", tax_rate="17"), line(budget_id="999")],
                     actor=buyer, uow=uow, clock=CLOCK, pattern=PATTERN)

    assert refused.value.errors == {"title": "required", "line-1-quantity": "quantity.decimals",
                                    "line-1-tax_rate": "tax_rate.invalid"}
    with pytest.raises(ValidationFailed) as no_lines:
        create_order(header(), [blank], actor=buyer, uow=uow, clock=CLOCK, pattern=PATTERN)
    assert no_lines.value.errors == {"lines": "order.no_lines"}


def test_a_direct_line_may_charge_only_a_budget_of_the_department() -> None:
    uow = world()
    buyer = buyer_of(uow)
    outsider = person(uow, "other", {"buyer"}, department=None)

    with pytest.raises(ValidationFailed) as refused:
        create_order(header(), [line(budget_id="1")], actor=outsider, uow=uow, clock=CLOCK, pattern=PATTERN)
    order = create_order(header(), [line(budget_id="1")], actor=buyer, uow=uow, clock=CLOCK, pattern=PATTERN)

    assert refused.value.errors == {"line-0-budget_id": "choice.invalid"}
    assert order.lines[0].budget_id == 1


def test_requisition_lines_out_of_the_buyers_scope_cannot_be_ordered() -> None:
    uow = world()
    stranger = person(uow, "far", {"buyer"}, department=10)

    with pytest.raises(ValidationFailed) as refused:
        from_requisition(uow, stranger, CABLE)
    with pytest.raises(ValidationFailed) as smuggled:
        create_order(header(), [line(requisition_line_id=str(CABLE))], actor=stranger, uow=uow, clock=CLOCK,
                     pattern=PATTERN)

    assert refused.value.errors == {"lines": "order.requisition_line_unavailable"}
    assert smuggled.value.errors == {"line-0-item": "order.requisition_line_unavailable"}
    assert ordered(uow, CABLE) == D("0")


def test_an_order_may_not_pass_what_is_left_of_its_framework_contract() -> None:
    uow = world()
    buyer = buyer_of(uow)
    contract = add_contract(uow, "500.00")
    first = create_order(header(contract_id=str(contract)), [line(quantity="2", unit_price="100")], actor=buyer,
                         uow=uow, clock=CLOCK, pattern=PATTERN)  # 226.00 of 500.00

    with pytest.raises(ValidationFailed) as refused:
        create_order(header(contract_id=str(contract)), [line(quantity="3", unit_price="100")], actor=buyer,
                     uow=uow, clock=CLOCK, pattern=PATTERN)  # 339.00 > 274.00
    edited = update_order(first.id or 0, header(contract_id=str(contract)), [line(quantity="4", unit_price="100")],
                          first.version, actor=buyer, uow=uow, clock=CLOCK)  # itself left out: 452.00 ≤ 500.00

    assert refused.value.errors == {"contract_id": "order.contract_exceeded"}
    assert edited.gross_total == D("452.00")
    assert uow.order_sources.framework_contract(contract, None) is not None


def test_a_contract_of_another_supplier_or_not_active_is_refused() -> None:
    uow = world()
    buyer = buyer_of(uow)
    theirs, ended = add_contract(uow, "9000", supplier_id=BLACKLISTED), add_contract(uow, "9000", status="expired")

    for contract, code in ((theirs, "order.contract_unknown"), (ended, "order.contract_not_active")):
        with pytest.raises(ValidationFailed) as refused:
            create_order(header(contract_id=str(contract)), [line()], actor=buyer, uow=uow, clock=CLOCK,
                         pattern=PATTERN)
        assert refused.value.errors == {"contract_id": code}


def test_the_live_preview_computes_amounts_per_row_and_what_the_budget_and_contract_would_be() -> None:
    uow = world()
    buyer = buyer_of(uow)
    contract = add_contract(uow, "300.00")
    blank = line(item="", specification="", quantity="", unit_price="", unit="")
    rows = [line(quantity="2", unit_price="100", budget_id="1"), line(quantity="x"), blank]

    preview = preview_order(header(contract_id=str(contract)), rows, actor=buyer, uow=uow)

    assert preview.rows[0] is not None and preview.rows[0].gross == D("226.00")
    assert preview.rows[1:] == [None, None] and preview.errors == {"line-1-quantity": "quantity.invalid"}
    assert preview.totals.gross == D("226.00") and preview.contract_refusal is None
    # 10000 - 2373 the requisition holds - 226
    assert [(e.amount, e.remaining_after) for e in preview.budgets] == [(D("226.00"), D("7401.00"))]


def test_drafting_needs_the_permission() -> None:
    uow = world()
    employee = person(uow, "emp", {"employee"})

    with pytest.raises(PermissionDenied):
        create_order(header(), [line()], actor=employee, uow=uow, clock=CLOCK, pattern=PATTERN)
    with pytest.raises(PermissionDenied):
        from_requisition(uow, employee, CABLE)
