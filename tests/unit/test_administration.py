"""User and department administration services on fakes: permissions, segregation of duties, links, audit."""

from dataclasses import replace

import pytest

from domain.administration import activation, departments, services
from domain.administration.errors import AlreadyActivated, LastAdministrator, LinkUnavailable, SelfAdministration
from domain.administration.models import UNUSABLE_PASSWORD, Department, LinkPurpose, ordered_tree
from domain.identity.errors import WeakPassword
from domain.identity.models import Actor, AuthSession, Stage
from domain.identity.sessions import hash_token
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired, StaleVersion, ValidationFailed
from tests.builders import NOW, a_user, an_actor
from tests.fakes import FakeClock, FakeHasher, FakeStrength, FakeUnitOfWork

PASSWORD = "a long enough secret phrase"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: 1, 3: 2, 4: None})
    uow.users.add(a_user(username="admin", display_name="Admin", roles=frozenset({"administrator"}), department_id=1,
                         totp_confirmed=True))
    uow.users.add(a_user(username="rep", display_name="Rep", department_id=2, totp_confirmed=True,
                         totp_secret=b"sealed:x"))
    uow.users.add(a_user(username="admin2", display_name="Second admin", roles=frozenset({"administrator"}),
                         department_id=1, totp_confirmed=True))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int, fresh: bool = True) -> Actor:
    user = uow.users.get(user_id)
    assert user is not None
    return replace(an_actor(user), fresh=fresh)


def session_of(uow: FakeUnitOfWork, user_id: int, name: str) -> None:
    uow.sessions.add(AuthSession(name, Stage.FULL, NOW, NOW, user_id))


def create(uow: FakeUnitOfWork, who: Actor, username: str = "newbie", roles: tuple[str, ...] = ("sales_rep",),
           department: str = "2"):  # type: ignore[no-untyped-def]
    return services.create_user(username, "New Person", department, roles, actor=who, uow=uow, clock=FakeClock())


class TestPermissions:
    @pytest.mark.parametrize("call", [
        lambda a, u: services.disable_user(1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: services.enable_user(1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: services.unlock_user(1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: services.reset_password(1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: services.reset_mfa(1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: services.update_user(1, "X", "1", ["sales_rep"], 1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: services.get_user(1, actor=a, uow=u, clock=FakeClock()),
        lambda a, u: create(u, a),
        lambda a, u: departments.create_department("Ops", "", actor=a, uow=u, clock=FakeClock()),
        lambda a, u: departments.move_department(2, "4", actor=a, uow=u, clock=FakeClock()),
        lambda a, u: departments.department_tree(actor=a, uow=u),
    ])
    def test_a_sales_rep_is_refused_everything_and_nothing_changes(self, uow: FakeUnitOfWork, call) -> None:  # type: ignore[no-untyped-def]
        before = {i: replace(u) for i, u in uow.users.users.items()}

        with pytest.raises(PermissionDenied):
            call(actor(uow, 2), uow)

        assert uow.users.users == before and not uow.committed and uow.audit.events == []


class TestCreate:
    def test_creates_an_unusable_account_and_a_hashed_activation_link(self, uow: FakeUnitOfWork) -> None:
        link = create(uow, actor(uow, 1))

        user = uow.users.get(link.user_id)
        assert user is not None and user.password_hash == UNUSABLE_PASSWORD and user.roles == {"sales_rep"}
        assert link.purpose is LinkPurpose.ACTIVATION and link.expires_at == NOW.replace(day=28)
        assert len(link.token) >= 43 and list(uow.users.links) == [hash_token(link.token)]
        assert uow.audit.actions() == ["user.created", "user.link_issued"]
        assert link.token not in repr(uow.audit.events)

    def test_reports_every_bad_field(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as error:
            services.create_user("x", " ", "99", [], actor=actor(uow, 1), uow=uow, clock=FakeClock())

        assert error.value.errors == {"username": "username.invalid", "display_name": "required",
                                      "department_id": "choice.invalid", "roles": "roles.required"}

    def test_refuses_a_taken_username_and_unknown_roles(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as error:
            create(uow, actor(uow, 1), username="REP", roles=("sales_rep", "emperor"))

        assert error.value.errors == {"username": "username.taken", "roles": "choice.invalid"}

    def test_granting_roles_needs_step_up(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ReauthenticationRequired):
            create(uow, actor(uow, 1, fresh=False))
        assert not uow.committed


class TestUpdate:
    def test_changes_only_the_editable_fields_and_audits_the_difference(self, uow: FakeUnitOfWork) -> None:
        updated = services.update_user(2, "Rep Two", "3", ["sales_rep"], 1, actor=actor(uow, 1), uow=uow,
                                       clock=FakeClock())

        assert (updated.display_name, updated.department_id, updated.version) == ("Rep Two", 3, 2)
        event = uow.audit.events[-1]
        assert event.action == "user.updated" and event.before == {"display_name": "Rep", "department_id": 2}

    def test_stale_version_is_refused(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(StaleVersion):
            services.update_user(2, "Rep Two", "2", ["sales_rep"], 7, actor=actor(uow, 1), uow=uow, clock=FakeClock())

    def test_role_change_needs_step_up_but_a_name_change_does_not(self, uow: FakeUnitOfWork) -> None:
        stale = actor(uow, 1, fresh=False)
        services.update_user(2, "Renamed", "2", ["sales_rep"], 1, actor=stale, uow=uow, clock=FakeClock())

        with pytest.raises(ReauthenticationRequired):
            services.update_user(2, "Renamed", "2", ["sales_manager"], 2, actor=stale, uow=uow, clock=FakeClock())
        assert uow.users.users[2].roles == {"sales_rep"}

    def test_an_administrator_cannot_change_their_own_roles(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(SelfAdministration):
            services.update_user(1, "Admin", "1", ["administrator", "auditor"], 1, actor=actor(uow, 1), uow=uow,
                                 clock=FakeClock())

    def test_the_last_administrator_keeps_the_role(self, uow: FakeUnitOfWork) -> None:
        services.update_user(3, "Second admin", "1", ["auditor"], 1, actor=actor(uow, 1), uow=uow, clock=FakeClock())
        manager = replace(actor(uow, 2), permissions=frozenset(actor(uow, 1).permissions))

        with pytest.raises(LastAdministrator):
            services.update_user(1, "Admin", "1", ["auditor"], 1, actor=manager, uow=uow, clock=FakeClock())
        assert uow.users.users[1].roles == {"administrator"}


class TestStatus:
    def test_disable_ends_every_session_of_that_user_only(self, uow: FakeUnitOfWork) -> None:
        session_of(uow, 2, "a")
        session_of(uow, 2, "b")
        session_of(uow, 1, "mine")

        services.disable_user(2, actor=actor(uow, 1), uow=uow, clock=FakeClock())

        assert not uow.users.users[2].is_active and list(uow.sessions.sessions) == ["mine"]
        assert uow.audit.events[-1].after == {"is_active": False, "sessions_ended": 2}

    def test_an_administrator_cannot_disable_themselves(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(SelfAdministration):
            services.disable_user(1, actor=actor(uow, 1), uow=uow, clock=FakeClock())
        assert uow.users.users[1].is_active

    def test_the_last_active_administrator_cannot_be_disabled(self, uow: FakeUnitOfWork) -> None:
        services.disable_user(3, actor=actor(uow, 1), uow=uow, clock=FakeClock())
        manager = replace(actor(uow, 2), permissions=frozenset(actor(uow, 1).permissions))

        with pytest.raises(LastAdministrator):
            services.disable_user(1, actor=manager, uow=uow, clock=FakeClock())

    def test_enable_and_unlock(self, uow: FakeUnitOfWork) -> None:
        uow.users.users[2].is_active = False
        uow.users.users[2].locked_until, uow.users.users[2].failed_logins = NOW.replace(hour=10), 3

        services.enable_user(2, actor=actor(uow, 1), uow=uow, clock=FakeClock())
        services.unlock_user(2, actor=actor(uow, 1), uow=uow, clock=FakeClock())

        user = uow.users.users[2]
        assert user.is_active and user.locked_until is None and user.failed_logins == 0
        assert uow.audit.actions() == ["user.enabled", "user.unlocked"]


class TestMfaAndPasswordReset:
    def test_mfa_reset_forgets_the_factor_and_ends_sessions(self, uow: FakeUnitOfWork) -> None:
        session_of(uow, 2, "a")
        uow.users.replace_recovery_codes(2, ["h1", "h2"])

        services.reset_mfa(2, actor=actor(uow, 1), uow=uow, clock=FakeClock())

        user = uow.users.users[2]
        assert (user.totp_secret, user.totp_confirmed, user.totp_last_step) == (None, False, None)
        assert uow.users.remaining_recovery_codes(2) == 0 and uow.sessions.sessions == {}
        assert uow.audit.actions() == ["user.mfa_reset"]

    def test_mfa_reset_needs_step_up_and_never_applies_to_oneself(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ReauthenticationRequired):
            services.reset_mfa(2, actor=actor(uow, 1, fresh=False), uow=uow, clock=FakeClock())
        with pytest.raises(SelfAdministration):
            services.reset_mfa(1, actor=actor(uow, 1), uow=uow, clock=FakeClock())
        assert uow.users.users[2].totp_confirmed and uow.users.users[1].totp_confirmed

    def test_password_reset_makes_the_password_unusable_and_ends_sessions(self, uow: FakeUnitOfWork) -> None:
        session_of(uow, 2, "a")

        link = services.reset_password(2, actor=actor(uow, 1), uow=uow, clock=FakeClock())

        assert uow.users.users[2].password_hash == UNUSABLE_PASSWORD and uow.sessions.sessions == {}
        assert link.purpose is LinkPurpose.RESET and link.expires_at == NOW.replace(day=26)

    def test_activation_link_only_for_accounts_without_a_password(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(AlreadyActivated):
            services.reissue_activation(2, actor=actor(uow, 1), uow=uow, clock=FakeClock())


class TestLinks:
    def test_link_sets_the_password_once_and_ends_sessions(self, uow: FakeUnitOfWork) -> None:
        link = create(uow, actor(uow, 1))
        session_of(uow, link.user_id, "stray")

        user = activation.set_password_with_link(link.token, PASSWORD, ip=None, uow=uow, clock=FakeClock(),
                                                 hasher=FakeHasher(), strength=FakeStrength())

        assert uow.users.users[link.user_id].password_hash == "hashed:" + PASSWORD and not user.totp_confirmed
        assert uow.sessions.sessions == {} and uow.audit.actions()[-1] == "user.activated"
        with pytest.raises(LinkUnavailable):
            activation.link_target(link.token, uow=uow, clock=FakeClock())

    def test_a_new_link_voids_the_previous_one(self, uow: FakeUnitOfWork) -> None:
        first = create(uow, actor(uow, 1))
        second = services.reissue_activation(first.user_id, actor=actor(uow, 1), uow=uow, clock=FakeClock())

        with pytest.raises(LinkUnavailable):
            activation.link_target(first.token, uow=uow, clock=FakeClock())
        assert activation.link_target(second.token, uow=uow, clock=FakeClock()).username == "newbie"

    def test_expired_links_and_disabled_accounts_are_refused(self, uow: FakeUnitOfWork) -> None:
        link = create(uow, actor(uow, 1))
        late = FakeClock()
        late.advance(hours=72)

        with pytest.raises(LinkUnavailable):
            activation.link_target(link.token, uow=uow, clock=late)
        uow.users.users[link.user_id].is_active = False
        with pytest.raises(LinkUnavailable):
            activation.link_target(link.token, uow=uow, clock=FakeClock())

    def test_a_weak_password_keeps_the_link_alive(self, uow: FakeUnitOfWork) -> None:
        link = create(uow, actor(uow, 1))

        with pytest.raises(WeakPassword):
            activation.set_password_with_link(link.token, "short", ip=None, uow=uow, clock=FakeClock(),
                                              hasher=FakeHasher(), strength=FakeStrength())
        assert activation.link_target(link.token, uow=uow, clock=FakeClock()).purpose is LinkPurpose.ACTIVATION


class TestDepartments:
    def test_tree_order_is_depth_first_with_siblings_by_name(self) -> None:
        rows = [Department(1, "B", None, "/1/"), Department(2, "A", None, "/2/"), Department(3, "Z", 1, "/1/3/"),
                Department(4, "C", 1, "/1/4/")]

        assert [d.name for d in ordered_tree(rows)] == ["A", "B", "C", "Z"]

    def test_move_rewrites_the_subtree_and_refuses_cycles(self, uow: FakeUnitOfWork) -> None:
        admin = actor(uow, 1)
        departments.move_department(2, "4", actor=admin, uow=uow, clock=FakeClock())

        assert uow.departments.get(3).path == "/4/2/3/"  # type: ignore[union-attr]
        with pytest.raises(ValidationFailed) as error:
            departments.move_department(4, "3", actor=admin, uow=uow, clock=FakeClock())
        assert error.value.errors == {"parent_id": "department.cycle"}
        assert uow.audit.actions() == ["department.moved"]

    def test_manager_must_belong_to_the_department(self, uow: FakeUnitOfWork) -> None:
        admin = actor(uow, 1)
        with pytest.raises(ValidationFailed):
            departments.set_manager(4, "2", actor=admin, uow=uow, clock=FakeClock())

        departments.set_manager(1, "2", actor=admin, uow=uow, clock=FakeClock())

        assert uow.departments.get(1).manager_id == 2  # type: ignore[union-attr]

    def test_create_and_rename(self, uow: FakeUnitOfWork) -> None:
        admin = actor(uow, 1)
        made = departments.create_department("  华东   销售 ", "1", actor=admin, uow=uow, clock=FakeClock())
        departments.rename_department(made.id or 0, "华东区", actor=admin, uow=uow, clock=FakeClock())

        assert made.path == f"/1/{made.id}/" and uow.departments.get(made.id or 0).name == "华东区"  # type: ignore[union-attr]
        with pytest.raises(NotFound):
            departments.rename_department(99, "X", actor=admin, uow=uow, clock=FakeClock())
