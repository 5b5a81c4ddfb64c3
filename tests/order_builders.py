"""Builders for purchase order tests: a fake world with suppliers, a budget, an approved requisition, and forms."""

from datetime import date
from decimal import Decimal
from typing import Any

from domain.budgets import ledger
from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import Actor
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.requisitions.models import RequisitionStatus
from domain.shared.numbering import NumberPattern
from domain.suppliers.models import SupplierStatus
from tests.builders import NOW, a_user, an_actor
from tests.fakes import FakeUnitOfWork

D = Decimal
PATTERN = NumberPattern.parse("PO-{year}-{seq:05d}", "purchase_order")
PURCHASING, IT = 10, 20  # the buyers' department and the department that requisitions
QUALIFIED, BLACKLISTED, PENDING, SUSPENDED = 1, 2, 3, 4
REQUISITION = 5
CABLE, SWITCH = 51, 52  # its lines: 10 m of cable at ¥11.30 and 4 switches at ¥565.00 (tax included)


def person(uow: FakeUnitOfWork, name: str, roles: set[str], department: int | None = PURCHASING) -> Actor:
    user_id = uow.users.add(a_user(username=name, display_name=name.title(), roles=frozenset(roles),
                                   department_id=department))
    return an_actor(uow.users.users[user_id])


def world(policy: BudgetPolicy = BudgetPolicy.STOP, budget: str = "10000.00") -> FakeUnitOfWork:
    """Suppliers in every status, an IT budget, and an approved IT requisition whose lines hold their share."""
    uow = FakeUnitOfWork({PURCHASING: None, IT: None})
    sources = uow.order_sources
    for supplier_id, status in ((QUALIFIED, SupplierStatus.QUALIFIED), (BLACKLISTED, SupplierStatus.BLACKLISTED),
                                (PENDING, SupplierStatus.PENDING), (SUSPENDED, SupplierStatus.SUSPENDED)):
        sources.suppliers[supplier_id] = SupplierFacts(supplier_id, f"Supplier {status.value}", status, "30 天")
    budget_id = uow.budgets.add(Budget(None, IT, "IT-26", "IT equipment", date(2026, 1, 1), date(2026, 12, 31),
                                       D(budget), policy, 1, NOW, NOW))
    for line_id, item, quantity, unit, price in ((CABLE, "Cat6 cable", "10", "m", "11.30"),
                                                 (SWITCH, "24-port switch", "4", "pcs", "565.00")):
        sources.lines[line_id] = RequisitionLineFacts(
            line_id, REQUISITION, "PR-2026-00007", "Office network", RequisitionStatus.APPROVED, IT, "IT", budget_id,
            item, "", unit, D(quantity), D("0.000"), D(price), date(2026, 12, 15))
        ledger.commit(budget_id, D(quantity) * D(price), "requisition", REQUISITION, reason="approved", actor=None,
                      uow=uow, now=NOW, line_id=line_id)
    return uow


def buyer_of(uow: FakeUnitOfWork) -> Actor:
    """A buyer who sees IT's requisitions (requisition scope: department) from within IT."""
    return person(uow, "buyer", {"buyer"}, IT)


def add_contract(uow: FakeUnitOfWork, amount: str, supplier_id: int = QUALIFIED, status: str = "active") -> int:
    contract_id = len(uow.order_sources.contracts) + 1
    uow.order_sources.contracts[contract_id] = FrameworkContract(contract_id, f"HT-2026-{contract_id:05d}",
                                                                 "Framework", supplier_id, status, D(amount), "CNY",
                                                                 D("0.00"))
    return contract_id


def header(**overrides: str) -> dict[str, str]:
    return {"supplier_id": str(QUALIFIED), "title": "Network gear", "delivery_address": "上海市浦东新区 1 号",
            "payment_terms": "30 天", "notes": ""} | overrides


def line(**overrides: Any) -> dict[str, str]:
    values = {"item": "Patch panel", "specification": "24 ports", "quantity": "2", "unit": "pcs",
              "unit_price": "100", "tax_rate": "13", "delivery_on": "2026-12-20", "budget_id": ""}
    return {k: str(v) for k, v in (values | overrides).items()}
