"""Purchase contracts: the party is a supplier. Kind, who may choose which party, blacklisted suppliers, changes
of party by amendment (within the kind), renewals and submissions with a supplier blacklisted meanwhile."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.approvals import engine
from domain.approvals.models import HANDLERS, ApprovalSubject, Outcome
from domain.contracts import amending, parties, services, workflow
from domain.contracts.errors import InvalidTransition
from domain.contracts.models import Contract, ContractKind, ContractListQuery, ContractStatus, ContractTerms
from domain.contracts.validation import contract_terms, party_kind
from domain.customers.models import Customer, CustomerFields, CustomerStage
from domain.identity.models import Actor
from domain.shared.errors import NotFound, PermissionDenied, ValidationFailed
from domain.shared.numbering import NumberPattern
from domain.suppliers.models import SupplierStatus
from tests.builders import NOW, a_contract, a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork

PATTERN = NumberPattern.parse("HT-{year}-{seq:05d}")
BUYER, OTHER_BUYER, MANAGER, FAR_MANAGER, REP, ADMIN = 1, 2, 3, 4, 5, 6
ACME, DELTA, BANNED = 1, 2, 3  # suppliers


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: 1, 3: None})
    for name, department, role in (("buyer", 2, "buyer"), ("other", 2, "buyer"), ("pm", 1, "procurement_manager"),
                                   ("far", 3, "procurement_manager"), ("rep", 2, "sales_rep"),
                                   ("admin", None, "administrator")):
        uow.users.add(a_user(username=name, display_name=name.title(), department_id=department,
                             roles=frozenset({role})))
    for name, status in (("Acme 华东供应", SupplierStatus.QUALIFIED), ("Delta 材料", SupplierStatus.PENDING),
                         ("Banned 黑名单", SupplierStatus.BLACKLISTED)):
        uow.contract_parties.add_supplier(name, status)
    fields = CustomerFields("Customer of rep", None, "technology", "shanghai", CustomerStage.LEAD, REP, None, None)
    uow.customers.add(Customer(None, fields, 2, NOW, NOW, REP))
    return uow


@pytest.fixture(autouse=True)
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
    values = {"title": "钢材框架协议", "kind": "purchase", "supplier_id": str(ACME), "amount": "500,000",
              "owner_id": str(BUYER), "start_on": "2027-01-01", "end_on": "2027-12-31"}
    return values | overrides


def draft(uow: FakeUnitOfWork, user_id: int = BUYER, **overrides: str) -> Contract:
    return services.create_contract(form(owner_id=str(user_id)) | overrides, actor=who(uow, user_id), uow=uow,
                                    clock=FakeClock(), pattern=PATTERN)


def active(uow: FakeUnitOfWork) -> Contract:
    contract = draft(uow)
    workflow.submit_contract(contract.id or 0, contract.version, actor=who(uow, BUYER), uow=uow, clock=FakeClock())
    HANDLERS["contract"].on_decided(contract.id or 0, Outcome.APPROVED, actor=who(uow, MANAGER), uow=uow, now=NOW)
    return uow.contracts.rows[contract.id or 0]


def blacklist(uow: FakeUnitOfWork, supplier_id: int) -> None:
    supplier = uow.contract_parties.supplier_rows[supplier_id]
    uow.contract_parties.supplier_rows[supplier_id] = supplier._replace(status=SupplierStatus.BLACKLISTED)


class TestKind:
    def test_the_party_decides_the_kind(self) -> None:
        purchase = a_contract(customer_id=None, supplier_id=7)

        assert (purchase.kind, purchase.party_id) == (ContractKind.PURCHASE, 7)
        assert (a_contract(customer_id=3).kind, a_contract(customer_id=3).party_id) == (ContractKind.SALES, 3)
        assert ContractTerms.of(purchase).kind is ContractKind.PURCHASE

    @pytest.mark.parametrize(("raw", "kind"), [
        ({"kind": "purchase", "customer_id": "1"}, ContractKind.PURCHASE),
        ({"supplier_id": "4"}, ContractKind.PURCHASE),
        ({"customer_id": "1"}, ContractKind.SALES),
        ({"kind": "rental", "customer_id": "1", "supplier_id": "4"}, ContractKind.SALES),
        ({}, ContractKind.SALES),
    ])
    def test_a_form_names_its_kind_or_only_a_supplier(self, raw: dict[str, str], kind: ContractKind) -> None:
        assert party_kind(raw) is kind

    def test_a_purchase_form_needs_a_supplier_and_ignores_a_customer(self) -> None:
        terms = contract_terms(form(customer_id="9"))
        with pytest.raises(ValidationFailed) as refused:
            contract_terms(form(supplier_id=""))

        assert (terms.customer_id, terms.supplier_id) == (None, ACME)
        assert refused.value.errors == {"supplier_id": "required"}

    def test_each_role_drafts_the_kinds_whose_parties_it_sees(self, uow: FakeUnitOfWork) -> None:
        assert parties.usable_kinds(who(uow, BUYER)) == (ContractKind.PURCHASE,)
        assert parties.usable_kinds(who(uow, REP)) == (ContractKind.SALES,)
        assert parties.usable_kinds(who(uow, ADMIN)) == (ContractKind.SALES, ContractKind.PURCHASE)


class TestDraft:
    def test_a_buyer_drafts_a_purchase_contract_in_their_department(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)

        assert (contract.kind, contract.supplier_id, contract.customer_id) == (ContractKind.PURCHASE, ACME, None)
        assert (contract.department_id, contract.amount) == (2, Decimal("500000.00"))
        after = uow.audit.events[-1].after or {}
        assert (after["supplier_id"], after["customer_id"]) == (ACME, None)
        assert services.get_contract(contract.id or 0, actor=who(uow, BUYER), uow=uow).party_name == "Acme 华东供应"

    def test_a_supplier_pending_qualification_may_be_the_party(self, uow: FakeUnitOfWork) -> None:
        assert draft(uow, supplier_id=str(DELTA)).supplier_id == DELTA

    def test_a_blacklisted_or_unknown_supplier_is_refused(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as banned:
            draft(uow, supplier_id=str(BANNED))
        with pytest.raises(ValidationFailed) as unknown:
            draft(uow, supplier_id="99")

        assert banned.value.errors == {"supplier_id": "contract.supplier_blacklisted"}
        assert unknown.value.errors == {"supplier_id": "contract.supplier_unknown"}
        assert not uow.contracts.rows and not uow.committed

    def test_a_supplier_party_needs_supplier_read_and_a_customer_party_customer_read(
            self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(PermissionDenied):
            draft(uow, REP)
        with pytest.raises(PermissionDenied):
            draft(uow, kind="sales", customer_id="1")

        assert not uow.contracts.rows

    def test_the_kind_of_a_draft_stays(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)

        with pytest.raises(ValidationFailed) as refused:
            services.update_contract(contract.id or 0, form(kind="sales", customer_id="1"), 1,
                                     actor=who(uow, ADMIN), uow=uow, clock=FakeClock())
        edited = services.update_contract(contract.id or 0, form(supplier_id=str(DELTA)), 1, actor=who(uow, BUYER),
                                          uow=uow, clock=FakeClock())

        assert refused.value.errors == {"supplier_id": "contract.kind_fixed"}
        assert edited.supplier_id == DELTA and uow.audit.events[-1].after == {"supplier_id": DELTA}

    def test_a_draft_cannot_move_to_a_blacklisted_supplier(self, uow: FakeUnitOfWork) -> None:
        contract = draft(uow)

        with pytest.raises(ValidationFailed) as refused:
            services.update_contract(contract.id or 0, form(supplier_id=str(BANNED)), 1, actor=who(uow, BUYER),
                                     uow=uow, clock=FakeClock())

        assert refused.value.errors == {"supplier_id": "contract.supplier_blacklisted"}
        assert uow.contracts.rows[contract.id or 0].supplier_id == ACME


class TestLifecycle:
    def test_submit_starts_the_approval_but_not_once_the_supplier_is_blacklisted(
            self, uow: FakeUnitOfWork, approvals: list[ApprovalSubject]) -> None:
        first, second = draft(uow), draft(uow)
        workflow.submit_contract(first.id or 0, 1, actor=who(uow, BUYER), uow=uow, clock=FakeClock())
        blacklist(uow, ACME)

        with pytest.raises(InvalidTransition) as refused:
            workflow.submit_contract(second.id or 0, 1, actor=who(uow, BUYER), uow=uow, clock=FakeClock())

        assert refused.value.code == "contract.supplier_blacklisted"
        assert [s.document_id for s in approvals] == [first.id]
        assert uow.contracts.rows[second.id or 0].status is ContractStatus.DRAFT

    def test_renewal_keeps_the_supplier_unless_it_was_blacklisted(self, uow: FakeUnitOfWork) -> None:
        contract = active(uow)
        dates = {"start_on": "2028-01-01", "end_on": "2028-12-31"}

        successor = workflow.renew_contract(contract.id or 0, dates, contract.version, actor=who(uow, MANAGER),
                                            uow=uow, clock=FakeClock(), pattern=PATTERN)
        other = active(uow)
        blacklist(uow, ACME)
        with pytest.raises(InvalidTransition):
            workflow.renew_contract(other.id or 0, dates, other.version, actor=who(uow, MANAGER), uow=uow,
                                    clock=FakeClock(), pattern=PATTERN)

        assert (successor.supplier_id, successor.customer_id, successor.start_on) == (ACME, None, date(2028, 1, 1))
        assert uow.contracts.rows[other.id or 0].status is ContractStatus.ACTIVE

    def test_a_buyer_may_not_terminate_a_procurement_manager_may(self, uow: FakeUnitOfWork) -> None:
        contract = active(uow)

        with pytest.raises(PermissionDenied):
            workflow.terminate_contract(contract.id or 0, {"reason": "x"}, contract.version, actor=who(uow, BUYER),
                                        uow=uow, clock=FakeClock())
        done = workflow.terminate_contract(contract.id or 0, {"reason": "Supplier closed"}, contract.version,
                                           actor=who(uow, MANAGER), uow=uow, clock=FakeClock())

        assert done.status is ContractStatus.TERMINATED


class TestAmend:
    def test_an_amendment_may_change_the_supplier_and_the_diff_names_it(self, uow: FakeUnitOfWork) -> None:
        contract = active(uow)

        amendment = amending.amend_contract(contract.id or 0, form(supplier_id=str(DELTA), reason="Acme sold the "
                                            "business to Delta"), contract.version, actor=who(uow, BUYER), uow=uow,
                                            clock=FakeClock())

        assert [(c.field, c.before, c.after) for c in amendment.changes] == [("supplier_id", ACME, DELTA)]
        assert uow.contracts.rows[contract.id or 0].supplier_id == DELTA
        detail = amending.get_amendment(contract.id or 0, 1, actor=who(uow, MANAGER), uow=uow)
        assert detail.party_names["supplier_id"] == {ACME: "Acme 华东供应", DELTA: "Delta 材料"}

    def test_an_amendment_may_not_change_the_kind_nor_pick_a_blacklisted_supplier(
            self, uow: FakeUnitOfWork) -> None:
        contract = active(uow)

        with pytest.raises(ValidationFailed) as to_customer:
            amending.amend_contract(contract.id or 0, form(kind="sales", customer_id="1", reason="x"),
                                    contract.version, actor=who(uow, ADMIN), uow=uow, clock=FakeClock())
        with pytest.raises(ValidationFailed) as banned:
            amending.amend_contract(contract.id or 0, form(supplier_id=str(BANNED), reason="x"), contract.version,
                                    actor=who(uow, BUYER), uow=uow, clock=FakeClock())

        assert to_customer.value.errors == {"supplier_id": "contract.kind_fixed"}
        assert banned.value.errors == {"supplier_id": "contract.supplier_blacklisted"}
        assert uow.contracts.rows[contract.id or 0].amendment == 0


class TestSupplierSection:
    def test_lists_the_suppliers_contracts_in_the_actors_scope(self, uow: FakeUnitOfWork) -> None:
        mine, theirs = draft(uow), draft(uow, OTHER_BUYER)
        draft(uow, supplier_id=str(DELTA))

        own = parties.supplier_contracts(ACME, ContractListQuery(), actor=who(uow, BUYER), uow=uow)
        team = parties.supplier_contracts(ACME, ContractListQuery(), actor=who(uow, MANAGER), uow=uow)
        far = parties.supplier_contracts(ACME, ContractListQuery(), actor=who(uow, FAR_MANAGER), uow=uow)

        assert [c.id for c in own.page.items] == [mine.id]
        assert {c.id for c in team.page.items} == {mine.id, theirs.id}
        assert far.page.items == [] and far.may_draft and own.may_draft

    def test_no_new_contract_with_a_blacklisted_supplier_and_unknown_ones_are_not_found(
            self, uow: FakeUnitOfWork) -> None:
        assert not parties.supplier_contracts(BANNED, ContractListQuery(), actor=who(uow, BUYER), uow=uow).may_draft
        assert not parties.supplier_contracts(ACME, ContractListQuery(), actor=who(uow, REP), uow=uow).may_draft
        with pytest.raises(NotFound):
            parties.supplier_contracts(99, ContractListQuery(), actor=who(uow, BUYER), uow=uow)

    def test_the_picker_needs_supplier_read_and_lists_blacklisted_suppliers_for_what_they_are(
            self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(PermissionDenied):
            parties.supplier_choices("", actor=who(uow, REP), uow=uow)
        found = parties.supplier_choices("", actor=who(uow, BUYER), uow=uow)
        with pytest.raises(ValidationFailed):
            parties.choose_supplier(BANNED, actor=who(uow, BUYER), uow=uow)

        assert [(s.name, s.status) for s in found] == [("Acme 华东供应", SupplierStatus.QUALIFIED),
                                                      ("Banned 黑名单", SupplierStatus.BLACKLISTED),
                                                      ("Delta 材料", SupplierStatus.PENDING)]
        assert parties.choose_supplier(DELTA, actor=who(uow, BUYER), uow=uow).name == "Delta 材料"
