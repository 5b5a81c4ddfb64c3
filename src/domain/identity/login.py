"""Signing in: first-administrator setup, password step, TOTP enrolment and second factor.

Lockout: 5 consecutive failed passwords or codes lock the account for 15 minutes; a pending
challenge accepts at most 5 wrong codes. TOTP accepts the current 30 s step and one step either
side (±1, RFC 6238 §5.2), and each step at most once per user.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from domain.audit.models import AuditEvent
from domain.identity.errors import ChallengeExpired, InvalidCode, InvalidCredentials, SetupUnavailable
from domain.identity.models import Enrolment, SessionPolicy, User
from domain.identity.passwords import check_password, check_username, normalise_username
from domain.identity.ports import PasswordHasher, PasswordStrength, SecretCipher, Totp
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SETUP_LINK_TTL = timedelta(hours=1)
RECOVERY_CODE_COUNT = 10
ISSUER = "Houtai"
_TOTP_CODE = re.compile(r"^\d{6}$")
_dummy_hash: dict[int, str] = {}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def issue_setup_token(*, uow: UnitOfWork, clock: Clock) -> str | None:
    """A one-time token for the first-administrator link, or None once any user exists."""
    now = clock.now()
    token = secrets.token_urlsafe(32)
    with uow:
        if uow.users.administrator_exists():
            return None
        uow.users.add_setup_token(_digest(token), now + SETUP_LINK_TTL)
        uow.audit.append(AuditEvent("setup.link_issued", now))
        uow.commit()
    return token


def create_first_administrator(
    token: str, username: str, display_name: str, password: str, *, ip: str | None,
    uow: UnitOfWork, clock: Clock, hasher: PasswordHasher, strength: PasswordStrength,
) -> User:
    """Create the first administrator from a live setup token; the token works once."""
    name = check_username(username)
    check_password(password, name, strength=strength, context=(display_name,))
    password_hash = hasher.hash(password)
    now = clock.now()
    with uow:
        if uow.users.administrator_exists() or not uow.users.consume_setup_token(_digest(token), now):
            raise SetupUnavailable()
        user = User(None, name, display_name.strip()[:100] or name, password_hash, frozenset({"administrator"}), now)
        user.id = uow.users.add(user)
        uow.audit.append(AuditEvent("user.created", now, user.id, ip, "user", str(user.id),
                                    after={"username": name, "roles": ["administrator"]}))
        uow.commit()
    return user


def sign_in_with_password(
    username: str, password: str, *, ip: str | None, uow: UnitOfWork, clock: Clock, hasher: PasswordHasher
) -> User:
    """The user whose password matches; raises InvalidCredentials for every kind of failure alike."""
    with uow:
        user = uow.users.get_by_username(normalise_username(username))
    now = clock.now()
    usable = user is not None and user.is_active and not user.is_locked(now)
    matches = hasher.verify(user.password_hash if user else _dummy(hasher), password)
    with uow:
        if user is None or not usable or not matches:
            _record_failure(user, "login.failed", {"username": username.strip()[:64]}, ip=ip, uow=uow, clock=clock)
            uow.commit()
            raise InvalidCredentials()
        if hasher.needs_rehash(user.password_hash):
            uow.users.rehash_password(user.id or 0, user.password_hash, hasher.hash(password))
        uow.audit.append(AuditEvent("login.password_accepted", now, user.id, ip, "user", str(user.id)))
        uow.commit()
    return user


def start_enrolment(user_id: int, *, uow: UnitOfWork, cipher: SecretCipher, totp: Totp) -> Enrolment:
    """The pending TOTP secret for a user who has not enrolled yet (the same one on every reload)."""
    with uow:
        user = _user_needing_enrolment(user_id, uow)
        if user.totp_secret is None:
            uow.users.set_pending_totp(user_id, cipher.encrypt(totp.new_secret().encode()))
            user = _user_needing_enrolment(user_id, uow)  # a parallel page load may have stored its own
            uow.commit()
    assert user.totp_secret is not None
    secret = cipher.decrypt(user.totp_secret).decode()
    return Enrolment(secret, totp.provisioning_uri(secret, user.username, ISSUER))


def confirm_enrolment(
    user_id: int, code: str, session_hash: str, *, ip: str | None, uow: UnitOfWork, cipher: SecretCipher,
    totp: Totp, clock: Clock, policy: SessionPolicy,
) -> list[str]:
    """Confirm TOTP with a valid code; returns the 10 recovery codes, shown once and stored hashed."""
    now = clock.now()
    with uow:
        user = _user_needing_enrolment(user_id, uow)
        if user.totp_secret is None or not _totp_accepted(user, code, uow=uow, cipher=cipher, totp=totp, clock=clock):
            _fail_code(user, session_hash, ip=ip, uow=uow, clock=clock, policy=policy)
        uow.users.confirm_totp(user_id)
        codes = new_recovery_codes(user, uow)
        uow.audit.append(AuditEvent("mfa.enrolled", now, user.id, ip, "user", str(user.id)))
        uow.commit()
    return codes


def verify_second_factor(
    user_id: int, code: str, session_hash: str, *, ip: str | None, uow: UnitOfWork, cipher: SecretCipher,
    totp: Totp, clock: Clock, policy: SessionPolicy,
) -> str:
    """Check a TOTP or recovery code; returns "totp" or "recovery". Each code is accepted once."""
    now = clock.now()
    with uow:
        user = uow.users.get(user_id)
        if user is None or not user.is_active or not user.totp_confirmed or user.is_locked(now):
            raise ChallengeExpired()
        method = _second_factor_method(user, code, uow=uow, cipher=cipher, totp=totp, clock=clock)
        if method is None:
            _fail_code(user, session_hash, ip=ip, uow=uow, clock=clock, policy=policy)
        uow.users.reset_login_failures(user_id)
        after: dict[str, object] = {"method": method}
        if method == "recovery":
            after["remaining_recovery_codes"] = uow.users.remaining_recovery_codes(user_id)
        uow.audit.append(AuditEvent("mfa.verified", now, user_id, ip, "user", str(user_id), after=after))
        uow.commit()
    return str(method)


def reauthenticate(
    user_id: int, password: str, code: str, session_hash: str, *, ip: str | None, uow: UnitOfWork,
    clock: Clock, hasher: PasswordHasher, cipher: SecretCipher, totp: Totp, policy: SessionPolicy,
) -> None:
    """Step-up: password and a TOTP or recovery code again, so sensitive actions are allowed for a while.

    Failures count towards the same lockout as sign-in; too many end the session (ChallengeExpired).
    """
    now = clock.now()
    with uow:
        user = uow.users.get(user_id)
    if user is None or not user.is_active or user.is_locked(now):
        raise ChallengeExpired()
    password_ok = hasher.verify(user.password_hash, password)
    with uow:
        method = _second_factor_method(user, code, uow=uow, cipher=cipher, totp=totp, clock=clock) \
            if password_ok else None
        if method is None:
            _fail_code(user, session_hash, ip=ip, uow=uow, clock=clock, policy=policy)
        uow.users.reset_login_failures(user_id)
        uow.sessions.mark_authenticated(session_hash, now)
        uow.audit.append(AuditEvent("reauth.succeeded", now, user_id, ip, "user", str(user_id),
                                    after={"method": method}))
        uow.commit()


def _second_factor_method(
    user: User, code: str, *, uow: UnitOfWork, cipher: SecretCipher, totp: Totp, clock: Clock
) -> str | None:
    code = code.strip().replace(" ", "")
    if _TOTP_CODE.match(code):
        return "totp" if _totp_accepted(user, code, uow=uow, cipher=cipher, totp=totp, clock=clock) else None
    assert user.id is not None
    used = uow.users.use_recovery_code(user.id, _digest(normalise_recovery_code(code)), clock.now())
    return "recovery" if used else None


def _totp_accepted(user: User, code: str, *, uow: UnitOfWork, cipher: SecretCipher, totp: Totp, clock: Clock) -> bool:
    assert user.id is not None and user.totp_secret is not None
    step = totp.matching_step(cipher.decrypt(user.totp_secret).decode(), code.strip(), clock.now())
    if step is None:
        return False
    if uow.users.advance_totp_step(user.id, step):
        return True
    uow.audit.append(AuditEvent("mfa.replay_refused", clock.now(), user.id, None, "user", str(user.id)))
    return False


def _fail_code(
    user: User, session_hash: str, *, ip: str | None, uow: UnitOfWork, clock: Clock, policy: SessionPolicy
) -> None:
    failures = uow.sessions.count_code_failure(session_hash)
    locked = _record_failure(user, "mfa.failed", None, ip=ip, uow=uow, clock=clock)
    uow.commit()
    if locked or failures >= policy.max_code_failures:
        raise ChallengeExpired()
    raise InvalidCode()


def _record_failure(
    user: User | None, action: str, after: dict[str, str] | None, *, ip: str | None, uow: UnitOfWork, clock: Clock
) -> bool:
    """Audit a failed password or code; count it against a known account. True when the account is locked."""
    now = clock.now()
    user_id = user.id if user else None
    uow.audit.append(AuditEvent(action, now, user_id, ip, "user", str(user_id) if user_id else None, after=after))
    if user is None or user_id is None:
        return False
    if user.is_locked(now):
        return True
    locked = uow.users.record_login_failure(user_id, now, MAX_FAILURES, LOCK_FOR)
    if locked:
        uow.audit.append(AuditEvent("login.locked", now, user_id, ip, "user", str(user_id)))
    return locked


def _user_needing_enrolment(user_id: int, uow: UnitOfWork) -> User:
    user = uow.users.get(user_id)
    if user is None or not user.is_active:
        raise NotFound()
    if user.totp_confirmed:
        raise ChallengeExpired()
    return user


def new_recovery_codes(user: User, uow: UnitOfWork) -> list[str]:
    """Replace the user's recovery codes with 10 new ones; returns them in clear, stores only digests."""
    assert user.id is not None
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    uow.users.replace_recovery_codes(user.id, [_digest(normalise_recovery_code(c)) for c in codes])
    return codes


def _recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed by hand
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _dummy(hasher: PasswordHasher) -> str:
    """A real hash to verify against for unknown users, so timing does not reveal existence."""
    if id(hasher) not in _dummy_hash:
        _dummy_hash[id(hasher)] = hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash[id(hasher)]
