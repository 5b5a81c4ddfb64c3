"""Supplier use cases with fakes: register, edit, duplicates, reveal, qualification status, scorecard."""

from datetime import date
from decimal import Decimal

import pytest

from domain.shared.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ReauthenticationRequired,
    StaleVersion,
    ValidationFailed,
)
from domain.suppliers import services
from domain.suppliers.errors import CreditCodeTaken, PossibleDuplicates
from domain.suppliers.lifecycle import StatusAction
from domain.suppliers.models import Supplier, SupplierStatus
from domain.suppliers.scorecard import Period, ScorecardCounts
from domain.suppliers.status import change_supplier_status
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.supplier_builders import ACCOUNT, OTHER_CODE, SUPPLIER_CODE, procurement_actor, supplier_form

BUYER, MANAGER = procurement_actor("buyer"), procurement_actor("procurement_manager", 2)
FRESH_MANAGER = procurement_actor("procurement_manager", 2, fresh=True)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def register(uow: FakeUnitOfWork, token: str = "t1", confirmed: bool = False, **fields: str) -> Supplier:
    return services.register_supplier(supplier_form(**fields), token, confirmed=confirmed, actor=BUYER, uow=uow,
                                      clock=FakeClock())


class TestRegister:
    def test_starts_pending_and_audits_with_the_account_masked(self, uow: FakeUnitOfWork) -> None:
        supplier = register(uow)

        assert supplier.status is SupplierStatus.PENDING and uow.committed
        event = uow.audit.events[-1]
        assert (event.action, event.entity_type, event.entity_id) == ("supplier.created", "supplier", str(supplier.id))
        assert event.after is not None and event.after["bank_account"] == "**** **** **** 0123"
        assert ACCOUNT not in str(event.after) and event.after["status"] == "pending"

    def test_the_same_form_token_makes_one_supplier(self, uow: FakeUnitOfWork) -> None:
        first, again = register(uow), register(uow)

        assert again.id == first.id and len(uow.suppliers.rows) == 1

    def test_a_taken_credit_code_is_refused_naming_the_holder(self, uow: FakeUnitOfWork) -> None:
        holder = register(uow)

        with pytest.raises(CreditCodeTaken) as refused:
            register(uow, "t2", name="完全不同的公司")

        assert refused.value.holder_id == holder.id
        assert refused.value.errors == {"credit_code": "supplier.credit_code_taken"}

    def test_the_same_normalised_name_needs_confirmation(self, uow: FakeUnitOfWork) -> None:
        first = register(uow)

        with pytest.raises(PossibleDuplicates) as warned:
            register(uow, "t2", name="精密零件（上海）有限公司", credit_code=OTHER_CODE)
        second = register(uow, "t3", confirmed=True, name="精密零件（上海）有限公司", credit_code=OTHER_CODE)

        assert [(c.id, c.reasons) for c in warned.value.candidates] == [(first.id, ("name",))]
        assert second.id != first.id

    def test_roles_without_supplier_create_are_refused(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(PermissionDenied):
            services.register_supplier(supplier_form(), "t", actor=procurement_actor("employee"), uow=uow,
                                       clock=FakeClock())

        assert not uow.suppliers.rows

    def test_bad_input_writes_nothing(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed):
            register(uow, name="")

        assert not uow.committed


class TestUpdate:
    def test_keeps_the_stored_account_when_left_empty_and_audits_only_changes(self, uow: FakeUnitOfWork) -> None:
        supplier = register(uow)

        updated = services.update_supplier(supplier.id or 0, supplier_form(bank_account="", payment_terms="月结 30 天"),
                                           1, actor=BUYER, uow=uow, clock=FakeClock())

        assert updated.version == 2 and updated.fields.bank_account == ACCOUNT
        event = uow.audit.events[-1]
        assert (event.action, event.before, event.after) == (
            "supplier.updated", {"payment_terms": "月结 60 天"}, {"payment_terms": "月结 30 天"})

    def test_remove_clears_the_account_and_the_audit_shows_masks(self, uow: FakeUnitOfWork) -> None:
        supplier = register(uow)

        services.update_supplier(supplier.id or 0, supplier_form(bank_account="", remove_bank_account="1"), 1,
                                 actor=BUYER, uow=uow, clock=FakeClock())

        assert uow.suppliers.rows[supplier.id or 0].fields.bank_account is None
        assert uow.audit.events[-1].before == {"bank_account": "**** **** **** 0123"}

    def test_a_stale_version_is_refused(self, uow: FakeUnitOfWork) -> None:
        supplier = register(uow)
        services.update_supplier(supplier.id or 0, supplier_form(notes="a"), 1, actor=BUYER, uow=uow, clock=FakeClock())

        with pytest.raises(StaleVersion) as stale:
            services.update_supplier(supplier.id or 0, supplier_form(notes="b"), 1, actor=BUYER, uow=uow,
                                     clock=FakeClock())

        assert stale.value.current_version == 2

    def test_renaming_onto_another_suppliers_name_needs_confirmation(self, uow: FakeUnitOfWork) -> None:
        register(uow)
        other = register(uow, "t2", name="北京宏达物流有限公司", credit_code=OTHER_CODE)

        with pytest.raises(PossibleDuplicates):
            services.update_supplier(other.id or 0, supplier_form(name="上海精密零件股份有限公司", credit_code=""), 1,
                                     actor=BUYER, uow=uow, clock=FakeClock())
        services.update_supplier(other.id or 0, supplier_form(name="上海精密零件股份有限公司", credit_code=""), 1,
                                 confirmed=True, actor=BUYER, uow=uow, clock=FakeClock())

        assert uow.suppliers.rows[other.id or 0].name == "上海精密零件股份有限公司"

    def test_taking_another_suppliers_credit_code_is_refused(self, uow: FakeUnitOfWork) -> None:
        first = register(uow)
        other = register(uow, "t2", name="北京宏达物流有限公司", credit_code=OTHER_CODE)

        with pytest.raises(CreditCodeTaken) as refused:
            services.update_supplier(other.id or 0, supplier_form(name="北京宏达物流有限公司"), 1, actor=BUYER,
                                     uow=uow, clock=FakeClock())

        assert refused.value.holder_id == first.id


class TestReveal:
    def test_needs_the_permission_then_step_up_and_audits_the_field_only(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow).id or 0

        with pytest.raises(PermissionDenied):
            services.reveal_supplier_field(supplier_id, "bank_account", actor=BUYER, uow=uow, clock=FakeClock())
        with pytest.raises(ReauthenticationRequired):
            services.reveal_supplier_field(supplier_id, "bank_account", actor=MANAGER, uow=uow, clock=FakeClock())
        value = services.reveal_supplier_field(supplier_id, "bank_account", actor=FRESH_MANAGER, uow=uow,
                                               clock=FakeClock())

        assert value == ACCOUNT
        assert (uow.audit.events[-1].action, uow.audit.events[-1].after) == ("supplier.revealed",
                                                                             {"field": "bank_account"})

    def test_other_fields_and_empty_accounts_are_not_found(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow, bank_account="").id or 0

        for field in ("bank_account", "name"):
            with pytest.raises(NotFound):
                services.reveal_supplier_field(supplier_id, field, actor=FRESH_MANAGER, uow=uow, clock=FakeClock())


class TestStatus:
    def change(self, uow: FakeUnitOfWork, supplier_id: int, action: StatusAction, reason: str = "",
               version: int = 1) -> Supplier:
        return change_supplier_status(supplier_id, action, reason, version, actor=MANAGER, uow=uow, clock=FakeClock())

    def test_qualify_suspend_requalify_with_reasons_audited(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow).id or 0

        self.change(uow, supplier_id, StatusAction.QUALIFY, "现场审核通过")
        suspended = self.change(uow, supplier_id, StatusAction.SUSPEND, "交期连续延误", 2)

        assert (suspended.status, suspended.status_reason, suspended.version) == (SupplierStatus.SUSPENDED,
                                                                                 "交期连续延误", 3)
        event = uow.audit.events[-1]
        assert (event.action, event.before, event.after) == (
            "supplier.suspended", {"status": "qualified", "reason": "现场审核通过"},
            {"status": "suspended", "reason": "交期连续延误"})

    def test_blacklist_then_restore_to_pending(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow).id or 0

        self.change(uow, supplier_id, StatusAction.BLACKLIST, "伪造资质")
        restored = self.change(uow, supplier_id, StatusAction.RESTORE, "复核后撤销", 2)

        assert restored.status is SupplierStatus.PENDING and not restored.status.orderable
        assert [e.action for e in uow.audit.events][-2:] == ["supplier.blacklisted", "supplier.restored"]

    def test_buyers_may_not_change_the_status(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow).id or 0

        with pytest.raises(PermissionDenied):
            change_supplier_status(supplier_id, StatusAction.QUALIFY, "", 1, actor=BUYER, uow=uow, clock=FakeClock())

    def test_refusals(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow).id or 0

        with pytest.raises(InvalidTransition):
            self.change(uow, supplier_id, StatusAction.SUSPEND, "why")
        with pytest.raises(ValidationFailed):
            self.change(uow, supplier_id, StatusAction.BLACKLIST, " ")
        with pytest.raises(StaleVersion):
            self.change(uow, supplier_id, StatusAction.QUALIFY, version=7)
        assert uow.suppliers.rows[supplier_id].status is SupplierStatus.PENDING


class TestDuplicatesAndScorecard:
    def test_find_duplicates_by_code_or_name_excluding_the_record_itself(self, uow: FakeUnitOfWork) -> None:
        supplier = register(uow)

        by_name = services.find_duplicates({"name": "精密零件"}, None, actor=BUYER, uow=uow)
        by_code = services.find_duplicates({"name": "x", "credit_code": SUPPLIER_CODE.lower()}, None, actor=BUYER,
                                           uow=uow)
        itself = services.find_duplicates(supplier_form(), supplier.id, actor=BUYER, uow=uow)

        assert [c.reasons for c in by_name] == [("name",)] and [c.reasons for c in by_code] == [("credit_code",)]
        assert itself == []

    def test_scorecard_reads_the_period_and_computes(self, uow: FakeUnitOfWork) -> None:
        supplier_id = register(uow).id or 0
        uow.supplier_scorecards.counts_given = ScorecardCounts(receipt_lines=4, dated_lines=4, on_time_lines=3)
        period = Period(date(2026, 1, 1), date(2026, 6, 30))

        card = services.supplier_scorecard(supplier_id, period, actor=BUYER, uow=uow)

        assert card.on_time_rate == Decimal("75.0")
        assert uow.supplier_scorecards.asked == [(supplier_id, date(2026, 1, 1), date(2026, 6, 30))]
        with pytest.raises(NotFound):
            services.supplier_scorecard(999, period, actor=BUYER, uow=uow)
