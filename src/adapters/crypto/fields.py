"""Encryption and blind index of sensitive columns, bundled for the SQL repositories."""

from dataclasses import dataclass
from typing import NoReturn

from adapters.crypto.blind_index import HmacBlindIndex
from adapters.crypto.cipher import AesGcmCipher
from adapters.keys import KeyRing
from domain.identity.ports import SecretCipher
from domain.shared.ports import BlindIndex
from domain.shared.sensitive import SensitiveKind, normalise


@dataclass(frozen=True)
class FieldCrypto:
    cipher: SecretCipher
    index: BlindIndex

    def seal(self, value: str | None) -> bytes | None:
        return self.cipher.encrypt(value.encode()) if value else None

    def open(self, token: bytes | None) -> str | None:
        return self.cipher.decrypt(bytes(token)).decode() if token else None

    def index_of(self, kind: SensitiveKind, value: str | None) -> str | None:
        """The blind index of `value` (None for no value), over its normalised form."""
        return self.index.digest(kind.value, normalise(kind, value)) if value else None


def field_crypto(ring: KeyRing) -> FieldCrypto:
    """AES-256-GCM with the ring's current key, HMAC-SHA256 with its index key."""
    return FieldCrypto(AesGcmCipher(ring.keys, ring.current), HmacBlindIndex(ring.index_key))


class _Unconfigured:
    """Stands in until keys are passed, and fails loudly instead of sealing data under a made-up key."""

    def encrypt(self, plaintext: bytes) -> NoReturn:
        self._refuse()

    def decrypt(self, token: bytes) -> NoReturn:
        self._refuse()

    def digest(self, kind: str, normalised: str) -> NoReturn:
        self._refuse()

    @staticmethod
    def _refuse() -> NoReturn:
        raise RuntimeError("this unit of work has no field keys: build it with crypto=field_crypto(load_key_ring(…)) "
                           "as bootstrap does")


UNCONFIGURED = FieldCrypto(_Unconfigured(), _Unconfigured())
