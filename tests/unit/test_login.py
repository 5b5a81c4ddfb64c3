import pytest

from domain.identity import login
from domain.identity.errors import ChallengeExpired, InvalidCode, InvalidCredentials, SetupUnavailable, WeakPassword
from domain.identity.models import SessionPolicy, Stage
from domain.identity.sessions import hash_token, start_session
from domain.shared.errors import ValidationFailed
from tests.builders import a_user
from tests.fakes import FakeCipher, FakeClock, FakeHasher, FakeStrength, FakeTotp, FakeUnitOfWork

PASSWORD = "correct horse battery staple"
POLICY = SessionPolicy()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def sign_in(uow: FakeUnitOfWork, clock: FakeClock, password: str = PASSWORD, username: str = "ada"):  # type: ignore[no-untyped-def]
    return login.sign_in_with_password(username, password, ip="10.0.0.1", uow=uow, clock=clock, hasher=FakeHasher())


def enrolled_user(uow: FakeUnitOfWork) -> int:
    return uow.users.add(a_user(username="ada", password_hash="hashed:" + PASSWORD, totp_confirmed=True,
                                totp_secret=FakeCipher().encrypt(b"SECRET")))


def pending_session(uow: FakeUnitOfWork, clock: FakeClock, user_id: int) -> str:
    _token, session = start_session(Stage.PASSWORD, user_id, ip=None, user_agent=None, replaces=None, uow=uow,
                                    clock=clock)
    return session.token_hash


def second_factor(uow: FakeUnitOfWork, clock: FakeClock, user_id: int, code: str, session_hash: str) -> str:
    return login.verify_second_factor(user_id, code, session_hash, ip=None, uow=uow, cipher=FakeCipher(),
                                      totp=FakeTotp(), clock=clock, policy=POLICY)


class TestFirstAdministrator:
    def test_setup_token_creates_one_administrator_once(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        token = login.issue_setup_token(uow=uow, clock=clock)
        assert token is not None

        admin = login.create_first_administrator(token, " Admin ", "Ada", PASSWORD, ip=None, uow=uow, clock=clock,
                                                 hasher=FakeHasher(), strength=FakeStrength())

        assert admin.username == "admin" and admin.roles == {"administrator"}
        assert login.issue_setup_token(uow=uow, clock=clock) is None
        with pytest.raises(SetupUnavailable):
            login.create_first_administrator(token, "second", "Eve", PASSWORD, ip=None, uow=uow, clock=clock,
                                             hasher=FakeHasher(), strength=FakeStrength())

    def test_expired_setup_token_is_refused(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        token = login.issue_setup_token(uow=uow, clock=clock) or ""
        clock.advance(hours=1, seconds=1)

        with pytest.raises(SetupUnavailable):
            login.create_first_administrator(token, "admin", "Ada", PASSWORD, ip=None, uow=uow, clock=clock,
                                             hasher=FakeHasher(), strength=FakeStrength())

    @pytest.mark.parametrize(("password", "reason"), [("short pass", "password.too_short"),
                                                      ("x" * 257, "password.too_long"),
                                                      ("administrator", "password.is_username")])
    def test_password_policy(self, uow: FakeUnitOfWork, clock: FakeClock, password: str, reason: str) -> None:
        token = login.issue_setup_token(uow=uow, clock=clock) or ""

        with pytest.raises(WeakPassword, match=reason):
            login.create_first_administrator(token, "administrator", "A", password, ip=None, uow=uow, clock=clock,
                                             hasher=FakeHasher(), strength=FakeStrength())

    def test_long_unicode_password_is_accepted(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        token = login.issue_setup_token(uow=uow, clock=clock) or ""

        admin = login.create_first_administrator(token, "admin", "A", "Grüne Wiese 🐄 am Bach! " * 4, ip=None,
                                                 uow=uow, clock=clock, hasher=FakeHasher(), strength=FakeStrength())

        assert admin.id is not None

    def test_username_must_be_simple(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        with pytest.raises(ValidationFailed, match=r"username\.invalid"):
            login.create_first_administrator("t", "a b", "A", PASSWORD, ip=None, uow=uow, clock=clock,
                                             hasher=FakeHasher(), strength=FakeStrength())


class TestPasswordStep:
    def test_unknown_user_and_wrong_password_fail_alike_and_are_audited(self, uow: FakeUnitOfWork,
                                                                        clock: FakeClock) -> None:
        enrolled_user(uow)

        with pytest.raises(InvalidCredentials) as unknown:
            sign_in(uow, clock, username="nobody")
        with pytest.raises(InvalidCredentials) as wrong:
            sign_in(uow, clock, password="wrong password!")

        assert str(unknown.value) == str(wrong.value)
        assert uow.audit.actions() == ["login.failed", "login.failed"]
        assert "wrong password" not in repr(uow.audit.events)

    def test_five_failures_lock_the_account_even_for_the_right_password(self, uow: FakeUnitOfWork,
                                                                         clock: FakeClock) -> None:
        enrolled_user(uow)
        for _ in range(5):
            with pytest.raises(InvalidCredentials):
                sign_in(uow, clock, password="wrong password!")

        with pytest.raises(InvalidCredentials):
            sign_in(uow, clock)
        clock.advance(minutes=15, seconds=1)

        assert sign_in(uow, clock).username == "ada"
        assert "login.locked" in uow.audit.actions()

    def test_disabled_user_cannot_sign_in(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = enrolled_user(uow)
        uow.users.users[user_id].is_active = False

        with pytest.raises(InvalidCredentials):
            sign_in(uow, clock)


class TestSecondFactor:
    def test_a_totp_code_is_accepted_once(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = enrolled_user(uow)
        code = FakeTotp().code_at(clock.now())

        assert second_factor(uow, clock, user_id, code, pending_session(uow, clock, user_id)) == "totp"
        with pytest.raises(InvalidCode):
            second_factor(uow, clock, user_id, code, pending_session(uow, clock, user_id))

        assert "mfa.replay_refused" in uow.audit.actions()

    def test_an_older_step_is_refused_after_a_newer_one(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = enrolled_user(uow)
        old_code = FakeTotp().code_at(clock.now())
        clock.advance(seconds=30)
        second_factor(uow, clock, user_id, FakeTotp().code_at(clock.now()), pending_session(uow, clock, user_id))

        with pytest.raises(InvalidCode):
            second_factor(uow, clock, user_id, old_code, pending_session(uow, clock, user_id))

    def test_codes_two_steps_away_are_refused(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = enrolled_user(uow)
        code = FakeTotp().code_at(clock.now())
        clock.advance(seconds=61)

        with pytest.raises(InvalidCode):
            second_factor(uow, clock, user_id, code, pending_session(uow, clock, user_id))

    def test_five_wrong_codes_void_the_challenge(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = enrolled_user(uow)
        session_hash = pending_session(uow, clock, user_id)
        for _ in range(4):
            with pytest.raises(InvalidCode):
                second_factor(uow, clock, user_id, "000000", session_hash)

        with pytest.raises(ChallengeExpired):
            second_factor(uow, clock, user_id, "000000", session_hash)
        assert uow.users.users[user_id].is_locked(clock.now())

    def test_recovery_codes_work_once_each(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = uow.users.add(a_user(username="ada"))
        session_hash = pending_session(uow, clock, user_id)
        login.start_enrolment(user_id, uow=uow, cipher=FakeCipher(), totp=FakeTotp())
        codes = login.confirm_enrolment(user_id, FakeTotp().code_at(clock.now()), session_hash, ip=None, uow=uow,
                                        cipher=FakeCipher(), totp=FakeTotp(), clock=clock, policy=POLICY)

        assert second_factor(uow, clock, user_id, codes[3].upper(), pending_session(uow, clock, user_id)) == "recovery"
        with pytest.raises(InvalidCode):
            second_factor(uow, clock, user_id, codes[3], pending_session(uow, clock, user_id))
        assert uow.users.remaining_recovery_codes(user_id) == 9
        assert len(set(codes)) == 10 and all(c not in repr(uow.users.recovery) for c in codes)


class TestEnrolment:
    def test_secret_is_stored_encrypted_and_stable_across_reloads(self, uow: FakeUnitOfWork) -> None:
        user_id = uow.users.add(a_user(username="ada"))

        first = login.start_enrolment(user_id, uow=uow, cipher=FakeCipher(), totp=FakeTotp())
        again = login.start_enrolment(user_id, uow=uow, cipher=FakeCipher(), totp=FakeTotp())

        assert first == again and first.uri.startswith("otpauth://totp/Houtai:ada")
        assert first.secret.encode() not in (uow.users.users[user_id].totp_secret or b"")

    def test_wrong_code_does_not_confirm(self, uow: FakeUnitOfWork, clock: FakeClock) -> None:
        user_id = uow.users.add(a_user(username="ada"))
        login.start_enrolment(user_id, uow=uow, cipher=FakeCipher(), totp=FakeTotp())

        with pytest.raises(InvalidCode):
            login.confirm_enrolment(user_id, "999999", hash_token("x"), ip=None, uow=uow, cipher=FakeCipher(),
                                    totp=FakeTotp(), clock=clock, policy=POLICY)

        assert not uow.users.users[user_id].totp_confirmed

    def test_enrolled_user_cannot_enrol_again_without_a_reset(self, uow: FakeUnitOfWork) -> None:
        user_id = enrolled_user(uow)

        with pytest.raises(ChallengeExpired):
            login.start_enrolment(user_id, uow=uow, cipher=FakeCipher(), totp=FakeTotp())
