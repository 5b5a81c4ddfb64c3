"""Contacts, owner reassignment, level, duplicates, reminders and the change timeline, with fakes."""

from dataclasses import replace

import pytest

from domain.customers import contact_services, reminders, services
from domain.customers.duplicates import find_duplicates
from domain.customers.timeline import changes_of
from domain.identity.models import Actor
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired, StaleVersion, ValidationFailed
from tests.builders import VALID_CODE, a_user, an_actor, customer_form
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: None})
    uow.users.add(a_user(username="rep", display_name="Rep", department_id=1))
    uow.users.add(a_user(username="boss", display_name="Boss", roles=frozenset({"sales_manager"}), department_id=1))
    uow.users.add(a_user(username="far", display_name="Far", department_id=2))
    uow.users.add(a_user(username="auditor", roles=frozenset({"auditor"})))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int = 1, fresh: bool = True) -> Actor:
    user = uow.users.get(user_id)
    assert user is not None
    return replace(an_actor(user), fresh=fresh)


def customer(uow: FakeUnitOfWork, owner: int = 1, **fields: str) -> int:
    made = services.register_customer(customer_form(owner_id=str(owner)) | fields, f"t{len(uow.customers.rows)}",
                                      actor=actor(uow, owner), uow=uow, clock=FakeClock())
    assert made.id is not None
    return made.id


class TestContacts:
    def test_added_contact_is_audited_with_masked_values(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)

        contact = contact_services.add_contact(customer_id, {"name": " 王丽 ", "title": "采购经理",
                                                             "phone": "13900001111", "email": "Wang@Example.cn"},
                                               actor=actor(uow), uow=uow, clock=FakeClock())

        assert contact.fields.name == "王丽" and contact.fields.email == "wang@example.cn"
        assert uow.audit.events[-1].action == "contact.created"
        assert uow.audit.events[-1].after == {"name": "王丽", "title": "采购经理", "phone": "139****1111",
                                              "email": "w***@example.cn", "notes": "", "contact_id": contact.id}

    def test_edits_keep_unentered_secrets_and_check_the_version(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)
        contact = contact_services.add_contact(customer_id, {"name": "王丽", "phone": "13900001111"},
                                               actor=actor(uow), uow=uow, clock=FakeClock())
        assert contact.id is not None

        edited = contact_services.update_contact(customer_id, contact.id, {"name": "王丽", "title": "总监"}, 1,
                                                 actor=actor(uow), uow=uow, clock=FakeClock())

        assert edited.fields.phone == "13900001111" and edited.version == 2
        with pytest.raises(StaleVersion):
            contact_services.update_contact(customer_id, contact.id, {"name": "X"}, 1, actor=actor(uow), uow=uow,
                                            clock=FakeClock())

    def test_invalid_fields_are_named(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as failed:
            contact_services.add_contact(customer(uow), {"name": "", "phone": "call me"}, actor=actor(uow), uow=uow,
                                         clock=FakeClock())
        assert failed.value.errors == {"name": "required", "phone": "phone.invalid"}

    def test_changes_need_customer_update_and_the_customer_in_scope(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)

        with pytest.raises(PermissionDenied):
            contact_services.add_contact(customer_id, {"name": "X"}, actor=actor(uow, 4), uow=uow, clock=FakeClock())
        with pytest.raises(NotFound):
            contact_services.add_contact(customer_id, {"name": "X"}, actor=actor(uow, 3), uow=uow, clock=FakeClock())
        assert uow.contacts.rows == {}

    def test_reveal_needs_step_up_and_is_audited_without_the_value(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)
        contact = contact_services.add_contact(customer_id, {"name": "王丽", "phone": "13900001111"},
                                               actor=actor(uow), uow=uow, clock=FakeClock())
        assert contact.id is not None

        with pytest.raises(ReauthenticationRequired):
            contact_services.reveal_contact_field(customer_id, contact.id, "phone", actor=actor(uow, fresh=False),
                                                  uow=uow, clock=FakeClock())
        value = contact_services.reveal_contact_field(customer_id, contact.id, "phone", actor=actor(uow), uow=uow,
                                                      clock=FakeClock())

        assert value == "13900001111"
        assert uow.audit.events[-1].action == "customer.revealed"
        assert uow.audit.events[-1].after == {"field": "phone", "contact_id": contact.id}

    def test_removed_contact_is_gone_and_audited(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)
        contact = contact_services.add_contact(customer_id, {"name": "王丽"}, actor=actor(uow), uow=uow,
                                               clock=FakeClock())
        assert contact.id is not None

        contact_services.remove_contact(customer_id, contact.id, 1, actor=actor(uow), uow=uow, clock=FakeClock())

        assert uow.contacts.rows == {}
        assert uow.audit.events[-1].action == "contact.removed"


class TestReassign:
    def test_manager_hands_a_customer_to_a_team_member(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow, owner=2)

        moved = services.reassign_customer(customer_id, "1", 1, actor=actor(uow, 2), uow=uow, clock=FakeClock())

        assert moved.owner_id == 1 and moved.version == 2
        assert (uow.audit.events[-1].action, uow.audit.events[-1].before, uow.audit.events[-1].after) == (
            "customer.assigned", {"owner_id": 2}, {"owner_id": 1})

    def test_needs_the_assign_permission(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)

        with pytest.raises(PermissionDenied):
            services.reassign_customer(customer_id, "2", 1, actor=actor(uow), uow=uow, clock=FakeClock())

    def test_owners_outside_the_managers_department_are_refused(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow, owner=2)

        with pytest.raises(ValidationFailed) as failed:
            services.reassign_customer(customer_id, "3", 1, actor=actor(uow, 2), uow=uow, clock=FakeClock())
        assert failed.value.errors == {"owner_id": "owner.not_allowed"}


class TestLevelAndTimeline:
    def test_level_is_optional_and_checked(self, uow: FakeUnitOfWork) -> None:
        assert uow.customers.rows[customer(uow)].fields.level is None
        with pytest.raises(ValidationFailed) as failed:
            customer(uow, level="D")
        assert failed.value.errors == {"level": "choice.invalid"}

    def test_stage_level_and_owner_changes_are_on_the_timeline(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow, owner=2)
        services.update_customer(customer_id, customer_form(owner_id="2", stage="prospect", level="A", phone="",
                                                            email=""), 1, actor=actor(uow, 2), uow=uow,
                                 clock=FakeClock())
        services.reassign_customer(customer_id, "1", 2, actor=actor(uow, 2), uow=uow, clock=FakeClock())

        changes = changes_of(customer_id, uow)

        assert {(c.field, c.before, c.after) for c in changes} >= {
            ("stage", "lead", "prospect"), ("level", None, "A"), ("owner_id", "Boss", "Rep")}


class TestDuplicates:
    def test_finds_by_credit_code_phone_or_name_and_says_why(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)

        found = find_duplicates({"name": "华宏科技（上海）有限公司", "credit_code": VALID_CODE.lower(),
                                 "phone": "13812345678"}, None, actor=actor(uow), uow=uow)

        assert [(d.id, d.reasons) for d in found] == [(customer_id, ("credit_code", "phone", "name"))]

    def test_never_reports_customers_outside_the_scope(self, uow: FakeUnitOfWork) -> None:
        customer(uow)

        assert find_duplicates({"name": "华宏科技", "credit_code": VALID_CODE}, None, actor=actor(uow, 3),
                               uow=uow) == []

    def test_nothing_to_compare_finds_nothing(self, uow: FakeUnitOfWork) -> None:
        customer(uow)

        assert find_duplicates({"name": "有", "phone": "12"}, None, actor=actor(uow), uow=uow) == []


class TestReminders:
    def test_my_due_and_overdue_actions_oldest_first_and_done_once(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)
        for day in ("2026-11-25", "2026-11-20", "2026-11-30"):
            services.add_follow_up(customer_id, {"kind": "call", "content": day, "next_action_on": day},
                                   actor=actor(uow), uow=uow, clock=FakeClock())

        page = reminders.due_follow_ups(None, actor=actor(uow), uow=uow, clock=FakeClock())
        reminders.complete_follow_up(page.items[0].id, actor=actor(uow), uow=uow, clock=FakeClock())
        reminders.complete_follow_up(page.items[0].id, actor=actor(uow), uow=uow, clock=FakeClock())

        assert [i.content for i in page.items] == ["2026-11-20", "2026-11-25"]
        assert [i.content for i in reminders.due_follow_ups(None, actor=actor(uow), uow=uow,
                                                            clock=FakeClock()).items] == ["2026-11-25"]
        assert uow.audit.actions().count("followup.completed") == 1

    def test_done_needs_the_customer_in_scope(self, uow: FakeUnitOfWork) -> None:
        customer_id = customer(uow)
        form = {"kind": "call", "content": "x", "next_action_on": "2026-11-20"}
        follow_up = services.add_follow_up(customer_id, form, actor=actor(uow), uow=uow, clock=FakeClock())

        with pytest.raises(NotFound):
            reminders.complete_follow_up(follow_up.id or 0, actor=actor(uow, 3), uow=uow, clock=FakeClock())
        with pytest.raises(PermissionDenied):
            reminders.complete_follow_up(follow_up.id or 0, actor=actor(uow, 4), uow=uow, clock=FakeClock())
