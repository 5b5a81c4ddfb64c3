"""Suppliers, budgets, approved requisitions and purchase contracts for purchase order tests, written straight to
the tables (their own pages are built by other modules), and an office of people around them."""

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert, select

from adapters.sqlalchemy.tables import contracts, requisition_lines, requisitions, suppliers
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.approvals.records import ApprovalRule, ApproverKind, RuleStep, StepMode
from domain.budgets import ledger
from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import Actor
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user

D = Decimal


@dataclass
class Office:
    company: int
    purchasing: int
    it: int
    buyer: Actor  # a buyer in purchasing: sees purchasing's orders and requisitions
    it_buyer: Actor  # a buyer inside IT: sees IT's requisitions and orders
    manager: Actor  # procurement manager: every order, may override budgets
    requester: Actor  # an IT employee who raised the requisition
    stranger: Actor  # a buyer of another department


def office(engine: Engine) -> Office:
    company = add_department(engine, "Company")
    purchasing, it = add_department(engine, "Purchasing", company), add_department(engine, "IT", company)
    other = add_department(engine, "Plant", company)
    uow = SqlUnitOfWork(engine)
    return Office(company, purchasing, it, add_user(uow, "buyer", {"buyer"}, purchasing),
                  add_user(uow, "itbuyer", {"buyer"}, it), add_user(uow, "pm", {"procurement_manager"}, company),
                  add_user(uow, "emp", {"employee"}, it), add_user(uow, "far", {"buyer"}, other))


def add_supplier(engine: Engine, name: str, status: str = "qualified", by: int = 1, **extra: Any) -> int:
    values = {"name": name, "name_key": name.lower(), "category": "it", "status": status, "region": "shanghai",
              "address": "上海市徐汇区 88 号", "payment_terms": "月结 30 天", "notes": "", "bank_name": "",
              "created_by": by, "created_at": NOW, "updated_at": NOW, "version": 1} | extra
    with engine.begin() as connection:
        return int(connection.execute(insert(suppliers).values(values).returning(suppliers.c.id)).scalar_one())


def add_budget(engine: Engine, department: int, amount: str, by: int, policy: BudgetPolicy = BudgetPolicy.STOP) -> int:
    with SqlUnitOfWork(engine) as uow:
        budget_id = uow.budgets.add(Budget(None, department, "B-" + secrets.token_hex(3), "IT equipment",
                                           date(2026, 1, 1), date(2026, 12, 31), D(amount), policy, by, NOW, NOW))
        uow.commit()
    return budget_id


def add_requisition(engine: Engine, requester: Actor, budget_id: int | None,
                    lines: list[tuple[str, str, str, str]], status: str = "approved") -> tuple[int, list[int]]:
    """An approved requisition of the requester's department; lines are (item, quantity, unit, estimated price).
    Each line commits its estimated amount to the budget, as the requisition's approval does."""
    with engine.begin() as connection:
        total = sum((D(q) * D(p) for _, q, _, p in lines), D(0))
        requisition_id = int(connection.execute(insert(requisitions).values(
            number="PR-2026-" + secrets.token_hex(3), title="办公网络改造", purpose="",
            department_id=requester.department_id, requester_id=requester.user_id, budget_id=budget_id,
            estimated_total=total,
            status=status, created_by=requester.user_id, created_at=NOW, updated_at=NOW, version=1,
        ).returning(requisitions.c.id)).scalar_one())
        line_ids = [int(connection.execute(insert(requisition_lines).values(
            requisition_id=requisition_id, position=position, item=item, specification="", quantity=D(quantity),
            unit=unit, estimated_unit_price=D(price), amount=D(quantity) * D(price), needed_by=date(2026, 12, 20),
            ordered_quantity=0).returning(requisition_lines.c.id)).scalar_one())
            for position, (item, quantity, unit, price) in enumerate(lines, 1)]
    if budget_id is not None:
        with SqlUnitOfWork(engine) as uow:
            for line_id, (_, quantity, _, price) in zip(line_ids, lines, strict=True):
                ledger.commit(budget_id, D(quantity) * D(price), "requisition", requisition_id, reason="approved",
                              actor=requester, uow=uow, now=NOW, line_id=line_id)
            uow.commit()
    return requisition_id, line_ids


def add_purchase_contract(engine: Engine, supplier_id: int, owner: Actor, amount: str, status: str = "active") -> int:
    with engine.begin() as connection:
        return int(connection.execute(insert(contracts).values(
            number="HT-" + secrets.token_hex(4).upper(), title="年度框架协议", supplier_id=supplier_id,
            amount=D(amount),
            currency="CNY", owner_id=owner.user_id, department_id=owner.department_id, payment_terms="", notes="",
            status=status, amendment=0, created_by=owner.user_id, created_at=NOW, updated_at=NOW, version=1,
        ).returning(contracts.c.id)).scalar_one())


def order_rule(engine: Engine, approver: Actor) -> int:
    """Every purchase order needs `approver`'s approval."""
    with SqlUnitOfWork(engine) as uow:
        rule_id = uow.approvals.add_rule(ApprovalRule(None, "Orders", "purchase_order", None, D(0), None, [
            RuleStep(1, StepMode.ALL, ApproverKind.USER, user_id=approver.user_id)]))
        uow.commit()
    return rule_id


def ordered_quantity(engine: Engine, line_id: int) -> Decimal:
    with engine.connect() as connection:
        value = connection.execute(select(requisition_lines.c.ordered_quantity)
                                   .where(requisition_lines.c.id == line_id)).scalar_one()
    return D(value)


def requisition_status(engine: Engine, requisition_id: int) -> str:
    with engine.connect() as connection:
        return str(connection.execute(select(requisitions.c.status).where(requisitions.c.id == requisition_id))
                   .scalar_one())


def order_form(supplier_id: int, *lines: dict[str, str], **header: str) -> dict[str, Any]:
    """A direct order form: the header and lines as parallel lists, as the browser sends them."""
    fields = ("line_id", "requisition_line_id", "item", "specification", "quantity", "unit", "unit_price",
              "tax_rate", "delivery_on", "budget_id")
    form: dict[str, Any] = {"supplier_id": str(supplier_id), "title": "网络设备", "delivery_address": "上海",
                            "payment_terms": "30 天", "notes": "", "contract_id": ""} | header
    return form | {name: [line.get(name, "") for line in lines] for name in fields}


def a_line(**values: str) -> dict[str, str]:
    return {"item": "交换机", "quantity": "2", "unit": "台", "unit_price": "1000", "tax_rate": "13"} | values
