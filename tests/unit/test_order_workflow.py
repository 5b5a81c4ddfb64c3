"""The order lifecycle with fakes: approval through the engine (no self-approval) commits the budget, a stop
budget needs the override, cancelling gives quantities and budget back, refusals, and who may read an order."""

from decimal import Decimal

import pytest

from domain.approvals import engine
from domain.approvals.errors import NoApprover
from domain.approvals.models import HANDLERS
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode
from domain.budgets.errors import BudgetExceeded
from domain.identity.models import Actor
from domain.purchasing import workflow
from domain.purchasing.drafting import order_requisition_lines, update_order
from domain.purchasing.models import OrderStatus, PurchaseOrder
from domain.purchasing.services import get_order
from domain.requisitions.models import RequisitionStatus
from domain.shared.errors import InvalidTransition, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from domain.suppliers.models import SupplierStatus
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.order_builders import CABLE, IT, PATTERN, QUALIFIED, REQUISITION, SWITCH, D, buyer_of, header, person, world

CLOCK = FakeClock()
HELD = D("2373.00")  # what the requisition holds: 10 × 11.30 + 4 × 565.00


def draft(uow: FakeUnitOfWork, buyer: Actor) -> PurchaseOrder:
    return order_requisition_lines(str(QUALIFIED), [str(CABLE), str(SWITCH)], actor=buyer, uow=uow, clock=CLOCK,
                                   pattern=PATTERN)


def approved_by(uow: FakeUnitOfWork, approver: Actor) -> None:
    uow.approvals.add_rule(ApprovalRule(None, "Orders", "purchase_order", None, D(0), None,
                                        [RuleStep(1, StepMode.ALL, ApproverKind.USER, user_id=approver.user_id)]))


def submitted(uow: FakeUnitOfWork, buyer: Actor, approver: Actor) -> PurchaseOrder:
    approved_by(uow, approver)
    order = draft(uow, buyer)
    return workflow.submit_order(order.id or 0, order.version, actor=buyer, uow=uow, clock=CLOCK)


def decide(uow: FakeUnitOfWork, approver: Actor, override: bool = False) -> None:
    task = next(t for t in uow.approvals.tasks.values() if t.status.value == "open")
    engine.decide(task.id or 0, True, "", actor=approver, uow=uow, clock=CLOCK, override=override)


def held(uow: FakeUnitOfWork, document_type: str, document_id: int) -> Decimal:
    return sum(uow.budgets.outstanding(document_type, document_id).values(), D("0.00"))


def order_of(uow: FakeUnitOfWork, order: PurchaseOrder) -> PurchaseOrder:
    found = uow.purchase_orders.get_unscoped(order.id or 0)
    assert found is not None
    return found


def test_approval_hands_the_requisitions_share_over_to_the_orders_gross() -> None:
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)
    assert order.status is OrderStatus.PENDING_APPROVAL and held(uow, "purchase_order", order.id or 0) == 0

    decide(uow, manager)

    assert order_of(uow, order).status is OrderStatus.APPROVED
    assert held(uow, "requisition", REQUISITION) == D("0.00")
    assert held(uow, "purchase_order", order.id or 0) == order.gross_total == D("2373.00")
    assert uow.budgets.get(1).committed == D("2373.00")  # type: ignore[union-attr]
    assert "purchase_order.approved" in [e.action for e in uow.audit.events]


def test_nobody_approves_their_own_order() -> None:
    uow = world()
    buyer = buyer_of(uow)
    approved_by(uow, buyer)
    order = draft(uow, buyer)

    with pytest.raises(NoApprover):
        workflow.submit_order(order.id or 0, order.version, actor=buyer, uow=uow, clock=CLOCK)


def test_a_stop_budget_refuses_the_approval_unless_an_override_holder_overrides_it() -> None:
    uow = world(budget="2400.00")  # the requisition holds 2373.00; the order costs 2373.00 + 2 more
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = draft(uow, buyer)
    rows = [{"line_id": str(ln.id), "item": ln.item, "quantity": str(ln.quantity), "unit": ln.unit,
             "unit_price": str(ln.unit_price), "tax_rate": "13"} for ln in order.lines]
    rows[1]["unit_price"] = "550"  # 4 × 550 × 1.13 = 2486.00 instead of 2260.00
    update_order(order.id or 0, header(), rows, order.version, actor=buyer, uow=uow, clock=CLOCK)
    approved_by(uow, manager)
    workflow.submit_order(order.id or 0, order.version + 1, actor=buyer, uow=uow, clock=CLOCK)
    assert HANDLERS["purchase_order"].notice(order.id or 0, uow) == "budget.exceeded"

    with pytest.raises(BudgetExceeded):
        decide(uow, manager)

    uow = world(budget="2400.00")
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = draft(uow, buyer)
    update_order(order.id or 0, header(), rows, order.version, actor=buyer, uow=uow, clock=CLOCK)
    approved_by(uow, manager)
    workflow.submit_order(order.id or 0, order.version + 1, actor=buyer, uow=uow, clock=CLOCK)
    decide(uow, manager, override=True)
    assert uow.budgets.get(1).remaining == D("-199.00")  # type: ignore[union-attr]  # 2400 - 113 - 2486
    assert "budget.overridden" in [e.action for e in uow.audit.events]


def test_an_override_needs_the_permission() -> None:
    uow = world()
    buyer, boss = buyer_of(uow), person(uow, "boss", {"sales_manager"})
    order = submitted(uow, buyer, boss)
    uow.budgets.rows[1].amount = D("100.00")  # the budget was cut meanwhile

    with pytest.raises(PermissionDenied):
        decide(uow, boss, override=True)
    assert order.status is OrderStatus.PENDING_APPROVAL


def test_no_notice_while_the_budget_has_room() -> None:
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)

    assert HANDLERS["purchase_order"].notice(order.id or 0, uow) is None
    assert HANDLERS["purchase_order"].link(order.id or 0) == f"/purchase-orders/{order.id}"


def test_cancelling_an_approved_order_gives_quantities_and_budget_back() -> None:
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)
    decide(uow, manager)
    current = order_of(uow, order)

    with pytest.raises(ValidationFailed):
        workflow.cancel_order(order.id or 0, {"reason": " "}, current.version, actor=buyer, uow=uow, clock=CLOCK)
    cancelled = workflow.cancel_order(order.id or 0, {"reason": "Supplier cannot deliver"}, current.version,
                                      actor=buyer, uow=uow, clock=CLOCK)

    assert cancelled.status is OrderStatus.CANCELLED and cancelled.closed_reason == "Supplier cannot deliver"
    assert held(uow, "purchase_order", order.id or 0) == D("0.00")
    assert held(uow, "requisition", REQUISITION) == HELD  # re-committed for the quantity given back
    assert uow.order_sources.lines[CABLE].ordered_quantity == 0
    assert uow.order_sources.lines[CABLE].requisition_status is RequisitionStatus.APPROVED


def test_cancelling_when_the_budget_has_no_room_left_sends_the_requisition_line_back_unfunded() -> None:
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)
    decide(uow, manager)
    uow.budgets.rows[1].amount = D("1000.00")  # the budget was cut meanwhile

    workflow.cancel_order(order.id or 0, {"reason": "Too dear"}, order_of(uow, order).version, actor=buyer, uow=uow,
                          clock=CLOCK)

    assert held(uow, "requisition", REQUISITION) == D("113.00")  # the cable's share fitted, the switches' did not
    assert [e.after for e in uow.audit.events if e.action == "purchase_order.budget_not_reinstated"] == [
        {"budget_id": 1, "amount": "2260.00", "requisition_line_id": SWITCH}]


def test_cancelling_a_draft_gives_the_quantities_back_and_touches_no_budget() -> None:
    uow = world()
    buyer = buyer_of(uow)
    order = draft(uow, buyer)
    entries = len(uow.budgets.ledger)

    workflow.cancel_order(order.id or 0, {"reason": "Duplicate"}, order.version, actor=buyer, uow=uow, clock=CLOCK)

    assert uow.order_sources.lines[SWITCH].ordered_quantity == 0 and len(uow.budgets.ledger) == entries


def test_the_status_machine_refuses_what_the_status_does_not_allow() -> None:
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)
    version = order.version

    refusals = [
        (lambda: update_order(order.id or 0, header(), [], version, actor=buyer, uow=uow, clock=CLOCK), None),
        (lambda: workflow.submit_order(order.id or 0, version, actor=buyer, uow=uow, clock=CLOCK),
         "order.submit_not_draft"),
        (lambda: workflow.send_order(order.id or 0, version, actor=buyer, uow=uow, clock=CLOCK),
         "order.send_not_approved"),
        (lambda: workflow.close_order(order.id or 0, {}, version, actor=buyer, uow=uow, clock=CLOCK),
         "order.close_not_received"),
        (lambda: workflow.reopen_order(order.id or 0, version, actor=buyer, uow=uow, clock=CLOCK),
         "order.reopen_not_rejected"),
    ]
    for attempt, code in refusals:
        with pytest.raises((InvalidTransition, ValidationFailed)) as refused:
            attempt()
        if code:
            assert isinstance(refused.value, InvalidTransition) and refused.value.code == code


def test_editing_on_an_old_version_is_refused() -> None:
    uow = world()
    buyer = buyer_of(uow)
    order = draft(uow, buyer)

    with pytest.raises(StaleVersion):
        workflow.submit_order(order.id or 0, order.version - 1, actor=buyer, uow=uow, clock=CLOCK)


def test_send_records_when_and_refuses_a_supplier_blacklisted_meanwhile() -> None:
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)
    decide(uow, manager)
    version = order_of(uow, order).version
    supplier = uow.order_sources.suppliers[QUALIFIED]
    uow.order_sources.suppliers[QUALIFIED] = type(supplier)(QUALIFIED, supplier.name, SupplierStatus.BLACKLISTED)

    with pytest.raises(ValidationFailed) as refused:
        workflow.send_order(order.id or 0, version, actor=buyer, uow=uow, clock=CLOCK)
    uow.order_sources.suppliers[QUALIFIED] = supplier
    sent = workflow.send_order(order.id or 0, version, actor=buyer, uow=uow, clock=CLOCK)

    assert refused.value.errors == {"supplier_id": "order.supplier_blacklisted"}
    assert sent.status is OrderStatus.SENT and sent.sent_at == CLOCK.now()


def sent_order() -> tuple[FakeUnitOfWork, Actor, PurchaseOrder, PurchaseOrder]:
    """A world with an order its buyer drafted, a procurement manager approved and the buyer sent."""
    uow = world()
    buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
    order = submitted(uow, buyer, manager)
    decide(uow, manager)
    return uow, buyer, order, workflow.send_order(order.id or 0, order_of(uow, order).version, actor=buyer, uow=uow,
                                                  clock=CLOCK)


def test_nothing_received_may_be_cancelled_and_a_partly_received_order_closes_with_a_reason() -> None:
    uow, buyer, order, sent = sent_order()
    stored = uow.purchase_orders.rows[order.id or 0]
    stored.lines[1].received_quantity = stored.lines[1].accepted_quantity = D("1")

    with pytest.raises(InvalidTransition) as refused:
        workflow.cancel_order(order.id or 0, {"reason": "late"}, sent.version, actor=buyer, uow=uow, clock=CLOCK)
    stored.status = OrderStatus.PARTLY_RECEIVED
    with pytest.raises(ValidationFailed):
        workflow.close_order(order.id or 0, {}, sent.version, actor=buyer, uow=uow, clock=CLOCK)
    closed = workflow.close_order(order.id or 0, {"reason": "Rest not needed"}, sent.version, actor=buyer, uow=uow,
                                  clock=CLOCK)

    assert refused.value.code == "order.cancel_after_receipt"
    assert closed.status is OrderStatus.CLOSED
    assert held(uow, "purchase_order", order.id or 0) == D("565.00")  # one switch accepted: 500 + 13 % VAT


def test_an_invoiced_order_is_not_cancelled_until_the_invoice_is_rejected() -> None:
    uow, buyer, order, sent = sent_order()
    stored = uow.purchase_orders.rows[order.id or 0]
    stored.lines[0].invoiced_quantity = D("2")  # an invoice before any receipt: it waits in the exception queue

    with pytest.raises(InvalidTransition) as refused:
        workflow.cancel_order(order.id or 0, {"reason": "late"}, sent.version, actor=buyer, uow=uow, clock=CLOCK)
    unchanged = order_of(uow, order)
    stored.lines[0].invoiced_quantity = D("0")  # finance rejected it: its quantities were released
    cancelled = workflow.cancel_order(order.id or 0, {"reason": "late"}, sent.version, actor=buyer, uow=uow,
                                      clock=CLOCK)

    assert refused.value.code == "order.cancel_after_invoice"
    assert unchanged.status is OrderStatus.SENT and unchanged.version == sent.version
    assert cancelled.status is OrderStatus.CANCELLED


def test_approvers_read_what_they_approve_and_nobody_else_outside_the_scope() -> None:
    uow = world()
    buyer, approver = buyer_of(uow), person(uow, "boss", {"sales_manager"}, IT)
    stranger, other_buyer = person(uow, "other", {"sales_manager"}), person(uow, "far", {"buyer"}, department=99)
    order = submitted(uow, buyer, approver)

    assert get_order(order.id or 0, actor=approver, uow=uow, clock=CLOCK).as_approver
    assert not get_order(order.id or 0, actor=buyer, uow=uow, clock=CLOCK).as_approver
    with pytest.raises(PermissionDenied):
        get_order(order.id or 0, actor=stranger, uow=uow, clock=CLOCK)
    with pytest.raises(NotFound):
        get_order(order.id or 0, actor=other_buyer, uow=uow, clock=CLOCK)
    with pytest.raises(NotFound):
        workflow.cancel_order(order.id or 0, {"reason": "x"}, order.version, actor=other_buyer, uow=uow, clock=CLOCK)
