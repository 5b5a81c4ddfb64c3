"""The budget ledger: commitments within a stop budget, warnings beyond a warn budget, audited overrides,
and releases of whole documents or parts of a line."""

from datetime import date
from decimal import Decimal

import pytest

from domain.budgets import ledger
from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import Actor
from domain.shared.errors import PermissionDenied
from tests.builders import NOW
from tests.fakes import FakeUnitOfWork

D = Decimal
BUYER = Actor(1, "buyer", "Buyer", frozenset({"buyer"}), 1)
MANAGER = Actor(2, "pm", "PM", frozenset({"procurement_manager"}), 1)


def a_budget(uow: FakeUnitOfWork, amount: str, policy: BudgetPolicy = BudgetPolicy.STOP) -> int:
    return uow.budgets.add(Budget(None, 1, "IT-2026", "IT equipment", date(2026, 1, 1), date(2026, 12, 31), D(amount),
                                  policy, 1, NOW, NOW))


def test_a_commitment_within_the_budget_is_recorded_and_audited() -> None:
    uow = FakeUnitOfWork()
    budget_id = a_budget(uow, "1000.00")

    after = ledger.commit(budget_id, D("400.00"), "requisition", 7, reason="approved", actor=BUYER, uow=uow, now=NOW)

    assert after.remaining == D("600.00")
    assert uow.budgets.outstanding("requisition", 7) == {(budget_id, None): D("400.00")}
    assert [(e.action, e.entity_id, e.after["amount"]) for e in uow.audit.events] == [
        ("budget.committed", str(budget_id), "400.00")]


def test_the_last_fen_of_a_stop_budget_can_be_committed_but_not_one_more() -> None:
    uow = FakeUnitOfWork()
    budget_id = a_budget(uow, "1000.00")
    ledger.commit(budget_id, D("999.99"), "requisition", 1, reason="approved", actor=BUYER, uow=uow, now=NOW)

    ledger.commit(budget_id, D("0.01"), "requisition", 2, reason="approved", actor=BUYER, uow=uow, now=NOW)
    with pytest.raises(BudgetExceeded) as refused:
        ledger.commit(budget_id, D("0.01"), "requisition", 3, reason="approved", actor=BUYER, uow=uow, now=NOW)

    assert refused.value.remaining == D("0.00")
    assert uow.budgets.get(budget_id).committed == D("1000.00")  # type: ignore[union-attr]
    assert uow.budgets.outstanding("requisition", 3) == {}


def test_a_warn_budget_lets_the_commitment_through() -> None:
    uow = FakeUnitOfWork()
    budget_id = a_budget(uow, "100.00", BudgetPolicy.WARN)

    after = ledger.commit(budget_id, D("150.00"), "requisition", 1, reason="approved", actor=BUYER, uow=uow, now=NOW)

    assert after.remaining == D("-50.00")
    assert ledger.check(budget_id, D("1.00"), uow).exceeds
    assert not ledger.check(budget_id, D("1.00"), uow).blocked


def test_an_override_needs_the_permission_and_is_audited_as_such() -> None:
    uow = FakeUnitOfWork()
    budget_id = a_budget(uow, "100.00")

    with pytest.raises(PermissionDenied):
        ledger.commit(budget_id, D("150.00"), "purchase_order", 1, reason="approved", actor=BUYER, uow=uow, now=NOW,
                      override=True)
    ledger.commit(budget_id, D("150.00"), "purchase_order", 1, reason="approved", actor=MANAGER, uow=uow, now=NOW,
                  override=True)

    assert uow.budgets.get(budget_id).remaining == D("-50.00")  # type: ignore[union-attr]
    assert uow.budgets.ledger[-1].overridden_by == MANAGER.user_id
    assert [e.action for e in uow.audit.events] == ["budget.overridden"]


def test_releasing_a_document_gives_back_every_line_it_holds() -> None:
    uow = FakeUnitOfWork()
    budget_id = a_budget(uow, "1000.00")
    for line_id, amount in ((11, "300.00"), (12, "200.00")):
        ledger.commit(budget_id, D(amount), "purchase_order", 5, reason="approved", actor=BUYER, uow=uow, now=NOW,
                      line_id=line_id)

    released = ledger.release_document("purchase_order", 5, reason="cancelled", actor=BUYER, uow=uow, now=NOW)

    assert released == D("500.00")
    assert uow.budgets.get(budget_id).committed == D("0.00")  # type: ignore[union-attr]
    assert uow.budgets.outstanding("purchase_order", 5) == {}
    assert ledger.release_document("purchase_order", 5, reason="cancelled", actor=BUYER, uow=uow, now=NOW) == 0


def test_a_line_is_released_in_part_and_never_beyond_what_it_holds() -> None:
    uow = FakeUnitOfWork()
    budget_id = a_budget(uow, "1000.00")
    ledger.commit(budget_id, D("300.00"), "requisition", 9, reason="approved", actor=BUYER, uow=uow, now=NOW,
                  line_id=1)

    first = ledger.release_line("requisition", 9, 1, reason="ordered", actor=BUYER, uow=uow, now=NOW,
                                up_to=D("120.00"))
    rest = ledger.release_line("requisition", 9, 1, reason="ordered", actor=BUYER, uow=uow, now=NOW,
                               up_to=D("500.00"))

    assert (first, rest) == (D("120.00"), D("180.00"))
    assert uow.budgets.get(budget_id).committed == D("0.00")  # type: ignore[union-attr]
