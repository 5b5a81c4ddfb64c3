"""The budget ledger on SQLite and PostgreSQL: a stop budget holds under concurrent commitments."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.budgets import ledger
from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import Budget, BudgetPolicy
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user


def test_concurrent_commitments_never_take_a_stop_budget_below_zero(engine: Engine) -> None:
    department = add_department(engine, "IT")
    buyer = add_user(SqlUnitOfWork(engine), "buyer", {"buyer"}, department)
    with SqlUnitOfWork(engine) as uow:
        budget_id = uow.budgets.add(Budget(None, department, "IT-26", "IT", date(2026, 1, 1), date(2026, 12, 31),
                                           Decimal("500.00"), BudgetPolicy.STOP, buyer.user_id, NOW, NOW))
        uow.commit()

    def commit(document_id: int) -> bool:
        try:
            with SqlUnitOfWork(engine) as uow:
                ledger.commit(budget_id, Decimal("100.10"), "requisition", document_id, reason="approved",
                              actor=buyer, uow=uow, now=NOW)
                uow.commit()
            return True
        except BudgetExceeded:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(commit, range(1, 9)))

    with SqlUnitOfWork(engine) as uow:
        budget = uow.budgets.get(budget_id)
        entries = uow.budgets.entries(budget_id)
    assert outcomes.count(True) == 4  # 4 × 100.10 = 400.40; a fifth would make 500.50
    assert budget is not None and budget.committed == Decimal("400.40")
    assert sorted(e.document_id for e in entries) == sorted(i for i, ok in zip(range(1, 9), outcomes, strict=True)
                                                            if ok)


def test_a_release_returns_exactly_what_was_committed(engine: Engine) -> None:
    department = add_department(engine, "IT")
    buyer = add_user(SqlUnitOfWork(engine), "buyer", {"buyer"}, department)
    with SqlUnitOfWork(engine) as uow:
        budget_id = uow.budgets.add(Budget(None, department, "IT-26", "IT", date(2026, 1, 1), date(2026, 12, 31),
                                           Decimal("1000.00"), BudgetPolicy.STOP, buyer.user_id, NOW, NOW))
        for line_id, amount in ((1, "0.10"), (2, "0.20"), (3, "999.70")):
            ledger.commit(budget_id, Decimal(amount), "purchase_order", 3, reason="approved", actor=buyer, uow=uow,
                          now=NOW, line_id=line_id)
        uow.commit()

    with SqlUnitOfWork(engine) as uow:
        released = ledger.release_document("purchase_order", 3, reason="cancelled", actor=buyer, uow=uow, now=NOW)
        uow.commit()

    with SqlUnitOfWork(engine) as uow:
        budget = uow.budgets.get(budget_id)
        assert uow.budgets.outstanding("purchase_order", 3) == {}
    assert released == Decimal("1000.00")
    assert budget is not None and budget.committed == Decimal("0.00")
