"""Approval rules (administrators, with step-up) and my delegation, with fakes."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.approvals import delegation, rules
from domain.approvals.records import ApproverKind, StepMode
from domain.approvals.rules import RuleInput, StepInput
from domain.identity.models import Actor
from domain.shared.errors import PermissionDenied, ReauthenticationRequired, StaleVersion, ValidationFailed
from tests.builders import a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork


def person(uow: FakeUnitOfWork, name: str, roles: set[str], fresh: bool = True) -> Actor:
    user_id = uow.users.add(a_user(username=name, display_name=name.title(), roles=frozenset(roles)))
    return replace(an_actor(uow.users.users[user_id]), fresh=fresh)


def a_rule(**overrides: object) -> RuleInput:
    values: dict[str, object] = {"name": "Big contracts", "document_type": "contract", "min_amount": "100000",
                                 "max_amount": "", "steps": [StepInput("manager", "all"),
                                                             StepInput("role", "any", role_key="finance")]}
    return RuleInput(**(values | overrides))  # type: ignore[arg-type]


class TestRules:
    def test_an_administrator_creates_a_rule_with_ordered_steps_audited(self) -> None:
        uow = FakeUnitOfWork()
        admin = person(uow, "admin", {"administrator"})

        rule = rules.save_rule(None, a_rule(), 0, actor=admin, uow=uow, clock=FakeClock())

        stored = uow.approvals.rule_rows[rule.id or 0]
        assert (stored.min_amount, stored.max_amount) == (Decimal("100000"), None)
        assert [(s.position, s.kind, s.mode, s.role_key) for s in stored.steps] == \
            [(1, ApproverKind.MANAGER, StepMode.ALL, None), (2, ApproverKind.ROLE, StepMode.ANY, "finance")]
        assert uow.audit.actions() == ["approval_rule.created"] and uow.committed

    def test_without_the_permission_nothing_is_read_or_saved(self) -> None:
        uow = FakeUnitOfWork()
        manager = person(uow, "manager", {"sales_manager"})

        with pytest.raises(PermissionDenied):
            rules.list_rules(actor=manager, uow=uow)
        with pytest.raises(PermissionDenied):
            rules.save_rule(None, a_rule(), 0, actor=manager, uow=uow, clock=FakeClock())
        assert uow.approvals.rule_rows == {}

    def test_changes_need_a_fresh_step_up(self) -> None:
        uow = FakeUnitOfWork()
        admin = person(uow, "admin", {"administrator"}, fresh=False)

        with pytest.raises(ReauthenticationRequired):
            rules.save_rule(None, a_rule(), 0, actor=admin, uow=uow, clock=FakeClock())
        assert uow.approvals.rule_rows == {}

    def test_overlapping_bands_of_the_same_type_and_department_are_refused(self) -> None:
        uow = FakeUnitOfWork()
        admin = person(uow, "admin", {"administrator"})
        rules.save_rule(None, a_rule(min_amount="0", max_amount="100000"), 0, actor=admin, uow=uow, clock=FakeClock())

        rules.save_rule(None, a_rule(min_amount="100000"), 0, actor=admin, uow=uow, clock=FakeClock())
        with pytest.raises(ValidationFailed) as refused:
            rules.save_rule(None, a_rule(min_amount="99999.99"), 0, actor=admin, uow=uow, clock=FakeClock())

        assert refused.value.errors == {"min_amount": "approval.band_overlap"}

    @pytest.mark.parametrize(("overrides", "errors"), [
        ({"name": " "}, {"name": "required"}),
        ({"min_amount": "1.001"}, {"min_amount": "amount.invalid"}),
        ({"min_amount": "-1"}, {"min_amount": "amount.invalid"}),
        ({"max_amount": "100000"}, {"max_amount": "approval.band_empty"}),
        ({"document_type": "invoice"}, {"document_type": "choice.invalid"}),
        ({"steps": []}, {"steps": "approval.steps_count"}),
        ({"steps": [StepInput("role", "all", role_key="nobody")]}, {"steps.0": "approval.step_role"}),
        ({"steps": [StepInput("user", "all", user_id="99")]}, {"steps.0": "approval.step_user"}),
    ])
    def test_invalid_rules_are_refused_with_field_codes(self, overrides: dict[str, object],
                                                       errors: dict[str, str]) -> None:
        uow = FakeUnitOfWork()
        admin = person(uow, "admin", {"administrator"})

        with pytest.raises(ValidationFailed) as refused:
            rules.save_rule(None, a_rule(**overrides), 0, actor=admin, uow=uow, clock=FakeClock())

        assert refused.value.errors == errors and uow.approvals.rule_rows == {}

    def test_an_edit_of_a_stale_version_is_refused(self) -> None:
        uow = FakeUnitOfWork()
        admin = person(uow, "admin", {"administrator"})
        rule = rules.save_rule(None, a_rule(), 0, actor=admin, uow=uow, clock=FakeClock())
        rules.save_rule(rule.id, a_rule(name="Renamed"), 1, actor=admin, uow=uow, clock=FakeClock())

        with pytest.raises(StaleVersion):
            rules.save_rule(rule.id, a_rule(name="Again"), 1, actor=admin, uow=uow, clock=FakeClock())

        assert uow.approvals.rule_rows[rule.id or 0].name == "Renamed"
        assert uow.audit.actions() == ["approval_rule.created", "approval_rule.updated"]


class TestDelegation:
    def test_set_and_end_my_delegation_audited(self) -> None:
        uow = FakeUnitOfWork()
        me, deputy = person(uow, "me", {"employee"}), person(uow, "deputy", {"employee"})
        form = {"delegate_id": str(deputy.user_id), "starts_on": "2026-11-25", "ends_on": "2026-11-30"}

        delegation.set_delegation(form, actor=me, uow=uow, clock=FakeClock())
        view = delegation.my_delegation(actor=me, uow=uow, clock=FakeClock())
        assert view.current and view.current.ends_on == date(2026, 11, 30) and view.delegate_name == "Deputy"

        assert delegation.end_delegation(actor=me, uow=uow, clock=FakeClock())
        assert delegation.my_delegation(actor=me, uow=uow, clock=FakeClock()).current is None
        assert uow.audit.actions() == ["delegation.created", "delegation.ended"]

    def test_a_new_delegation_replaces_the_current_one(self) -> None:
        uow = FakeUnitOfWork()
        me, one, two = (person(uow, n, {"employee"}) for n in ("me", "one", "two"))
        for deputy in (one, two):
            form = {"delegate_id": str(deputy.user_id), "starts_on": "2026-11-26", "ends_on": "2026-11-27"}
            delegation.set_delegation(form, actor=me, uow=uow, clock=FakeClock())

        assert delegation.my_delegation(actor=me, uow=uow, clock=FakeClock()).delegate_name == "Two"
        assert uow.audit.actions() == ["delegation.created", "delegation.ended", "delegation.created"]

    @pytest.mark.parametrize(("form", "errors"), [
        ({"delegate_id": "self", "starts_on": "2026-11-25", "ends_on": "2026-11-26"},
         {"delegate_id": "delegation.self"}),
        ({"delegate_id": "99", "starts_on": "2026-11-25", "ends_on": "2026-11-26"}, {"delegate_id": "choice.invalid"}),
        ({"delegate_id": "other", "starts_on": "2026-11-26", "ends_on": "2026-11-25"},
         {"ends_on": "delegation.ends_before_start"}),
        ({"delegate_id": "other", "starts_on": "2026-11-20", "ends_on": "2026-11-24"},
         {"ends_on": "delegation.in_past"}),
        ({"delegate_id": "other", "starts_on": "2026-11-31", "ends_on": "2026-12-01"}, {"starts_on": "date.invalid"}),
    ])
    def test_invalid_delegations_are_refused(self, form: dict[str, str], errors: dict[str, str]) -> None:
        uow = FakeUnitOfWork()
        me, other = person(uow, "me", {"employee"}), person(uow, "other", {"employee"})
        ids = {"self": str(me.user_id), "other": str(other.user_id)}

        with pytest.raises(ValidationFailed) as refused:
            delegation.set_delegation(form | {"delegate_id": ids.get(form["delegate_id"], form["delegate_id"])},
                                      actor=me, uow=uow, clock=FakeClock())

        assert refused.value.errors == errors and uow.delegations.rows == {}
