"""Requisition form rules: every cell checked on its own row, amounts half-up per line, totals their sum."""

from datetime import date
from decimal import Decimal

import pytest

from domain.budgets.models import Budget, BudgetPolicy
from domain.requisitions.validation import LineInput, RequisitionInput, check_lines, requisition_draft
from domain.shared.errors import ValidationFailed
from tests.builders import NOW

TODAY = date(2026, 11, 25)
D = Decimal


def row(item: str = "A4 paper", quantity: str = "10", price: str = "25.5", **more: str) -> LineInput:
    return LineInput(item=item, quantity=quantity, unit=more.get("unit", "box"), unit_price=price,
                     specification=more.get("specification", ""), needed_by=more.get("needed_by", ""))


def form(*lines: LineInput, **header: str) -> RequisitionInput:
    values = {"title": "Office supplies", "purpose": "Q1 stock", "needed_by": "2026-12-15", "budget_id": ""} | header
    return RequisitionInput(lines=lines or (row(),), **values)


def a_budget(budget_id: int = 1) -> Budget:
    return Budget(budget_id, 2, "IT-26", "IT", date(2026, 1, 1), date(2026, 12, 31), D("1000.00"), BudgetPolicy.STOP,
                  1, NOW, NOW)


def test_each_line_is_rounded_half_up_to_the_fen_and_the_total_adds_the_rounded_lines() -> None:
    checked = check_lines([row(quantity="3", price="0.3335"), row(quantity="1", price="0.005"),
                           row(quantity="2.5", price="1,280")], TODAY)

    assert [r.amount for r in checked.rows] == [D("1.00"), D("0.01"), D("3200.00")]
    assert checked.total == D("3201.01")
    assert [line.position for line in checked.lines] == [1, 2, 3]


def test_full_width_digits_and_a_yuan_sign_are_understood() -> None:
    checked = check_lines([row(quantity="１２", price="¥３.５")], TODAY)

    assert checked.lines[0].quantity == D("12") and checked.lines[0].amount == D("42.00")


def test_blank_rows_are_ignored_but_keep_their_place_for_the_messages() -> None:
    checked = check_lines([row(), LineInput(), row(quantity="0", price="abc", unit="")], TODAY)

    assert len(checked.lines) == 1
    assert checked.errors == {"lines-3-quantity": "quantity.not_positive", "lines-3-unit_price": "price.invalid",
                              "lines-3-unit": "required"}
    assert checked.total == D("255.00")


def test_bad_cells_are_named_with_their_row_and_field() -> None:
    checked = check_lines([row(item="", quantity="1.2345", price="0", needed_by="2026-11-24",
                               specification="x" * 501)], TODAY)

    assert checked.errors == {"lines-1-item": "required", "lines-1-quantity": "quantity.decimals",
                              "lines-1-unit_price": "price.not_positive", "lines-1-specification": "too_long",
                              "lines-1-needed_by": "requisition.needed_by_past"}
    assert checked.rows[0].amount is None and checked.lines == ()


def test_a_row_with_good_numbers_has_an_amount_even_while_other_cells_are_wrong() -> None:
    checked = check_lines([row(item="")], TODAY)

    assert checked.rows[0].amount == D("255.00")
    assert checked.lines == ()


def test_an_amount_beyond_what_is_stored_exactly_is_refused_on_the_price() -> None:
    checked = check_lines([row(quantity="999999999", price="999999999")], TODAY)

    assert checked.errors == {"lines-1-unit_price": "amount.too_large"}


def test_the_draft_needs_title_purpose_date_and_a_line() -> None:
    with pytest.raises(ValidationFailed) as refused:
        requisition_draft(RequisitionInput(lines=(LineInput(), LineInput())), TODAY, [])

    assert refused.value.errors == {"title": "required", "purpose": "required", "needed_by": "required",
                                    "lines": "requisition.no_lines"}


def test_a_budget_line_is_required_when_the_department_has_open_ones() -> None:
    with pytest.raises(ValidationFailed) as missing:
        requisition_draft(form(), TODAY, [a_budget()])
    with pytest.raises(ValidationFailed) as foreign:
        requisition_draft(form(budget_id="7"), TODAY, [a_budget()])

    assert missing.value.errors == {"budget_id": "requisition.budget_required"}
    assert foreign.value.errors == {"budget_id": "requisition.budget_unavailable"}
    assert requisition_draft(form(budget_id="1"), TODAY, [a_budget()]).budget_id == 1
    assert requisition_draft(form(), TODAY, []).budget_id is None


def test_the_draft_normalises_what_was_typed() -> None:
    draft = requisition_draft(form(row(item="  Toner   cartridge ", quantity="2", price="10", needed_by="2026-12-01"),
                                   title="  Printer   toner "), TODAY, [])

    assert draft.title == "Printer toner"
    assert draft.lines[0].item == "Toner cartridge" and draft.lines[0].needed_by == date(2026, 12, 1)
    assert draft.lines[0].compact() == "Toner cartridge 2 box × 10 = 20.00, by 2026-12-01"


def test_the_needed_by_date_may_not_have_passed() -> None:
    with pytest.raises(ValidationFailed) as refused:
        requisition_draft(form(needed_by="2026-11-24"), TODAY, [])

    assert refused.value.errors == {"needed_by": "requisition.needed_by_past"}
