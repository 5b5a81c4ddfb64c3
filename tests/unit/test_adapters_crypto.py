"""Crypto adapters need no database: they are tested here with the real libraries."""

import base64
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from cryptography.exceptions import InvalidTag

from adapters.crypto.cipher import AesGcmCipher
from adapters.crypto.passwords import Argon2PasswordHasher
from adapters.crypto.totp import PyOtpTotp
from adapters.keys import load_encryption_keys, load_key_ring, load_secret_key, with_new_key, write_key_file
from bootstrap import key_file_cipher

KEY_1, KEY_2 = os.urandom(32), os.urandom(32)


def test_aes_gcm_tokens_name_their_key_and_never_repeat() -> None:
    cipher = AesGcmCipher({"k1": KEY_1}, "k1")

    first, second = cipher.encrypt(b"JBSWY3DP"), cipher.encrypt(b"JBSWY3DP")

    assert first.startswith(b"k1:") and first != second and b"JBSWY3DP" not in first
    assert cipher.decrypt(first) == b"JBSWY3DP"


def test_rotation_reads_old_tokens_and_writes_with_the_new_key() -> None:
    old = AesGcmCipher({"k1": KEY_1}, "k1").encrypt(b"secret")
    rotated = AesGcmCipher({"k1": KEY_1, "k2": KEY_2}, "k2")

    assert rotated.decrypt(old) == b"secret"
    assert rotated.encrypt(b"secret").startswith(b"k2:")


def test_tampered_or_unknown_key_tokens_fail_loudly() -> None:
    cipher = AesGcmCipher({"k1": KEY_1}, "k1")
    token = bytearray(cipher.encrypt(b"secret"))
    token[-1] ^= 1

    with pytest.raises(InvalidTag):
        cipher.decrypt(bytes(token))
    with pytest.raises(KeyError, match="restore the key file"):
        AesGcmCipher({"k9": KEY_2}, "k9").decrypt(cipher.encrypt(b"secret"))


def test_argon2id_parameters_meet_asvs_and_hashes_are_salted() -> None:
    hasher = Argon2PasswordHasher()

    first, second = hasher.hash("a long enough password"), hasher.hash("a long enough password")

    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and first != second
    assert hasher.verify(first, "a long enough password") and not hasher.verify(first, "a long enough passwor")
    assert not hasher.verify("!not-a-hash", "anything")


def test_totp_accepts_one_step_either_side_and_reports_the_step() -> None:
    totp, now = PyOtpTotp(), datetime(2026, 11, 25, 9, 0, 10, tzinfo=UTC)
    secret = totp.new_secret()
    reference = pyotp.TOTP(secret)

    assert len(secret) == 32
    assert totp.matching_step(secret, reference.at(now), now) == reference.timecode(now)
    assert totp.matching_step(secret, reference.at(now - timedelta(seconds=30)), now) == reference.timecode(now) - 1
    assert totp.matching_step(secret, reference.at(now - timedelta(seconds=90)), now) is None


def test_key_files_are_generated_private_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("HOUTAI_ENCRYPTION_KEYS", raising=False)

    secret, (keys, current) = load_secret_key(tmp_path), load_encryption_keys(tmp_path)

    assert load_secret_key(tmp_path) == secret and len(secret) >= 50
    assert load_encryption_keys(tmp_path) == (keys, current) and len(keys[current]) == 32
    for name in ("secret_key", "keys.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_environment_keys_win_over_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = {"current": "prod2", "keys": {"prod2": base64.b64encode(KEY_2).decode()}}
    monkeypatch.setenv("HOUTAI_ENCRYPTION_KEYS", json.dumps(document))

    assert load_encryption_keys(tmp_path) == ({"prod2": KEY_2}, "prod2")
    assert not (tmp_path / "keys.json").exists()


def test_key_file_cipher_follows_a_rotation_without_a_restart(tmp_path: Path) -> None:
    running = key_file_cipher(tmp_path)  # what a worker built at start
    before = running.encrypt(b"13800138000")
    write_key_file(tmp_path, with_new_key(load_key_ring(tmp_path)))
    os.utime(tmp_path / "keys.json", ns=(1, 1))  # a different modification time, whatever the clock's grain
    rotated = key_file_cipher(tmp_path).encrypt(b"sealed by rotate-keys")

    after = running.encrypt(b"new value")

    assert before.startswith(b"k1:") and after.startswith(b"k2:")
    assert running.decrypt(rotated) == b"sealed by rotate-keys" and running.decrypt(before) == b"13800138000"
