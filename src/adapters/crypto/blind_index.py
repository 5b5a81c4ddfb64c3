"""HMAC-SHA256 blind index: equal values give equal digests, and without the key nothing can be guessed."""

import hashlib
import hmac


class HmacBlindIndex:
    """Keyed with its own 32-byte key, never one of the encryption keys (it is not rotated with them)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the blind index key must be at least 32 bytes")
        self._key = key

    def digest(self, kind: str, normalised: str) -> str:
        message = kind.encode() + b"\x00" + normalised.encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
