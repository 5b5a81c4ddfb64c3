"""Sensitive customer fields in the services: write-only edits, masked audit values, audited reveal."""

from dataclasses import replace

import pytest

from domain.customers import services
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired
from tests.builders import a_user, an_actor, customer_form
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None})
    uow.users.add(a_user(username="rep", department_id=1))
    uow.users.add(a_user(username="other", department_id=1))
    uow.users.add(a_user(username="finance", roles=frozenset({"finance"})))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int = 1, fresh: bool = True):  # type: ignore[no-untyped-def]
    user = uow.users.get(user_id)
    assert user is not None
    return replace(an_actor(user), fresh=fresh)


def create(uow: FakeUnitOfWork, user_id: int = 1) -> int:
    customer = services.register_customer(customer_form(owner_id=str(user_id)), f"t{user_id}",
                                          actor=actor(uow, user_id), uow=uow, clock=FakeClock())
    assert customer.id is not None
    return customer.id


def edit(uow: FakeUnitOfWork, customer_id: int, **fields: str):  # type: ignore[no-untyped-def]
    stored = uow.customers.rows[customer_id]
    form = customer_form(owner_id="1", phone="", email="") | fields
    return services.update_customer(customer_id, form, stored.version, actor=actor(uow), uow=uow, clock=FakeClock())


class TestWriteOnlyEdit:
    def test_empty_inputs_keep_the_stored_values_and_change_nothing(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow)

        customer = edit(uow, customer_id)

        assert (customer.fields.phone, customer.fields.email) == ("13812345678", "info@example.cn")
        assert uow.audit.actions() == ["customer.created"]

    def test_remove_clears_and_a_new_value_replaces(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow)

        customer = edit(uow, customer_id, remove_phone="1", email="new@example.cn")

        assert (customer.fields.phone, customer.fields.email) == (None, "new@example.cn")

    def test_the_audit_records_which_fields_changed_but_only_their_masks(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow)

        edit(uow, customer_id, phone="13900001111", email="new@example.cn")

        event = uow.audit.events[-1]
        assert event.before == {"phone": "138****5678", "email": "i***@example.cn"}
        assert event.after == {"phone": "139****1111", "email": "n***@example.cn"}
        assert "13812345678" not in str(uow.audit.events) and "13900001111" not in str(uow.audit.events)


class TestReveal:
    def test_returns_the_value_and_audits_the_field_name_only(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow)

        value = services.reveal_customer_field(customer_id, "phone", actor=actor(uow), uow=uow, clock=FakeClock())

        assert value == "13812345678"
        event = uow.audit.events[-1]
        assert (event.action, event.entity_id, event.after) == ("customer.revealed", str(customer_id),
                                                                {"field": "phone"})

    def test_without_the_permission_is_denied(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow)

        with pytest.raises(PermissionDenied):
            services.reveal_customer_field(customer_id, "phone", actor=actor(uow, 3), uow=uow, clock=FakeClock())
        assert uow.audit.actions() == ["customer.created"]

    @pytest.mark.parametrize("field", ["name", "phone_enc", "password"])
    def test_only_sensitive_fields_can_be_revealed(self, uow: FakeUnitOfWork, field: str) -> None:
        customer_id = create(uow)

        with pytest.raises(NotFound):
            services.reveal_customer_field(customer_id, field, actor=actor(uow), uow=uow, clock=FakeClock())

    def test_outside_the_scope_is_not_found(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow, user_id=2)

        with pytest.raises(NotFound):
            services.reveal_customer_field(customer_id, "email", actor=actor(uow), uow=uow, clock=FakeClock())

    def test_a_stale_sign_in_needs_step_up_and_nothing_is_audited(self, uow: FakeUnitOfWork) -> None:
        customer_id = create(uow)

        with pytest.raises(ReauthenticationRequired):
            services.reveal_customer_field(customer_id, "phone", actor=actor(uow, fresh=False), uow=uow,
                                           clock=FakeClock())
        assert uow.audit.actions() == ["customer.created"]
