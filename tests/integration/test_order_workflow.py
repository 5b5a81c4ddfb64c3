"""Orders on SQLite and PostgreSQL: concurrent orders never over-order a requisition line, approval commits the
budget (a stop budget needs the override), cancelling gives quantities and budget back, conflicts and refusals."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals import engine as approvals
from domain.budgets.errors import BudgetExceeded
from domain.identity.models import Actor
from domain.purchasing import drafting, workflow
from domain.purchasing.models import PurchaseOrder
from domain.shared.errors import ValidationFailed
from tests.builders import NOW
from tests.integration.conftest import csrf_of, sign_in_as
from tests.integration.order_helpers import (
    D,
    Office,
    a_line,
    add_budget,
    add_purchase_contract,
    add_requisition,
    add_supplier,
    office,
    order_form,
    order_rule,
    ordered_quantity,
    requisition_status,
)
from tests.order_builders import PATTERN
from web.deps import Dependencies


class FixedClock:
    def now(self):  # type: ignore[no-untyped-def]
        return NOW


CLOCK = FixedClock()


@pytest.fixture
def people(engine: Engine) -> Office:
    return office(engine)


def draft(engine: Engine, buyer: Actor, supplier: int, *lines: int) -> PurchaseOrder:
    return drafting.order_requisition_lines(str(supplier), [str(i) for i in lines], actor=buyer,
                                            uow=SqlUnitOfWork(engine), clock=CLOCK, pattern=PATTERN)


def held(engine: Engine, document_type: str, document_id: int) -> Decimal:
    with SqlUnitOfWork(engine) as uow:
        return sum(uow.budgets.outstanding(document_type, document_id).values(), D("0.00"))


def committed(engine: Engine, budget_id: int) -> Decimal:
    with SqlUnitOfWork(engine) as uow:
        budget = uow.budgets.get(budget_id)
    assert budget is not None
    return budget.committed


def decide(engine: Engine, approver: Actor, override: bool = False) -> None:
    with SqlUnitOfWork(engine) as uow:
        task = uow.approvals.inbox(approver.user_id, NOW.date(), None, 1)[0]
    approvals.decide(task.task_id, True, "", actor=approver, uow=SqlUnitOfWork(engine), clock=CLOCK, override=override)


def test_concurrent_orders_of_one_requisition_line_never_order_more_than_it_asks(
        engine: Engine, people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    requisition, (line,) = add_requisition(engine, people.requester, None, [("网线", "10", "箱", "100")])
    form = order_form(supplier, a_line(requisition_line_id=str(line), quantity="3", unit="箱"))
    rows = [{name: values[0] for name, values in form.items() if isinstance(values, list)}]

    def order(_: int) -> bool:
        try:
            drafting.create_order(form, rows, actor=people.it_buyer, uow=SqlUnitOfWork(engine), clock=CLOCK,
                                  pattern=PATTERN)
            return True
        except ValidationFailed as refused:
            assert refused.errors == {"line-0-quantity": "order.over_ordered"}
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(order, range(8)))

    assert outcomes.count(True) == 3  # 3 × 3 = 9 of 10; a fourth would make 12
    assert ordered_quantity(engine, line) == D("9")
    assert requisition_status(engine, requisition) == "partly_ordered"


def test_concurrent_orders_for_all_that_remains_give_it_to_exactly_one(engine: Engine, people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    requisition, lines = add_requisition(engine, people.requester, None, [("网线", "7.5", "箱", "100"),
                                                                           ("水晶头", "200", "个", "0.5")])

    def order(_: int) -> str:
        try:
            return draft(engine, people.it_buyer, supplier, *lines).number
        except ValidationFailed:
            return ""

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = [n for n in pool.map(order, range(6)) if n]

    assert len(numbers) == 1
    assert [ordered_quantity(engine, i) for i in lines] == [D("7.5"), D("200")]
    assert requisition_status(engine, requisition) == "ordered"


def test_approval_commits_the_budget_and_a_stop_budget_needs_the_override(engine: Engine, people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    budget = add_budget(engine, people.it, "1200.00", people.manager.user_id)
    requisition, lines = add_requisition(engine, people.requester, budget, [("交换机", "1", "台", "1130.00")])
    order = draft(engine, people.it_buyer, supplier, *lines)  # 1000.00 + 130.00 VAT
    order = drafting.update_order(order.id or 0, {"supplier_id": str(supplier), "title": "交换机"}, [
        {"line_id": str(order.lines[0].id), "item": "交换机", "quantity": "1", "unit": "台", "unit_price": "1100",
         "tax_rate": "13"}], order.version, actor=people.it_buyer, uow=SqlUnitOfWork(engine), clock=CLOCK)
    order_rule(engine, people.manager)
    workflow.submit_order(order.id or 0, order.version, actor=people.it_buyer, uow=SqlUnitOfWork(engine),
                          clock=CLOCK)

    with pytest.raises(BudgetExceeded):
        decide(engine, people.manager)  # 1243.00 > 1200.00, and no override chosen
    assert held(engine, "requisition", requisition) == D("1130.00")  # the whole decision was rolled back
    assert held(engine, "purchase_order", order.id or 0) == 0

    decide(engine, people.manager, override=True)
    assert held(engine, "requisition", requisition) == 0
    assert held(engine, "purchase_order", order.id or 0) == D("1243.00")
    assert committed(engine, budget) == D("1243.00")


def test_cancelling_an_approved_order_gives_back_quantities_and_budget(engine: Engine, people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    budget = add_budget(engine, people.it, "5000.00", people.manager.user_id)
    requisition, lines = add_requisition(engine, people.requester, budget, [("交换机", "2", "台", "1130.00")])
    order = draft(engine, people.it_buyer, supplier, *lines)
    order_rule(engine, people.manager)
    workflow.submit_order(order.id or 0, order.version, actor=people.it_buyer, uow=SqlUnitOfWork(engine),
                          clock=CLOCK)
    decide(engine, people.manager)
    with SqlUnitOfWork(engine) as uow:
        approved = uow.purchase_orders.get_unscoped(order.id or 0)
    assert approved is not None and approved.status.value == "approved"

    workflow.cancel_order(order.id or 0, {"reason": "供应商无法交货"}, approved.version, actor=people.it_buyer,
                          uow=SqlUnitOfWork(engine), clock=CLOCK)

    assert ordered_quantity(engine, lines[0]) == 0 and requisition_status(engine, requisition) == "approved"
    assert held(engine, "purchase_order", order.id or 0) == 0
    assert held(engine, "requisition", requisition) == D("2260.00")
    assert committed(engine, budget) == D("2260.00")


def test_two_orders_cannot_together_pass_the_framework_contract(engine: Engine, people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    contract = add_purchase_contract(engine, supplier, people.manager, "3000.00")
    form = order_form(supplier, a_line(quantity="1", unit_price="1000"), contract_id=str(contract))  # 1130.00
    rows = [{name: values[0] for name, values in form.items() if isinstance(values, list)}]
    made = [drafting.create_order(form, rows, actor=people.buyer, uow=SqlUnitOfWork(engine), clock=CLOCK,
                                  pattern=PATTERN) for _ in range(2)]  # 2260.00 of 3000.00

    with pytest.raises(ValidationFailed) as refused:
        drafting.create_order(form, rows, actor=people.buyer, uow=SqlUnitOfWork(engine), clock=CLOCK, pattern=PATTERN)
    workflow.cancel_order(made[0].id or 0, {"reason": "Duplicate"}, made[0].version, actor=people.buyer,
                          uow=SqlUnitOfWork(engine), clock=CLOCK)
    third = drafting.create_order(form, rows, actor=people.buyer, uow=SqlUnitOfWork(engine), clock=CLOCK,
                                  pattern=PATTERN)

    assert refused.value.errors == {"contract_id": "order.contract_exceeded"}
    assert third.contract_id == contract


def test_a_stale_edit_gets_409_with_the_typed_values_kept(client: FlaskClient, deps: Dependencies, engine: Engine,
                                                          people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    sign_in_as(client, deps, people.buyer)
    token = csrf_of(client, "/purchase-orders")
    created = client.post("/purchase-orders", data=order_form(supplier, a_line()) | {"csrf_token": token})
    order_id = int(created.headers["Location"].rsplit("/", 1)[1])
    form = order_form(supplier, a_line(item="新交换机"), title="改过的标题") | {"csrf_token": token, "version": "1"}
    assert client.post(f"/purchase-orders/{order_id}", data=form).status_code == 303

    stale = client.post(f"/purchase-orders/{order_id}", data=form | {"title": "又改了"})

    assert stale.status_code == 409 and "Someone else saved this order" in stale.text
    assert 'value="又改了"' in stale.text and 'name="version" value="2"' in stale.text


def test_lifecycle_buttons_refuse_with_a_message_and_change_nothing(
        client: FlaskClient, deps: Dependencies, engine: Engine, people: Office) -> None:
    supplier = add_supplier(engine, "华东网络", by=people.manager.user_id)
    sign_in_as(client, deps, people.buyer)
    token = csrf_of(client, "/purchase-orders")
    created = client.post("/purchase-orders", data=order_form(supplier, a_line()) | {"csrf_token": token})
    path = created.headers["Location"]

    sent = client.post(f"{path}/send", data={"csrf_token": token, "version": "1"})
    assert "Only an approved order can be sent" in client.get(sent.headers["Location"]).text
    closed = client.post(f"{path}/close", data={"csrf_token": token, "version": "1", "reason": "x"})
    assert "Only a received or partly received order can be closed" in client.get(closed.headers["Location"]).text
    no_reason = client.post(f"{path}/cancel", data={"csrf_token": token, "version": "1", "reason": ""})
    assert no_reason.status_code == 422 and "Fill in this field." in no_reason.text
    submitted = client.post(f"{path}/submit", data={"csrf_token": token, "version": "1"})
    assert "Approved at once" in client.get(submitted.headers["Location"]).text  # no rule for orders
    cancelled = client.post(f"{path}/cancel", data={"csrf_token": token, "version": "3", "reason": "Not needed"})
    assert "Order cancelled." in client.get(cancelled.headers["Location"]).text
