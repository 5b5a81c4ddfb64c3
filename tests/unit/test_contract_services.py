from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.approvals import engine
from domain.approvals.models import HANDLERS, ApprovalSubject, Outcome
from domain.contracts import amending, services, workflow
from domain.contracts.errors import InvalidTransition
from domain.contracts.models import ContractStatus
from domain.customers.models import Customer, CustomerFields, CustomerStage
from domain.identity.models import Actor
from domain.shared.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from domain.shared.numbering import NumberPattern
from tests.builders import NOW, a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork

PATTERN = NumberPattern.parse("HT-{year}-{seq:05d}")
REP, OTHER, BOSS, FAR, ADMIN, AUDITOR = 1, 2, 3, 4, 5, 6


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: 1, 3: None})
    for name, department, role in (("rep", 2, "sales_rep"), ("other", 2, "sales_rep"), ("boss", 1, "sales_manager"),
                                   ("far", 3, "sales_rep"), ("admin", None, "administrator"),
                                   ("auditor", None, "auditor")):
        uow.users.add(a_user(username=name, display_name=name.title(), department_id=department,
                             roles=frozenset({role})))
    for owner, department in ((REP, 2), (FAR, 3)):
        fields = CustomerFields(f"Customer of {owner}", None, "technology", "shanghai", CustomerStage.LEAD, owner,
                                None, None)
        uow.customers.add(Customer(None, fields, department, NOW, NOW, owner))
    return uow


@pytest.fixture
def approvals(monkeypatch: pytest.MonkeyPatch) -> list[ApprovalSubject]:
    started: list[ApprovalSubject] = []

    def start(subject: ApprovalSubject, *, actor: Actor, uow: Any, now: Any) -> Outcome:
        started.append(subject)
        return Outcome.PENDING

    monkeypatch.setattr(engine, "start_approval", start)
    return started


def who(uow: FakeUnitOfWork, user_id: int) -> Actor:
    user = uow.users.get(user_id)
    assert user is not None
    return an_actor(user)


def form(**overrides: str) -> dict[str, str]:
    values = {"title": "年度维护合同", "customer_id": "1", "amount": "12,345.67", "currency": "", "owner_id": "1",
              "start_on": "2026-12-01", "end_on": "2027-11-30", "payment_terms": "30 days", "notes": ""}
    return values | overrides


def draft(uow: FakeUnitOfWork, user_id: int = REP, **overrides: str):  # type: ignore[no-untyped-def]
    return services.create_contract(form(owner_id=str(user_id)) | overrides, actor=who(uow, user_id), uow=uow,
                                    clock=FakeClock(), pattern=PATTERN)


def active(uow: FakeUnitOfWork, approvals: list[ApprovalSubject]):  # type: ignore[no-untyped-def]
    contract = draft(uow)
    workflow.submit_contract(contract.id, contract.version, actor=who(uow, REP), uow=uow, clock=FakeClock())
    HANDLERS["contract"].on_decided(contract.id, Outcome.APPROVED, actor=who(uow, BOSS), uow=uow, now=NOW)
    return uow.contracts.rows[contract.id]


class TestCreate:
    def test_numbers_drafts_from_the_pattern_and_audits(self, uow: FakeUnitOfWork) -> None:
        first, second = draft(uow), draft(uow)

        assert (first.number, second.number) == ("HT-2026-00001", "HT-2026-00002")
        assert first.status is ContractStatus.DRAFT and first.amount == Decimal("12345.67")
        assert (first.currency, first.department_id) == ("CNY", 2)
        assert uow.audit.actions() == ["contract.created", "contract.created"]
        assert uow.audit.events[0].after is not None and uow.audit.events[0].after["amount"] == "12345.67"

    def test_needs_the_create_permission(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(PermissionDenied):
            draft(uow, AUDITOR)

        assert not uow.contracts.rows and not uow.committed

    def test_party_must_be_in_the_actors_customer_scope(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as refused:
            draft(uow, customer_id="2")

        assert refused.value.errors == {"customer_id": "contract.customer_unknown"}
        assert not uow.contracts.rows

    def test_a_rep_cannot_make_someone_else_owner_but_a_manager_can_within_the_team(
            self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as refused:
            draft(uow, owner_id=str(OTHER))
        made = services.create_contract(form(owner_id=str(OTHER)), actor=who(uow, BOSS), uow=uow, clock=FakeClock(),
                                        pattern=PATTERN)
        with pytest.raises(ValidationFailed):
            services.create_contract(form(owner_id=str(FAR)), actor=who(uow, BOSS), uow=uow, clock=FakeClock(),
                                     pattern=PATTERN)

        assert refused.value.errors == {"owner_id": "contract.owner_not_allowed"}
        assert made.owner_id == OTHER

    def test_reports_every_bad_field(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as refused:
            draft(uow, title="", amount="1.234", currency="XYZ", end_on="2026-01-01")

        assert refused.value.errors == {"title": "required", "amount": "amount.decimals",
                                        "currency": "choice.invalid", "end_on": "contract.end_before_start"}


class TestEditDraft:
    def test_saves_changes_and_audits_only_what_changed(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)

        edited = services.update_contract(contract.id, form(amount="20000"), contract.version, actor=who(uow, REP),
                                          uow=uow, clock=FakeClock())

        assert edited.amount == Decimal("20000.00") and edited.version == 2
        assert uow.audit.events[-1].before == {"amount": "12345.67"}
        assert uow.audit.events[-1].after == {"amount": "20000.00"}

    def test_stale_version_is_refused(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)
        services.update_contract(contract.id, form(title="A"), 1, actor=who(uow, REP), uow=uow, clock=FakeClock())

        with pytest.raises(StaleVersion):
            services.update_contract(contract.id, form(title="B"), 1, actor=who(uow, REP), uow=uow, clock=FakeClock())

        assert uow.contracts.rows[contract.id].title == "A"

    def test_another_reps_contract_is_not_found(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)

        with pytest.raises(NotFound):
            services.update_contract(contract.id, form(), 1, actor=who(uow, OTHER), uow=uow, clock=FakeClock())
        with pytest.raises(NotFound):
            services.get_contract(contract.id, actor=who(uow, OTHER), uow=uow)

        assert services.get_contract(contract.id, actor=who(uow, BOSS), uow=uow).contract.id == contract.id


class TestLifecycle:
    def test_submit_starts_the_approval_in_the_same_transaction(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = draft(uow)

        submitted = workflow.submit_contract(contract.id, 1, actor=who(uow, REP), uow=uow, clock=FakeClock())

        assert submitted.status is ContractStatus.PENDING_APPROVAL
        assert approvals == [ApprovalSubject("contract", contract.id, "HT-2026-00001 年度维护合同",
                                             Decimal("12345.67"), "CNY", 2, REP)]
        assert uow.audit.actions()[-1] == "contract.submitted"

    def test_an_outcome_decided_at_once_is_applied(self, uow: FakeUnitOfWork, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(engine, "start_approval", lambda subject, **_: Outcome.APPROVED)
        contract = draft(uow)

        decided = workflow.submit_contract(contract.id, 1, actor=who(uow, REP), uow=uow, clock=FakeClock())

        assert decided.status is ContractStatus.ACTIVE
        assert uow.audit.actions()[-2:] == ["contract.submitted", "contract.approved"]

    def test_approved_contracts_refuse_edits_so_amount_and_party_are_frozen(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        with pytest.raises(InvalidTransition) as refused:
            services.update_contract(contract.id, form(amount="1"), contract.version, actor=who(uow, REP), uow=uow,
                                     clock=FakeClock())

        assert refused.value.code == "contract.edit_not_draft"
        assert uow.contracts.rows[contract.id].amount == Decimal("12345.67")

    def test_rejected_goes_back_to_draft_and_can_be_resubmitted(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = draft(uow)
        workflow.submit_contract(contract.id, 1, actor=who(uow, REP), uow=uow, clock=FakeClock())
        HANDLERS["contract"].on_decided(contract.id, Outcome.REJECTED, actor=who(uow, BOSS), uow=uow, now=NOW)

        reopened = workflow.reopen_contract(contract.id, 3, actor=who(uow, REP), uow=uow, clock=FakeClock())
        workflow.submit_contract(contract.id, reopened.version, actor=who(uow, REP), uow=uow, clock=FakeClock())

        assert uow.contracts.rows[contract.id].status is ContractStatus.PENDING_APPROVAL
        assert len(approvals) == 2
        assert HANDLERS["contract"].link(contract.id) == f"/contracts/{contract.id}"

    def test_terminate_needs_its_permission_and_a_reason(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        with pytest.raises(PermissionDenied):
            workflow.terminate_contract(contract.id, {"reason": "x"}, contract.version, actor=who(uow, REP), uow=uow,
                                        clock=FakeClock())
        with pytest.raises(ValidationFailed):
            workflow.terminate_contract(contract.id, {"reason": " "}, contract.version, actor=who(uow, BOSS),
                                        uow=uow, clock=FakeClock())
        done = workflow.terminate_contract(contract.id, {"reason": "Breach"}, contract.version, actor=who(uow, BOSS),
                                           uow=uow, clock=FakeClock())

        assert (done.status, done.end_reason) == (ContractStatus.TERMINATED, "Breach")
        assert uow.audit.events[-1].after == {"status": "terminated", "reason": "Breach"}

    def test_renew_links_a_successor_draft_with_the_same_terms_and_new_dates(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        successor = workflow.renew_contract(contract.id, {"start_on": "2027-12-01", "end_on": "2028-11-30"},
                                            contract.version, actor=who(uow, REP), uow=uow, clock=FakeClock(),
                                            pattern=PATTERN)

        assert uow.contracts.rows[contract.id].status is ContractStatus.RENEWED
        assert (successor.predecessor_id, successor.status, successor.number) == (contract.id, ContractStatus.DRAFT,
                                                                                  "HT-2026-00002")
        assert (successor.amount, successor.start_on) == (contract.amount, date(2027, 12, 1))
        assert services.get_contract(contract.id, actor=who(uow, REP), uow=uow).successor == successor

    def test_expire_is_a_system_run_after_the_end_date(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        with pytest.raises(InvalidTransition):
            workflow.expire_contract(contract.id, uow=uow, now=NOW)
        expired = workflow.expire_contract(contract.id, uow=uow, now=NOW.replace(year=2028))

        assert expired.status is ContractStatus.EXPIRED
        assert (uow.audit.events[-1].action, uow.audit.events[-1].actor_id) == ("contract.expired", None)


class TestAmend:
    def test_amendment_records_the_diff_and_updates_the_contract(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        amendment = amending.amend_contract(contract.id, form(amount="15000", reason="Scope extended"),
                                            contract.version, actor=who(uow, REP), uow=uow, clock=FakeClock())

        stored = uow.contracts.rows[contract.id]
        assert (amendment.number, stored.amendment, stored.amount) == (1, 1, Decimal("15000.00"))
        assert [(c.field, c.before, c.after) for c in amendment.changes] == [("amount", "12345.67", "15000.00")]
        assert uow.audit.events[-1].after == {"amount": "15000.00", "amendment": 1, "reason": "Scope extended"}
        detail = amending.get_amendment(contract.id, 1, actor=who(uow, BOSS), uow=uow)
        assert detail.amendment.reason == "Scope extended"

    def test_needs_a_reason_and_a_change(self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        with pytest.raises(ValidationFailed) as no_reason:
            amending.amend_contract(contract.id, form(amount="1"), contract.version, actor=who(uow, REP), uow=uow,
                                    clock=FakeClock())
        with pytest.raises(ValidationFailed) as no_change:
            amending.amend_contract(contract.id, form(reason="Nothing"), contract.version, actor=who(uow, REP),
                                    uow=uow, clock=FakeClock())

        assert no_reason.value.errors == {"reason": "required"}
        assert no_change.value.errors == {"form": "amendment.no_change"}
        assert not uow.contracts.amendment_rows

    def test_drafts_are_edited_not_amended(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)

        with pytest.raises(InvalidTransition):
            amending.amend_contract(contract.id, form(amount="1", reason="r"), 1, actor=who(uow, REP), uow=uow,
                                    clock=FakeClock())

    def test_other_scopes_and_read_only_roles_cannot_amend(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        contract = active(uow, approvals)

        with pytest.raises(NotFound):
            amending.amend_contract(contract.id, form(amount="1", reason="r"), contract.version, actor=who(uow, FAR),
                                    uow=uow, clock=FakeClock())
        with pytest.raises(PermissionDenied):
            amending.amend_contract(contract.id, form(amount="1", reason="r"), contract.version,
                                    actor=who(uow, AUDITOR), uow=uow, clock=FakeClock())
        with pytest.raises(NotFound):
            amending.get_amendment(contract.id, 1, actor=who(uow, ADMIN), uow=uow)
