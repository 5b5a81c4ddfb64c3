"""The SQL identity adapters on SQLite and PostgreSQL: atomic one-time use, counters, sessions."""

import threading
from datetime import timedelta

from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import AuthSession, Stage
from tests.builders import NOW
from tests.integration.conftest import add_user


def test_a_totp_step_is_accepted_by_exactly_one_of_many_parallel_requests(engine: Engine, uow: SqlUnitOfWork) -> None:
    user = add_user(uow, "ada", {"sales_rep"})
    wins: list[bool] = []

    def use_step() -> None:
        with SqlUnitOfWork(engine) as parallel:
            wins.append(parallel.users.advance_totp_step(user.user_id, 1000))
            parallel.commit()

    threads = [threading.Thread(target=use_step) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(wins) == [False] * 7 + [True]
    with uow:
        assert not uow.users.advance_totp_step(user.user_id, 999)
        assert uow.users.advance_totp_step(user.user_id, 1001)


def test_recovery_codes_and_setup_tokens_work_once(uow: SqlUnitOfWork) -> None:
    user = add_user(uow, "ada", {"sales_rep"})
    with uow:
        uow.users.replace_recovery_codes(user.user_id, ["h1", "h2"])
        uow.users.add_setup_token("token-hash", NOW + timedelta(hours=1))
        assert uow.users.use_recovery_code(user.user_id, "h1", NOW)
        assert not uow.users.use_recovery_code(user.user_id, "h1", NOW)
        assert uow.users.remaining_recovery_codes(user.user_id) == 1
        assert not uow.users.consume_setup_token("token-hash", NOW + timedelta(hours=2))
        assert uow.users.consume_setup_token("token-hash", NOW)
        assert not uow.users.consume_setup_token("token-hash", NOW)
        uow.commit()


def test_failures_lock_after_the_limit_and_reset(uow: SqlUnitOfWork) -> None:
    user = add_user(uow, "ada", {"sales_rep"})
    with uow:
        locks = [uow.users.record_login_failure(user.user_id, NOW, 3, timedelta(minutes=15)) for _ in range(3)]
        uow.commit()
    with uow:
        locked = uow.users.get(user.user_id)
        uow.users.reset_login_failures(user.user_id)
        uow.commit()
    with uow:
        unlocked = uow.users.get(user.user_id)

    assert locks == [False, False, True]
    assert locked is not None and locked.is_locked(NOW + timedelta(minutes=14))
    assert unlocked is not None and not unlocked.is_locked(NOW) and unlocked.failed_logins == 0


def test_session_loads_with_its_actor_until_the_user_is_disabled(engine: Engine, uow: SqlUnitOfWork) -> None:
    user = add_user(uow, "ada", {"sales_rep", "auditor"})
    with uow:
        uow.sessions.add(AuthSession("h" * 64, Stage.FULL, NOW, NOW, user.user_id, "10.0.0.1", "ua", data={"x": 1}))
        uow.commit()
    with uow:
        loaded = uow.sessions.load("h" * 64)
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET is_active = :no WHERE id = :id"), {"no": False, "id": user.user_id})
    with uow:
        disabled = uow.sessions.load("h" * 64)

    assert loaded is not None and loaded.actor is not None
    assert loaded.actor.roles == {"sales_rep", "auditor"} and loaded.data == {"x": 1}
    assert loaded.created_at == NOW
    assert disabled is not None and disabled.actor is None
