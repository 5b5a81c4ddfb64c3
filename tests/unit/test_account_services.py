"""Own account and session control through the domain services, with in-memory fakes."""

from dataclasses import replace

import pytest

from domain.identity.account import account_overview, change_password, regenerate_recovery_codes
from domain.identity.errors import InvalidCredentials, WeakPassword
from domain.identity.login import normalise_recovery_code
from domain.identity.models import Actor, SessionPolicy, Stage
from domain.identity.session_control import (
    end_all_user_sessions,
    end_user_session,
    list_own_sessions,
    list_user_sessions,
    public_session_id,
    revoke_own_session,
    sign_out_everywhere,
)
from domain.identity.sessions import hash_token, start_session
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired
from tests.builders import a_user, an_actor
from tests.fakes import FakeClock, FakeHasher, FakeStrength, FakeUnitOfWork

POLICY = SessionPolicy()
OLD, NEW = "old correct horse staple", "new purple dinosaur lamp"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def person(uow: FakeUnitOfWork, username: str = "ada", roles: frozenset[str] = frozenset({"sales_rep"})) -> Actor:
    user_id = uow.users.add(a_user(username=username, password_hash="hashed:" + OLD, roles=roles,
                                   totp_confirmed=True))
    return replace(an_actor(uow.users.users[user_id]), fresh=True)


def signed_in(uow: FakeUnitOfWork, clock: FakeClock, actor: Actor, stage: Stage = Stage.FULL) -> str:
    _token, session = start_session(stage, actor.user_id, ip="10.0.0.1", user_agent="test", replaces=None,
                                    uow=uow, clock=clock)
    return session.token_hash


def change(uow: FakeUnitOfWork, clock: FakeClock, actor: Actor, current: str, new: str, here: str,
           others: bool = True) -> int:
    return change_password(actor, current, new, here, sign_out_others=others, uow=uow, clock=clock,
                           hasher=FakeHasher(), strength=FakeStrength())


class TestChangePassword:
    def test_wrong_current_password_changes_nothing_and_counts_as_a_failure(self, uow: FakeUnitOfWork,
                                                                           clock: FakeClock) -> None:
        ada = person(uow)
        here, other = signed_in(uow, clock, ada), signed_in(uow, clock, ada)

        with pytest.raises(InvalidCredentials):
            change(uow, clock, ada, "wrong", NEW, here)

        assert uow.users.users[ada.user_id].password_hash == "hashed:" + OLD
        assert uow.users.users[ada.user_id].failed_logins == 1 and other in uow.sessions.sessions
        assert uow.audit.actions() == ["login.succeeded", "login.succeeded", "password.change_refused"]

    def test_weak_new_password_changes_nothing(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada = person(uow)

        with pytest.raises(WeakPassword, match="guessable"):
            change(uow, clock, ada, OLD, "ada's password 1", signed_in(uow, clock, ada))

        assert uow.users.users[ada.user_id].password_hash == "hashed:" + OLD

    def test_change_keeps_this_session_ends_the_others_and_is_audited(self, uow: FakeUnitOfWork,
                                                                      clock: FakeClock) -> None:
        ada, bob = person(uow), person(uow, "bob")
        here, other, pending = (signed_in(uow, clock, ada), signed_in(uow, clock, ada),
                                signed_in(uow, clock, ada, Stage.PASSWORD))
        bobs = signed_in(uow, clock, bob)

        ended = change(uow, clock, ada, OLD, NEW, here)

        assert ended == 2 and set(uow.sessions.sessions) == {here, bobs}
        assert uow.users.users[ada.user_id].password_hash == "hashed:" + NEW
        assert uow.users.password_changed_at[ada.user_id] == clock.now()
        event = uow.audit.events[-1]
        assert event.action == "password.changed" and event.after == {"other_sessions_ended": 2}
        assert OLD not in str(event) and NEW not in str(event) and other not in uow.sessions.sessions
        assert pending not in uow.sessions.sessions

    def test_other_sessions_may_be_kept(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada = person(uow)
        here, other = signed_in(uow, clock, ada), signed_in(uow, clock, ada)

        assert change(uow, clock, ada, OLD, NEW, here, others=False) == 0
        assert other in uow.sessions.sessions


class TestRecoveryCodes:
    def test_regeneration_needs_step_up(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada = person(uow)

        with pytest.raises(ReauthenticationRequired):
            regenerate_recovery_codes(replace(ada, fresh=False), uow=uow, clock=clock)
        assert uow.audit.events == []

    def test_new_codes_replace_the_old_set_and_are_stored_hashed(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada = person(uow)
        first = regenerate_recovery_codes(ada, uow=uow, clock=clock)

        second = regenerate_recovery_codes(ada, uow=uow, clock=clock)

        stored = uow.users.recovery[ada.user_id]
        assert len(second) == 10 and not set(first) & set(second)
        assert not {normalise_recovery_code(c) for c in second} & set(stored)
        assert account_overview(ada, uow=uow).recovery_codes_left == 10
        assert uow.audit.actions()[-1] == "mfa.recovery_codes_regenerated"
        assert not any(c in str(uow.audit.events) for c in second)


class TestOwnSessions:
    def test_list_shows_live_full_sessions_with_public_ids(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada, bob = person(uow), person(uow, "bob")
        old = signed_in(uow, clock, ada)
        clock.advance(minutes=31)
        here = signed_in(uow, clock, ada)
        signed_in(uow, clock, ada, Stage.PASSWORD)
        signed_in(uow, clock, bob)

        sessions = list_own_sessions(ada, here, uow=uow, clock=clock, policy=POLICY)

        assert [s.public_id for s in sessions] == [public_session_id(here)]
        assert sessions[0].current and here not in sessions[0].public_id and old not in sessions[0].public_id

    def test_revoking_another_users_session_is_not_found(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada, bob = person(uow), person(uow, "bob")
        here, bobs = signed_in(uow, clock, ada), signed_in(uow, clock, bob)
        commits = uow.commits

        with pytest.raises(NotFound):
            revoke_own_session(ada, public_session_id(bobs), here, uow=uow, clock=clock)
        assert bobs in uow.sessions.sessions and uow.commits == commits

    def test_revoke_needs_step_up_then_ends_the_session(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada = person(uow)
        here, other = signed_in(uow, clock, ada), signed_in(uow, clock, ada)
        with pytest.raises(ReauthenticationRequired):
            revoke_own_session(replace(ada, fresh=False), public_session_id(other), here, uow=uow, clock=clock)

        was_current = revoke_own_session(ada, public_session_id(other), here, uow=uow, clock=clock)

        assert not was_current and other not in uow.sessions.sessions and here in uow.sessions.sessions
        assert uow.audit.events[-1].after == {"which": "one", "session": public_session_id(other), "sessions": 1}
        assert revoke_own_session(replace(ada, fresh=False), public_session_id(here), here, uow=uow, clock=clock)
        assert uow.sessions.sessions == {}

    def test_sign_out_everywhere_else_or_everywhere(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        ada = person(uow)
        here = signed_in(uow, clock, ada)
        signed_in(uow, clock, ada)

        assert sign_out_everywhere(ada, here, keep_current=True, uow=uow, clock=clock) == 1
        assert list(uow.sessions.sessions) == [here]
        assert sign_out_everywhere(ada, here, keep_current=False, uow=uow, clock=clock) == 1
        assert uow.sessions.sessions == {}


class TestAdministratorView:
    def test_without_session_manage_it_is_denied(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        rep, bob = person(uow), person(uow, "bob")
        bobs = signed_in(uow, clock, bob)

        with pytest.raises(PermissionDenied):
            list_user_sessions(rep, bob.user_id, "", uow=uow, clock=clock, policy=POLICY)
        with pytest.raises(PermissionDenied):
            end_all_user_sessions(rep, bob.user_id, uow=uow, clock=clock)
        assert bobs in uow.sessions.sessions

    def test_administrator_ends_one_or_all_sessions_of_a_user(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        admin, bob = person(uow, "root", frozenset({"administrator"})), person(uow, "bob")
        first, second, third = (signed_in(uow, clock, bob) for _ in range(3))

        _user, listed = list_user_sessions(admin, bob.user_id, "", uow=uow, clock=clock, policy=POLICY)
        end_user_session(admin, bob.user_id, public_session_id(first), "", uow=uow, clock=clock)
        ended = end_all_user_sessions(admin, bob.user_id, uow=uow, clock=clock)

        assert len(listed) == 3 and ended == 2 and uow.sessions.for_user(bob.user_id) == []
        assert {second, third}.isdisjoint(uow.sessions.sessions)
        event = uow.audit.events[-1]
        assert (event.action, event.actor_id, event.entity_id) == ("session.revoked", admin.user_id, str(bob.user_id))

    def test_ending_needs_step_up_and_unknown_users_are_not_found(self, uow: FakeUnitOfWork,
                                                                  clock: FakeClock) -> None:
        admin = person(uow, "root", frozenset({"administrator"}))

        with pytest.raises(ReauthenticationRequired):
            end_all_user_sessions(replace(admin, fresh=False), admin.user_id, uow=uow, clock=clock)
        with pytest.raises(NotFound):
            list_user_sessions(admin, 999, "", uow=uow, clock=clock, policy=POLICY)
        with pytest.raises(NotFound):
            end_user_session(admin, admin.user_id, "0" * 32, "", uow=uow, clock=clock)


def test_public_id_is_not_the_token_hash() -> None:
    token_hash = hash_token("browser token")

    assert public_session_id(token_hash) != token_hash and len(public_session_id(token_hash)) == 32
