"""Role administration services with fakes: validation, locks, step-up, optimistic version, audit."""

from dataclasses import replace

import pytest

from domain.administration import roles as services
from domain.administration.role_models import RoleLocked
from domain.identity.models import Actor
from domain.identity.permissions import DEFAULT_ROLES, Permission, Scope
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired, StaleVersion, ValidationFailed
from tests.builders import a_user
from tests.fakes import FakeClock, FakeUnitOfWork

ADMIN = Actor(1, "admin", "Admin", frozenset({"administrator"}), None, "10.0.0.1", fresh=True)
READ_ALL: tuple[list[str], dict[str, str]] = (["customer.read"], {"customer": "all"})


def test_create_role_stores_grants_and_audits_them() -> None:
    uow = FakeUnitOfWork()

    services.create_role("key_accounts", " Key accounts ", *READ_ALL, actor=ADMIN, uow=uow, clock=FakeClock())

    stored = uow.roles.get("key_accounts")
    assert stored is not None and stored.role.name == "Key accounts" and not stored.role.builtin
    assert stored.role.permissions == {Permission.CUSTOMER_READ} and stored.role.scopes == {"customer": Scope.ALL}
    event = uow.audit.events[-1]
    assert (event.action, event.entity_id, event.actor_id) == ("role.created", "key_accounts", 1)
    assert event.after == {"name": "Key accounts", "permissions": ["customer.read"], "scopes": {"customer": "all"}}


@pytest.mark.parametrize(("key", "name", "errors"), [
    ("Sales", "Sales", {"key": "role.key_invalid"}), ("ab", "Ab", {"key": "role.key_invalid"}),
    ("x" * 51, "X", {"key": "role.key_invalid"}), ("ok_key", "", {"name": "required"}),
    ("ok_key", "n" * 101, {"name": "too_long"}), ("sales_rep", "Twin", {"key": "role.key_taken"}),
])
def test_create_role_refuses_bad_keys_and_names(key: str, name: str, errors: dict[str, str]) -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(ValidationFailed) as failure:
        services.create_role(key, name, *READ_ALL, actor=ADMIN, uow=uow, clock=FakeClock())

    assert failure.value.errors == errors and not uow.committed


@pytest.mark.parametrize(("permissions", "scopes", "errors"), [
    (["customer.read", "god.mode"], {}, {"permissions": "permission.unknown"}),
    ([], {"supplier": "all"}, {"scopes": "scope.unknown"}),
    ([], {"customer": "everything"}, {"scopes": "scope.unknown"}),
])
def test_unknown_permissions_and_scopes_are_refused_not_ignored(permissions: list[str], scopes: dict[str, str],
                                                                errors: dict[str, str]) -> None:
    with pytest.raises(ValidationFailed) as failure:
        services.parse_grants(permissions, scopes)

    assert failure.value.errors == errors


def test_scope_none_means_no_scope() -> None:
    assert services.parse_grants(["audit.read"], {"customer": "none"}) == (frozenset({Permission.AUDIT_READ}), {})


def test_update_replaces_the_grants_bumps_the_version_and_audits_before_and_after() -> None:
    uow = FakeUnitOfWork()
    saved = services.update_role("sales_rep", None, ["customer.read"], {"customer": "department"}, 1, actor=ADMIN,
                                 uow=uow, clock=FakeClock())

    assert saved.version == 2 and uow.roles.get("sales_rep") == replace(saved, holders=0)
    event = uow.audit.events[-1]
    assert event.action == "role.updated" and event.before is not None and event.after is not None
    assert "customer.create" in event.before["permissions"] and event.after["permissions"] == ["customer.read"]
    assert (event.before["scopes"], event.after["scopes"]) == \
        ({"customer": "own", "contract": "own"}, {"customer": "department"})


def test_stale_version_is_refused_without_change() -> None:
    uow = FakeUnitOfWork()
    default = DEFAULT_ROLES["finance"]
    finance = ([p.value for p in default.permissions], {e: s.value for e, s in default.scopes.items()})
    services.update_role("finance", None, *finance, 1, actor=ADMIN, uow=uow, clock=FakeClock())  # no-op save
    services.update_role("finance", None, [], {}, 1, actor=ADMIN, uow=uow, clock=FakeClock())

    with pytest.raises(StaleVersion) as failure:
        services.update_role("finance", None, *finance, 1, actor=ADMIN, uow=uow, clock=FakeClock())

    assert failure.value.current_version == 2
    stored = uow.roles.get("finance")
    assert stored is not None and stored.role.permissions == frozenset()


def test_builtin_roles_keep_their_names() -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(ValidationFailed) as failure:
        services.update_role("auditor", "Inspector", *READ_ALL, 1, actor=ADMIN, uow=uow, clock=FakeClock())

    assert failure.value.errors == {"name": "role.builtin_name"} and not uow.committed


@pytest.mark.parametrize("dropped", [Permission.ROLE_MANAGE, Permission.USER_MANAGE])
def test_administrator_role_keeps_role_and_user_management(dropped: Permission) -> None:
    uow = FakeUnitOfWork()
    permissions = [p.value for p in Permission if p is not dropped]

    with pytest.raises(ValidationFailed) as failure:
        services.update_role("administrator", None, permissions, {"customer": "all"}, 1, actor=ADMIN, uow=uow,
                             clock=FakeClock())

    assert failure.value.errors == {"permissions": "role.administrator_keeps"} and not uow.committed


def test_builtin_roles_cannot_be_deleted() -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(RoleLocked, match=r"^role\.builtin$"):
        services.delete_role("buyer", 1, actor=ADMIN, uow=uow, clock=FakeClock())

    assert uow.roles.get("buyer") is not None


def test_custom_role_with_holders_cannot_be_deleted_and_without_them_can() -> None:
    uow = FakeUnitOfWork()
    services.create_role("temp_staff", "Temp", *READ_ALL, actor=ADMIN, uow=uow, clock=FakeClock())
    uow.users.add(a_user(username="t", roles=frozenset({"temp_staff"})))

    with pytest.raises(RoleLocked, match=r"^role\.in_use$"):
        services.delete_role("temp_staff", 1, actor=ADMIN, uow=uow, clock=FakeClock())
    uow.users.users[1].roles = frozenset()
    services.delete_role("temp_staff", 1, actor=ADMIN, uow=uow, clock=FakeClock())

    assert uow.roles.get("temp_staff") is None and uow.audit.actions()[-1] == "role.deleted"


def test_changes_need_role_manage_and_a_fresh_sign_in() -> None:
    uow = FakeUnitOfWork()
    manager = Actor(2, "m", "M", frozenset({"sales_manager"}), None, fresh=True)

    with pytest.raises(PermissionDenied):
        services.create_role("sneaky", "Sneaky", *READ_ALL, actor=manager, uow=uow, clock=FakeClock())
    with pytest.raises(ReauthenticationRequired):
        services.update_role("buyer", None, *READ_ALL, 1, actor=replace(ADMIN, fresh=False), uow=uow,
                             clock=FakeClock())
    with pytest.raises(PermissionDenied):
        services.list_roles(actor=manager, uow=uow)

    assert not uow.committed and uow.roles.get("sneaky") is None


def test_unknown_role_is_not_found() -> None:
    with pytest.raises(NotFound):
        services.get_role("nobody", actor=ADMIN, uow=FakeUnitOfWork())


def test_permission_is_checked_before_the_input_and_all_input_errors_come_together() -> None:
    uow = FakeUnitOfWork()
    manager = Actor(2, "m", "M", frozenset({"sales_manager"}), None, fresh=True)

    with pytest.raises(PermissionDenied):
        services.create_role("x", "", ["god.mode"], {}, actor=manager, uow=uow, clock=FakeClock())
    with pytest.raises(ValidationFailed) as failure:
        services.create_role("x", "", ["god.mode"], {"customer": "x"}, actor=ADMIN, uow=uow, clock=FakeClock())

    assert set(failure.value.errors) == {"key", "name", "permissions", "scopes"}
