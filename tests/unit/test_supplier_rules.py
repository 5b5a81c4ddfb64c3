"""Pure supplier rules: field validation, the qualification state machine, documents' expiry, scorecard math."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.shared.errors import InvalidTransition, ValidationFailed
from domain.shared.sensitive import SensitiveKind, mask
from domain.suppliers.documents import document_fields, expiry_alert
from domain.suppliers.lifecycle import StatusAction as A, available, next_status
from domain.suppliers.models import DocumentAlert, SupplierStatus as S
from domain.suppliers.scorecard import Period, ScorecardCounts, compute, default_period, percentage, period_of
from domain.suppliers.validation import supplier_fields
from tests.supplier_builders import ACCOUNT, supplier_form

TODAY = date(2026, 11, 25)


class TestSupplierFields:
    def test_normalises_name_code_and_account(self) -> None:
        fields = supplier_fields(supplier_form(name="  上海精密  零件有限公司 ", credit_code="91310000ma1k 000019",
                                               bank_account=f"  {ACCOUNT} "))

        assert fields.name == "上海精密 零件有限公司"
        assert fields.credit_code == "91310000MA1K000019"
        assert fields.bank_account == ACCOUNT

    def test_optional_fields_may_stay_empty(self) -> None:
        fields = supplier_fields({"name": "Acme", "category": "other", "region": "other"})

        assert (fields.credit_code, fields.bank_account, fields.address, fields.notes) == (None, None, "", "")

    def test_names_every_bad_field(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            supplier_fields({"name": "", "credit_code": "91310000MA1K000010", "category": "toys", "region": "",
                             "bank_account": "12-34", "payment_terms": "x" * 201})

        assert refused.value.errors == {"name": "required", "credit_code": "credit_code.invalid",
                                        "category": "choice.invalid", "region": "required",
                                        "bank_account": "bank_account.invalid", "payment_terms": "too_long"}

    @pytest.mark.parametrize("account", ["1234567", "6222-0212-3456-7890-1234-5678-9012-3456-7", "6222 02ab 3456",
                                         "-62220212345678"])
    def test_refuses_accounts_that_are_not_8_to_32_digits(self, account: str) -> None:
        with pytest.raises(ValidationFailed, match=r"bank_account\.invalid"):
            supplier_fields(supplier_form(bank_account=account))

    def test_short_credit_code_says_how_long_it_must_be(self) -> None:
        with pytest.raises(ValidationFailed, match=r"credit_code\.length"):
            supplier_fields(supplier_form(credit_code="9131000"))


class TestQualificationStatus:
    @pytest.mark.parametrize(("status", "action", "after"), [
        (S.PENDING, A.QUALIFY, S.QUALIFIED), (S.SUSPENDED, A.QUALIFY, S.QUALIFIED),
        (S.QUALIFIED, A.SUSPEND, S.SUSPENDED), (S.PENDING, A.BLACKLIST, S.BLACKLISTED),
        (S.QUALIFIED, A.BLACKLIST, S.BLACKLISTED), (S.SUSPENDED, A.BLACKLIST, S.BLACKLISTED),
        (S.BLACKLISTED, A.RESTORE, S.PENDING),
    ])
    def test_allowed_moves(self, status: S, action: A, after: S) -> None:
        assert next_status(status, action, "  checked on site  ") == (after, "checked on site")

    @pytest.mark.parametrize(("status", "action", "code"), [
        (S.QUALIFIED, A.QUALIFY, "supplier.qualify_not_allowed"),
        (S.BLACKLISTED, A.QUALIFY, "supplier.qualify_not_allowed"),
        (S.PENDING, A.SUSPEND, "supplier.suspend_not_qualified"),
        (S.BLACKLISTED, A.BLACKLIST, "supplier.blacklisted_already"),
        (S.QUALIFIED, A.RESTORE, "supplier.restore_not_blacklisted"),
    ])
    def test_refused_moves_name_the_rule(self, status: S, action: A, code: str) -> None:
        with pytest.raises(InvalidTransition) as refused:
            next_status(status, action, "reason")

        assert refused.value.code == code

    @pytest.mark.parametrize(("status", "action"), [(S.QUALIFIED, A.SUSPEND), (S.PENDING, A.BLACKLIST),
                                                    (S.BLACKLISTED, A.RESTORE)])
    def test_suspend_blacklist_and_restore_need_a_reason(self, status: S, action: A) -> None:
        with pytest.raises(ValidationFailed, match=r"supplier\.reason_required"):
            next_status(status, action, "   ")

    def test_qualifying_needs_no_reason(self) -> None:
        assert next_status(S.PENDING, A.QUALIFY, "") == (S.QUALIFIED, None)

    def test_only_qualified_suppliers_take_orders(self) -> None:
        assert [s for s in S if s.orderable] == [S.QUALIFIED]

    def test_available_actions_follow_the_status(self) -> None:
        assert available(S.PENDING) == [A.QUALIFY, A.BLACKLIST]
        assert available(S.QUALIFIED) == [A.SUSPEND, A.BLACKLIST]
        assert available(S.BLACKLISTED) == [A.RESTORE]


class TestDocuments:
    @pytest.mark.parametrize(("days", "alert"), [(61, None), (60, DocumentAlert.EXPIRING), (0, DocumentAlert.EXPIRING),
                                                 (-1, DocumentAlert.EXPIRED)])
    def test_expiry_alert(self, days: int, alert: DocumentAlert | None) -> None:
        assert expiry_alert(TODAY + timedelta(days=days), TODAY) == alert

    def test_no_expiry_date_is_never_marked(self) -> None:
        assert expiry_alert(None, TODAY) is None

    def test_document_fields(self) -> None:
        fields = document_fields({"kind": "business_licence", "title": " 营业执照 ", "number": "",
                                  "issued_on": "1998-03-02", "expires_on": "2030-01-01"})

        assert (fields.title, fields.issued_on, fields.expires_on) == ("营业执照", date(1998, 3, 2), date(2030, 1, 1))

    def test_document_fields_refuse_expiry_before_issue_and_bad_dates(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            document_fields({"kind": "x", "title": "", "issued_on": "2026-05-01", "expires_on": "2026-04-30"})
        with pytest.raises(ValidationFailed) as bad_date:
            document_fields({"kind": "tax", "title": "t", "expires_on": "31.12.2026"})

        assert refused.value.errors == {"kind": "choice.invalid", "title": "required",
                                        "expires_on": "document.expires_before_issued"}
        assert bad_date.value.errors == {"expires_on": "document.date_invalid"}


class TestScorecardMath:
    PERIOD = Period(date(2025, 11, 26), TODAY)

    def test_no_data_gives_no_rates_rather_than_zero(self) -> None:
        card = compute(self.PERIOD, ScorecardCounts())

        assert (card.on_time_rate, card.rejection_rate, card.price_variance) == (None, None, None)
        assert card.price_difference == Decimal("0.00")

    def test_lines_received_with_zero_quantity_give_no_rejection_rate(self) -> None:
        card = compute(self.PERIOD, ScorecardCounts(receipt_lines=2, received=Decimal("0.000")))

        assert card.rejection_rate is None and card.on_time_rate is None  # no delivery dates either

    def test_rates_round_half_up_to_one_decimal(self) -> None:
        counts = ScorecardCounts(receipt_lines=9, dated_lines=8, on_time_lines=7, received=Decimal("1000.000"),
                                 rejected=Decimal("12.250"), invoice_lines=3, invoiced_net=Decimal("10012.50"),
                                 ordered_value=Decimal("10000.0000000"))

        card = compute(self.PERIOD, counts)

        assert card.on_time_rate == Decimal("87.5")  # 7 / 8 exactly
        assert card.rejection_rate == Decimal("1.2")  # 1.225 %
        assert card.price_variance == Decimal("0.1")  # 0.125 % → 0.1
        assert card.price_difference == Decimal("12.50")

    def test_half_way_rounds_up(self) -> None:
        assert percentage(1, 8) == Decimal("12.5")
        assert percentage(Decimal("0.0005"), 1) == Decimal("0.1")  # 0.05 % → 0.1
        assert percentage(2, 3) == Decimal("66.7")

    def test_invoices_below_the_order_prices_give_a_negative_variance(self) -> None:
        card = compute(self.PERIOD, ScorecardCounts(invoice_lines=1, invoiced_net=Decimal("950.00"),
                                                    ordered_value=Decimal("1000")))

        assert (card.price_variance, card.price_difference) == (Decimal("-5.0"), Decimal("-50.00"))

    def test_default_period_is_the_last_twelve_months(self) -> None:
        assert default_period(TODAY) == Period(date(2025, 11, 26), TODAY)
        assert default_period(date(2028, 2, 29)) == Period(date(2027, 3, 1), date(2028, 2, 29))

    def test_period_of_a_request(self) -> None:
        assert period_of({"from": "2026-01-01", "to": "2026-06-30"}, TODAY) == Period(date(2026, 1, 1),
                                                                                     date(2026, 6, 30))
        assert period_of({}, TODAY) == default_period(TODAY)
        with pytest.raises(ValidationFailed, match=r"scorecard\.end_before_start"):
            period_of({"from": "2026-06-30", "to": "2026-01-01"}, TODAY)
        with pytest.raises(ValidationFailed, match=r"date\.invalid"):
            period_of({"from": "yesterday"}, TODAY)


def test_bank_account_mask_keeps_only_the_last_four_digits() -> None:
    assert mask(SensitiveKind.BANK_ACCOUNT, ACCOUNT) == "**** **** **** 0123"
    assert supplier_fields(supplier_form()).masked("bank_account") == "**** **** **** 0123"
    assert supplier_fields(supplier_form()).audited()["bank_account"] == "**** **** **** 0123"
