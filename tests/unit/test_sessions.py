from datetime import timedelta

from domain.identity.models import SessionPolicy, Stage
from domain.identity.sessions import end_session, hash_token, purge_idle_sessions, resume_session, start_session
from tests.builders import a_user
from tests.fakes import FakeClock, FakeUnitOfWork

POLICY = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


def started(uow: FakeUnitOfWork, clock: FakeClock, stage: Stage = Stage.FULL) -> str:
    user_id = uow.users.add(a_user()) if not uow.users.users else 1
    token, _session = start_session(stage, user_id, ip="10.0.0.1", user_agent="test", replaces=None, uow=uow,
                                    clock=clock)
    return token


def test_the_database_holds_only_the_hash_of_the_token() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()

    token = started(uow, clock)

    assert token not in uow.sessions.sessions and hash_token(token) in uow.sessions.sessions


def test_idle_timeout_and_absolute_lifetime_end_a_session() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    token = started(uow, clock)

    clock.advance(minutes=29)
    assert resume_session(token, uow=uow, clock=clock, policy=POLICY) is not None
    clock.advance(minutes=2)
    assert resume_session(token, uow=uow, clock=clock, policy=POLICY) is None

    busy = started(uow, clock)
    for _ in range(12 * 4 + 1):
        clock.advance(minutes=15)
        uow.sessions.touch(hash_token(busy), clock.now())
    assert resume_session(busy, uow=uow, clock=clock, policy=POLICY) is None


def test_password_step_expires_after_five_minutes() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    token = started(uow, clock, Stage.PASSWORD)

    clock.advance(minutes=5, seconds=1)

    assert resume_session(token, uow=uow, clock=clock, policy=POLICY) is None


def test_disabled_user_loses_the_session_at_once() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    token = started(uow, clock)

    uow.users.users[1].is_active = False

    assert resume_session(token, uow=uow, clock=clock, policy=POLICY) is None


def test_new_session_replaces_the_old_one_and_logout_deletes_it() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    old = started(uow, clock, Stage.PASSWORD)
    new, session = start_session(Stage.FULL, 1, ip=None, user_agent=None, replaces=hash_token(old), uow=uow,
                                 clock=clock)

    assert resume_session(old, uow=uow, clock=clock, policy=POLICY) is None
    end_session(session.token_hash, actor_id=1, ip=None, uow=uow, clock=clock)

    assert resume_session(new, uow=uow, clock=clock, policy=POLICY) is None
    assert uow.audit.actions() == ["login.succeeded", "logout"]


def test_purge_removes_only_idle_sessions() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    started(uow, clock)
    clock.advance(minutes=31)
    fresh = started(uow, clock)

    assert purge_idle_sessions(uow=uow, clock=clock, policy=POLICY) == 1
    assert list(uow.sessions.sessions) == [hash_token(fresh)]
