"""AES-256-GCM for secrets at rest; every token names the key that sealed it, so keys can rotate."""

import os
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


class AesGcmCipher:
    """Token layout: key id, b":", 12-byte nonce, ciphertext with tag. Encrypts with the current key."""

    def __init__(self, keys: dict[str, bytes], current: str) -> None:
        if current not in keys or any(len(k) != 32 for k in keys.values()):
            raise ValueError("encryption keys must be 32 bytes and include the current key id")
        self._keys = {kid: AESGCM(key) for kid, key in keys.items()}
        self._current = current

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        kid = self._current.encode()
        return kid + b":" + nonce + self._keys[self._current].encrypt(nonce, plaintext, kid)

    def decrypt(self, token: bytes) -> bytes:
        kid, _, rest = token.partition(b":")
        key = self._keys.get(kid.decode(errors="replace"))
        if key is None:
            raise KeyError("no key for this ciphertext; restore the key file that was used to write it")
        return key.decrypt(rest[:_NONCE], rest[_NONCE:], kid)


class KeyFileCipher:
    """AES-256-GCM over var/keys.json that follows `houtai rotate-keys` without a restart.

    Before each use it compares the file's modification time with the one it loaded, and reloads the
    key ring when they differ: new values are sealed with the new current key at once, and values the
    rotation re-encrypted stay readable. Keys from the environment never change under a process.
    """

    def __init__(self, load: Callable[[], tuple[dict[str, bytes], str]], path: Path | None) -> None:
        self._load, self._path = load, path
        self._stamp = self._mtime()
        self._cipher = AesGcmCipher(*load())

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._current().encrypt(plaintext)

    def decrypt(self, token: bytes) -> bytes:
        return self._current().decrypt(token)

    def _current(self) -> AesGcmCipher:
        stamp = self._mtime()
        if stamp != self._stamp:
            self._cipher, self._stamp = AesGcmCipher(*self._load()), stamp
        return self._cipher

    def _mtime(self) -> int | None:
        try:
            return self._path.stat().st_mtime_ns if self._path else None
        except FileNotFoundError:
            return None
