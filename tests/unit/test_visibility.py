"""'Why can I see this?' and segregation of duties as pure rules."""

import pytest

from domain.identity.access import require_any, require_not_creator
from domain.identity.errors import SegregationOfDuties
from domain.identity.models import Actor
from domain.identity.permissions import DEFAULT_ROLES, Permission, Role, Scope
from domain.identity.visibility import Basis, RecordFacts, explain_access
from domain.shared.errors import PermissionDenied


def actor_with(*keys: str, user_id: int = 7, department_id: int | None = 3) -> tuple[Actor, list[Role]]:
    return Actor(user_id, "u", "U", frozenset(keys), department_id), [DEFAULT_ROLES[k] for k in keys]


def facts(owner_id: int = 9, in_subtree: bool = False) -> RecordFacts:
    return RecordFacts("customer", owner_id, "Owner", 4, "East sales", in_subtree)


@pytest.mark.parametrize(("keys", "record", "basis"), [
    (("finance",), facts(), Basis.ALL),
    (("sales_rep",), facts(owner_id=7), Basis.OWNER),
    (("sales_rep",), facts(in_subtree=True), Basis.NOT_OWNER),
    (("sales_manager",), facts(in_subtree=True), Basis.DEPARTMENT),
    (("sales_manager",), facts(), Basis.OUTSIDE_DEPARTMENT),
    (("buyer",), facts(owner_id=7), Basis.NO_PERMISSION),
])
def test_the_basis_names_the_deciding_fact(keys: tuple[str, ...], record: RecordFacts, basis: Basis) -> None:
    actor, roles = actor_with(*keys)

    explanation = explain_access(actor, roles, record)

    assert explanation.basis is basis and explanation.visible == (basis in {Basis.ALL, Basis.OWNER, Basis.DEPARTMENT})


def test_department_scope_without_a_department_covers_only_own_records() -> None:
    actor, roles = actor_with("sales_manager", department_id=None)

    assert explain_access(actor, roles, facts(in_subtree=True)).basis is Basis.NO_DEPARTMENT
    assert explain_access(actor, roles, facts(owner_id=7)).basis is Basis.OWNER


def test_read_permission_without_any_scope_sees_nothing() -> None:
    reader = Role("reader", "Reader", frozenset({Permission.CUSTOMER_READ}))
    actor = Actor(7, "u", "U", frozenset({"reader"}), None, permissions=reader.permissions, scopes={})

    assert explain_access(actor, [reader], facts(owner_id=7)).basis is Basis.NO_SCOPE


def test_the_roles_granting_read_and_the_widest_scope_are_named() -> None:
    actor, roles = actor_with("sales_rep", "sales_manager", "buyer")

    explanation = explain_access(actor, roles, facts(in_subtree=True))

    assert explanation.scope is Scope.DEPARTMENT and explanation.permission is Permission.CUSTOMER_READ
    assert [r.key for r in explanation.read_roles] == ["sales_rep", "sales_manager"]
    assert [r.key for r in explanation.scope_roles] == ["sales_manager"]


def test_the_creator_of_a_document_cannot_approve_it() -> None:
    creator, _ = actor_with("sales_manager", user_id=5)
    approver, _ = actor_with("sales_manager", user_id=6)

    with pytest.raises(SegregationOfDuties) as failure:
        require_not_creator(creator, created_by=5)
    require_not_creator(approver, created_by=5)

    assert isinstance(failure.value, PermissionDenied) and str(failure.value) == "sod.creator_cannot_approve"


def test_require_any_needs_one_of_the_permissions() -> None:
    auditor, _ = actor_with("auditor")
    admin, _ = actor_with("administrator")

    with pytest.raises(PermissionDenied):
        require_any(auditor, Permission.ROLE_MANAGE, Permission.USER_MANAGE)
    require_any(admin, Permission.ROLE_MANAGE, Permission.USER_MANAGE)
