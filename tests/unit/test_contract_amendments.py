from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.contracts.amendments import amended, diff
from domain.contracts.models import Contract, ContractStatus, ContractTerms, FieldChange
from domain.shared.numbering import InvalidPattern, NumberPattern
from tests.builders import NOW

TERMS = ContractTerms("Maintenance 2026", 7, Decimal("12345.60"), "CNY", date(2026, 1, 2), date(2026, 2, 1),
                      date(2027, 1, 31), "30 days net", "")


def test_diff_lists_only_changed_fields_in_term_order_as_plain_values() -> None:
    new = replace(TERMS, amount=Decimal("15000"), end_on=date(2027, 6, 30), customer_id=9)

    assert diff(TERMS, new) == (FieldChange("customer_id", 7, 9), FieldChange("amount", "12345.60", "15000.00"),
                                FieldChange("end_on", "2027-01-31", "2027-06-30"))


def test_diff_of_equal_terms_is_empty_even_when_amounts_are_written_differently() -> None:
    assert diff(TERMS, replace(TERMS, amount=Decimal("12345.6"))) == ()


def test_diff_shows_cleared_dates_as_none() -> None:
    assert diff(TERMS, replace(TERMS, signed_on=None)) == (FieldChange("signed_on", "2026-01-02", None),)


def test_amended_contract_takes_the_terms_and_the_next_numbers() -> None:
    contract = Contract(3, "HT-2026-00003", "Old", 7, Decimal(1), "USD", None, None, None, 1, None, "", "",
                        ContractStatus.ACTIVE, 1, NOW, NOW, amendment=2, version=5)

    result = amended(contract, TERMS, now=NOW.replace(hour=11))

    assert ContractTerms.of(result) == TERMS
    assert (result.amendment, result.version, result.status, result.number) == (3, 6, ContractStatus.ACTIVE,
                                                                                 "HT-2026-00003")


@pytest.mark.parametrize(("pattern", "number", "key"), [
    ("HT-{year}-{seq:05d}", "HT-2026-00042", "contract:2026"),
    ("C{seq}", "C42", "contract"),
    ("{year}/{seq:04d}-SH", "2026/0042-SH", "contract:2026"),
])
def test_number_patterns(pattern: str, number: str, key: str) -> None:
    parsed = NumberPattern.parse(pattern)

    assert parsed.format(2026, 42) == number
    assert parsed.sequence_key(2026) == key


@pytest.mark.parametrize("pattern", ["HT-{year}", "{seq}{seq}", "HT-{month}-{seq}", "HT-{seq:x5}", "HT-{seq",
                                     "X" * 40 + "{seq}", "{seq.real}", "{seq[0]}"])
def test_unusable_number_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(InvalidPattern):
        NumberPattern.parse(pattern)
