"""Merge and undo with fakes: what moves, what the audit says, and when undo is refused."""

from dataclasses import replace
from decimal import Decimal

import pytest

from domain.contracts.models import Contract, ContractStatus
from domain.customers import contact_services, merging, services
from domain.customers.errors import MergeAlreadyUndone, MergeOutdated
from domain.identity.models import Actor
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired, ValidationFailed
from tests.builders import NOW, a_user, an_actor, customer_form
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: None})
    uow.users.add(a_user(username="boss", roles=frozenset({"sales_manager"}), department_id=1))
    uow.users.add(a_user(username="rep", department_id=1))
    uow.users.add(a_user(username="far", roles=frozenset({"sales_manager"}), department_id=2))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int = 1, fresh: bool = True) -> Actor:
    user = uow.users.get(user_id)
    assert user is not None
    return replace(an_actor(user), fresh=fresh)


def customer(uow: FakeUnitOfWork, name: str, owner: int = 1) -> int:
    made = services.register_customer(customer_form(owner_id=str(owner), name=name, credit_code="", phone=""),
                                      name, actor=actor(uow, owner), uow=uow, clock=FakeClock())
    assert made.id is not None
    return made.id


def contract(uow: FakeUnitOfWork, customer_id: int) -> int:
    return uow.contracts.add(Contract(None, f"HT-{customer_id}", "Supply", customer_id, Decimal("100.00"), "CNY",
                                      None, None, None, 1, 1, "", "", ContractStatus.DRAFT, 1, NOW, NOW))


@pytest.fixture
def pair(uow: FakeUnitOfWork) -> tuple[int, int]:
    survivor, absorbed = customer(uow, "上海华宏科技有限公司"), customer(uow, "华宏科技")
    contact_services.add_contact(absorbed, {"name": "王丽", "phone": "13900001111"}, actor=actor(uow), uow=uow,
                                 clock=FakeClock())
    services.add_follow_up(absorbed, {"kind": "call", "content": "Called", "next_action_on": "2026-11-20"},
                           actor=actor(uow), uow=uow, clock=FakeClock())
    contract(uow, absorbed)
    uow.merges.tags.update({survivor: {1}, absorbed: {1, 2}})
    return survivor, absorbed


def merge(uow: FakeUnitOfWork, survivor: int, absorbed: int, who: int = 1, fresh: bool = True) -> int:
    version = uow.customers.rows[absorbed].version
    done = merging.merge_customers(survivor, absorbed, version, actor=actor(uow, who, fresh), uow=uow,
                                   clock=FakeClock())
    assert done.id is not None
    return done.id


class TestMerge:
    def test_moves_everything_to_the_survivor_and_archives_the_absorbed(self, uow: FakeUnitOfWork,
                                                                        pair: tuple[int, int]) -> None:
        survivor, absorbed = pair

        merge(uow, survivor, absorbed)

        assert [c.customer_id for c in uow.contacts.rows.values()] == [survivor]
        assert [f.customer_id for f in uow.follow_ups.rows] == [survivor]
        assert [c.customer_id for c in uow.contracts.rows.values()] == [survivor]
        assert uow.merges.tags == {survivor: {1, 2}, absorbed: set()}
        assert uow.customers.rows[absorbed].archived_at is not None
        assert {survivor, absorbed} <= set(uow.customers.refreshed)

    def test_is_audited_on_both_customers_with_what_moved(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        survivor, absorbed = pair

        merge(uow, survivor, absorbed)

        merged = [e for e in uow.audit.events if e.action.startswith("customer.merged")]
        assert [(e.action, e.entity_id) for e in merged] == [("customer.merged", str(survivor)),
                                                            ("customer.merged_into", str(absorbed))]
        assert merged[0].after == {"merge_id": 1, "contacts": 1, "follow_ups": 1, "contracts": 1, "tags": 2,
                                   "absorbed_id": absorbed, "name": "华宏科技"}

    def test_preview_counts_what_would_move_without_changing_anything(self, uow: FakeUnitOfWork,
                                                                       pair: tuple[int, int]) -> None:
        survivor, absorbed = pair

        preview = merging.preview_merge(survivor, absorbed, actor=actor(uow), uow=uow)

        assert preview.moves == {"contacts": 1, "follow_ups": 1, "contracts": 1, "tags": 2}
        assert uow.customers.rows[absorbed].archived_at is None

    def test_needs_the_merge_permission_and_step_up(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        with pytest.raises(PermissionDenied):
            merge(uow, *pair, who=2)
        with pytest.raises(ReauthenticationRequired):
            merge(uow, *pair, fresh=False)
        assert uow.customers.rows[pair[1]].archived_at is None

    def test_a_customer_outside_the_scope_is_not_found(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        with pytest.raises(NotFound):
            merge(uow, *pair, who=3)

    def test_a_customer_cannot_absorb_itself(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        with pytest.raises(ValidationFailed):
            merge(uow, pair[0], pair[0])

    def test_candidates_are_the_likely_duplicates(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        customer(uow, "Unrelated Trading")

        found = merging.merge_candidates(pair[0], actor=actor(uow), uow=uow)

        assert [(c.id, c.reasons) for c in found] == [(pair[1], ("name",))]


class TestUndo:
    def test_moves_exactly_the_merged_rows_back(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        survivor, absorbed = pair
        own_contact = contact_services.add_contact(survivor, {"name": "李强"}, actor=actor(uow), uow=uow,
                                                   clock=FakeClock())
        merge_id = merge(uow, survivor, absorbed)

        merging.undo_merge(merge_id, actor=actor(uow), uow=uow, clock=FakeClock())

        assert {c.fields.name: c.customer_id for c in uow.contacts.rows.values()} == {"王丽": absorbed,
                                                                                    own_contact.fields.name: survivor}
        assert [c.customer_id for c in uow.contracts.rows.values()] == [absorbed]
        assert uow.merges.tags == {survivor: {1}, absorbed: {1, 2}}
        assert uow.customers.rows[absorbed].archived_at is None
        assert uow.audit.actions()[-2:] == ["customer.merge_undone", "customer.merge_undone"]

    def test_twice_is_refused(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        merge_id = merge(uow, *pair)
        merging.undo_merge(merge_id, actor=actor(uow), uow=uow, clock=FakeClock())
        commits = uow.commits

        with pytest.raises(MergeAlreadyUndone):
            merging.undo_merge(merge_id, actor=actor(uow), uow=uow, clock=FakeClock())
        assert uow.commits == commits

    def test_is_refused_after_a_moved_row_changed(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        survivor, absorbed = pair
        merge_id = merge(uow, survivor, absorbed)
        contact = next(iter(uow.contacts.rows.values()))
        contact_services.update_contact(survivor, contact.id or 0, {"name": "王丽 (sales)"}, contact.version,
                                        actor=actor(uow), uow=uow, clock=FakeClock())

        with pytest.raises(MergeOutdated):
            merging.undo_merge(merge_id, actor=actor(uow), uow=uow, clock=FakeClock())
        assert uow.customers.rows[absorbed].archived_at is not None

    def test_needs_the_merge_permission(self, uow: FakeUnitOfWork, pair: tuple[int, int]) -> None:
        merge_id = merge(uow, *pair)

        with pytest.raises(PermissionDenied):
            merging.undo_merge(merge_id, actor=actor(uow, 2), uow=uow, clock=FakeClock())
        with pytest.raises(NotFound):
            merging.undo_merge(merge_id, actor=actor(uow, 3), uow=uow, clock=FakeClock())
