"""The requisition state machine: every allowed move, every refusal with its own message code."""

from dataclasses import replace
from datetime import date

import pytest

from domain.requisitions.lifecycle import LIFECYCLE, Action, transition
from domain.requisitions.models import Requisition, RequisitionStatus as S
from domain.shared.errors import InvalidTransition, ValidationFailed
from tests.builders import NOW

LATER = NOW.replace(hour=10)
VALID = sorted(LIFECYCLE.transitions.items())
INVALID = [(status, action) for status in S for action in Action if (status, action) not in LIFECYCLE.transitions]


def a_requisition(status: S) -> Requisition:
    return Requisition(1, "PR-2026-00001", "Paper", "Stock", 2, 1, None, date(2026, 12, 1), status, 1, NOW, NOW,
                       version=3)


@pytest.mark.parametrize(("move", "target"), VALID, ids=[f"{s}-{a}" for (s, a), _ in VALID])
def test_valid_transitions_move_the_status_and_the_version(move: tuple[S, Action], target: S) -> None:
    status, action = move

    moved = transition(a_requisition(status), action, now=LATER, reason="Not needed any more")

    assert (moved.status, moved.version, moved.updated_at) == (target, 4, LATER)


@pytest.mark.parametrize(("status", "action"), INVALID, ids=[f"{s}-{a}" for s, a in INVALID])
def test_invalid_transitions_are_refused_with_the_rule_for_the_action(status: S, action: Action) -> None:
    with pytest.raises(InvalidTransition) as refused:
        transition(a_requisition(status), action, now=LATER, reason="x")

    assert refused.value.code == LIFECYCLE.refusals[action]


def test_the_table_is_the_product_lifecycle() -> None:
    assert {(s.value, a.value, t.value) for (s, a), t in LIFECYCLE.transitions.items() if s != t} == {
        ("draft", "submit", "submitted"), ("submitted", "approve", "approved"), ("submitted", "reject", "rejected"),
        ("rejected", "reopen", "draft"), ("approved", "close", "closed"), ("partly_ordered", "close", "closed"),
        ("ordered", "close", "closed")}


def test_orders_move_requisitions_on_their_own_and_only_closing_is_offered_then() -> None:
    for status in (S.PARTLY_ORDERED, S.ORDERED):
        assert [a for a in Action if LIFECYCLE.allowed(status, a)] == [Action.CLOSE]
    assert S.APPROVED.orderable and S.PARTLY_ORDERED.orderable and not S.ORDERED.orderable


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_closing_needs_a_short_reason(reason: str) -> None:
    with pytest.raises(ValidationFailed):
        transition(a_requisition(S.APPROVED), Action.CLOSE, now=LATER, reason=reason)


def test_submit_and_decisions_stamp_their_moments() -> None:
    submitted = transition(a_requisition(S.DRAFT), Action.SUBMIT, now=LATER)
    approved = transition(submitted, Action.APPROVE, now=LATER.replace(hour=11))
    closed = transition(replace(approved), Action.CLOSE, now=LATER, reason=" Supplier gone ")

    assert (submitted.submitted_at, submitted.decided_at) == (LATER, None)
    assert approved.decided_at == LATER.replace(hour=11)
    assert closed.closed_reason == "Supplier gone"
