from decimal import Decimal

import pytest

from domain.invoicing.matching import LineFacts, invoice_status, match_line, price_difference
from domain.invoicing.models import InvoiceStatus, MatchStatus
from domain.procurement.tolerances import Tolerances

D = Decimal
STRICT = Tolerances(D(0), D(0), D(0))
USUAL = Tolerances(D(0), D(0), D(2))


def _facts(accepted: str = "10", before: str = "0", price: str = "10.00", rate: int = 13) -> LineFacts:
    return LineFacts(D(accepted), D(before), D(price), rate)


def _match(quantity: str, price: str, facts: LineFacts, tolerances: Tolerances = USUAL, rate: int = 13) -> MatchStatus:
    return match_line(D(quantity), D(price), rate, facts, tolerances).status


def test_everything_as_ordered_and_received_matches() -> None:
    assert _match("10", "10.00", _facts()) is MatchStatus.MATCHED


@pytest.mark.parametrize(("price", "expected"), [("10.20", MatchStatus.MATCHED), ("10.21", MatchStatus.PRICE_OVER),
                                                 ("10.2001", MatchStatus.PRICE_OVER), ("9.00", MatchStatus.MATCHED)])
def test_price_at_the_tolerance_passes_and_one_fen_beyond_fails(price: str, expected: MatchStatus) -> None:
    assert _match("10", price, _facts()) is expected


def test_zero_price_tolerance_allows_exactly_the_order_price() -> None:
    assert _match("10", "10.00", _facts(), STRICT) is MatchStatus.MATCHED
    assert _match("10", "10.0001", _facts(), STRICT) is MatchStatus.PRICE_OVER


@pytest.mark.parametrize(("quantity", "expected"), [("10.5", MatchStatus.MATCHED),
                                                    ("10.501", MatchStatus.QUANTITY_OVER)])
def test_quantity_at_the_tolerance_passes_and_one_thousandth_beyond_fails(quantity: str, expected: MatchStatus) -> None:
    tolerances = Tolerances(D(0), D(5), D(2))

    assert _match(quantity, "10.00", _facts(), tolerances) is expected


def test_zero_quantity_tolerance_allows_exactly_what_was_accepted() -> None:
    assert _match("10", "10", _facts(), STRICT) is MatchStatus.MATCHED
    assert _match("10.001", "10", _facts(), STRICT) is MatchStatus.QUANTITY_OVER


def test_nothing_received_yet_means_nothing_may_be_billed() -> None:
    match = match_line(D("1"), D("10"), 13, _facts(accepted="0"), Tolerances(D(0), D(50), D(2)))

    assert match.status is MatchStatus.NOT_RECEIVED
    assert match.detail["quantity_limit"] == "0"


def test_earlier_invoices_count_against_what_was_accepted() -> None:
    assert _match("4", "10", _facts(before="6")) is MatchStatus.MATCHED
    match = match_line(D("4.001"), D("10"), 13, _facts(before="6"), USUAL)

    assert match.status is MatchStatus.QUANTITY_OVER
    assert (match.detail["invoiced_before"], match.detail["invoiced_total"]) == ("6", "10.001")


def test_a_different_vat_rate_is_a_mismatch() -> None:
    assert _match("10", "10", _facts(), rate=9) is MatchStatus.TAX_RATE


def test_several_problems_are_all_kept_and_the_first_is_the_status() -> None:
    match = match_line(D("12"), D("10.80"), 9, _facts(), USUAL)

    assert match.issues == (MatchStatus.QUANTITY_OVER, MatchStatus.PRICE_OVER, MatchStatus.TAX_RATE)
    assert match.status is MatchStatus.QUANTITY_OVER
    assert match.detail["issues"] == ["quantity_over", "price_over", "tax_rate_mismatch"]


def test_the_detail_says_what_was_expected_found_and_allowed() -> None:
    detail = match_line(D("10"), D("10.80"), 13, _facts(), USUAL).detail

    assert {k: detail[k] for k in ("unit_price", "order_price", "price_limit", "price_tolerance",
                                   "price_difference")} == {"unit_price": "10.8", "order_price": "10",
                                                            "price_limit": "10.2", "price_tolerance": "2.00",
                                                            "price_difference": "8.0"}


def test_price_difference_is_signed_to_one_decimal_and_absent_for_free_lines() -> None:
    assert price_difference(D("9.75"), D("10")) == "-2.5"
    assert price_difference(D("10.0035"), D("10")) == "0.0"
    assert price_difference(D("1"), D("0")) is None


def test_a_free_order_line_matches_only_a_free_invoice_line() -> None:
    assert _match("1", "0", _facts(price="0")) is MatchStatus.MATCHED
    assert _match("1", "0.01", _facts(price="0")) is MatchStatus.PRICE_OVER


def test_an_invoice_is_matched_only_when_every_line_is() -> None:
    good, bad = match_line(D(1), D(10), 13, _facts(), USUAL), match_line(D(1), D(11), 13, _facts(), USUAL)

    assert invoice_status([good, good]) is InvoiceStatus.MATCHED
    assert invoice_status([good, bad]) is InvoiceStatus.EXCEPTION
    assert InvoiceStatus.MATCHED.ready_to_pay and not InvoiceStatus.EXCEPTION.ready_to_pay
