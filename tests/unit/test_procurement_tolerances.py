from decimal import Decimal

import pytest

from domain.procurement.amounts import InvalidNumber
from domain.procurement.settings import SettingsChanged, get_tolerances, update_tolerances
from domain.procurement.tolerances import DEFAULTS, Tolerances, limit, parse_percent, tolerances_from, within
from domain.shared.errors import PermissionDenied, ValidationFailed
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.receiving_builders import BUYER, CLERK

FORM = {"over_receipt": "5", "invoice_quantity": "0", "invoice_price": "2.5 %"}


@pytest.mark.parametrize(("text", "expected"), [("0", "0.00"), ("100", "100.00"), ("2.5", "2.50"), ("１０％", "10.00"),
                                                (" 3.25 % ", "3.25")])
def test_parse_percent_accepts_0_to_100_with_two_decimals(text: str, expected: str) -> None:
    assert parse_percent(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "code"), [("", "required"), ("abc", "percent.invalid"), ("NaN", "percent.invalid"),
                                            ("1.234", "percent.decimals"), ("100.01", "percent.range"),
                                            ("-1", "percent.range")])
def test_parse_percent_refuses_with_a_code(text: str, code: str) -> None:
    with pytest.raises(InvalidNumber) as refused:
        parse_percent(text)

    assert refused.value.code == code


def test_defaults_are_no_over_receipt_no_quantity_slack_and_two_percent_on_price() -> None:
    assert tolerances_from({}) == Tolerances(Decimal(0), Decimal(0), Decimal(2)) == DEFAULTS


def test_stored_values_override_defaults_and_unreadable_ones_fall_back() -> None:
    assert tolerances_from({"over_receipt": "5.00", "invoice_price": "junk"}) == Tolerances(
        Decimal(5), Decimal(0), Decimal(2))


def test_limit_is_exact_and_its_edge_passes() -> None:
    assert limit(Decimal("10.00"), Decimal("2")) == Decimal("10.2")
    assert within(Decimal("10.20"), Decimal("10.00"), Decimal("2"))
    assert not within(Decimal("10.21"), Decimal("10.00"), Decimal("2"))
    assert not within(Decimal("10.001"), Decimal("10"), Decimal("0"))


def test_update_tolerances_stores_changes_and_audits_before_and_after() -> None:
    uow = FakeUnitOfWork()

    saved = update_tolerances(FORM, DEFAULTS.fingerprint(), actor=CLERK, uow=uow, clock=FakeClock())

    assert saved == Tolerances(Decimal(5), Decimal(0), Decimal("2.5"))
    assert uow.procurement_settings.stored == {"over_receipt": "5.00", "invoice_price": "2.50"}
    event = uow.audit.events[-1]
    assert (event.action, event.before, event.after) == (
        "procurement.settings_changed", {"over_receipt": "0.00", "invoice_price": "2.00"},
        {"over_receipt": "5.00", "invoice_price": "2.50"})


def test_saving_unchanged_tolerances_writes_nothing() -> None:
    uow = FakeUnitOfWork()

    update_tolerances(DEFAULTS.as_values(), DEFAULTS.fingerprint(), actor=CLERK, uow=uow, clock=FakeClock())

    assert not uow.committed and uow.audit.events == []


def test_update_refuses_when_someone_saved_since_the_form_was_opened() -> None:
    uow = FakeUnitOfWork()
    uow.procurement_settings.stored["invoice_price"] = "3.00"

    with pytest.raises(SettingsChanged) as changed:
        update_tolerances(FORM, DEFAULTS.fingerprint(), actor=CLERK, uow=uow, clock=FakeClock())

    assert changed.value.current.invoice_price == Decimal(3)
    assert not uow.committed


def test_update_names_every_bad_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        update_tolerances({"over_receipt": "101", "invoice_quantity": "x", "invoice_price": "1"}, "",
                          actor=CLERK, uow=FakeUnitOfWork(), clock=FakeClock())

    assert refused.value.errors == {"over_receipt": "percent.range", "invoice_quantity": "percent.invalid"}


def test_only_holders_of_procurement_settings_read_or_change_them() -> None:
    with pytest.raises(PermissionDenied):
        get_tolerances(actor=BUYER, uow=FakeUnitOfWork())
    with pytest.raises(PermissionDenied):
        update_tolerances(FORM, DEFAULTS.fingerprint(), actor=BUYER, uow=FakeUnitOfWork(), clock=FakeClock())
