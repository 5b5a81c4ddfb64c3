from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.contracts.errors import InvalidTransition
from domain.contracts.lifecycle import REFUSALS, TRANSITIONS, Action, transition
from domain.contracts.models import Contract, ContractStatus as S
from domain.shared.errors import ValidationFailed
from tests.builders import NOW

LATER = NOW.replace(hour=10)
VALID = sorted(TRANSITIONS.items())
INVALID = [(status, action) for status in S for action in Action if (status, action) not in TRANSITIONS]


def a_contract(status: S) -> Contract:
    return Contract(1, "HT-2026-00001", "Service", 1, Decimal("100.00"), "CNY", None, date(2026, 1, 1),
                    date(2026, 12, 31), 1, None, "", "", status, 1, NOW, NOW, version=3)


@pytest.mark.parametrize(("move", "target"), VALID, ids=[f"{s}-{a}" for (s, a), _ in VALID])
def test_valid_transitions_move_the_status_and_the_version(move: tuple[S, Action], target: S) -> None:
    status, action = move

    moved = transition(a_contract(status), action, now=LATER, reason="Customer insolvent")

    assert (moved.status, moved.version, moved.updated_at) == (target, 4, LATER)


@pytest.mark.parametrize(("status", "action"), INVALID, ids=[f"{s}-{a}" for s, a in INVALID])
def test_invalid_transitions_are_refused_with_the_rule_for_the_action(status: S, action: Action) -> None:
    with pytest.raises(InvalidTransition) as refused:
        transition(a_contract(status), action, now=LATER, reason="x")

    assert refused.value.code == REFUSALS[action]


def test_the_table_covers_the_product_lifecycle() -> None:
    assert {(s.value, a.value, t.value) for (s, a), t in TRANSITIONS.items() if s != t} == {
        ("draft", "submit", "pending_approval"), ("pending_approval", "approve", "active"),
        ("pending_approval", "reject", "rejected"), ("rejected", "reopen", "draft"),
        ("active", "terminate", "terminated"), ("active", "renew", "renewed"), ("active", "expire", "expired")}
    assert REFUSALS[Action.SUBMIT] == "contract.submit_not_draft"


@pytest.mark.parametrize("reason", ["", "   "])
def test_termination_needs_a_reason(reason: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        transition(a_contract(S.ACTIVE), Action.TERMINATE, now=LATER, reason=reason)

    assert refused.value.errors == {"reason": "required"}


def test_termination_keeps_the_reason_and_other_moves_leave_it() -> None:
    terminated = transition(a_contract(S.ACTIVE), Action.TERMINATE, now=LATER, reason=" Breach of payment ")
    expired = transition(replace(a_contract(S.ACTIVE), end_reason=None), Action.EXPIRE, now=LATER, reason="ignored")

    assert terminated.end_reason == "Breach of payment"
    assert expired.end_reason is None
