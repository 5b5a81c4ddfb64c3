"""Secrets that live outside the repository and the database: SECRET_KEY, the encryption keys, the index key.

Environment first (SECRET_KEY; HOUTAI_ENCRYPTION_KEYS as JSON {"current": id, "keys": {id: base64},
"index_key": base64}; HOUTAI_BLIND_INDEX_KEY overrides "index_key"), otherwise files in the var
directory, generated with mode 0600 on first start.
"""

import base64
import json
import os
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ENV_KEYS = "HOUTAI_ENCRYPTION_KEYS"
ENV_INDEX_KEY = "HOUTAI_BLIND_INDEX_KEY"


@dataclass(frozen=True)
class KeyRing:
    """The encryption keys by id, the id new ciphertexts use, and the blind index key."""

    keys: dict[str, bytes]
    current: str
    index_key: bytes
    from_environment: bool = False

    def document(self, compact: bool = False) -> str:
        """The JSON form of HOUTAI_ENCRYPTION_KEYS and var/keys.json."""
        keys = {kid: _b64(key) for kid, key in self.keys.items()}
        document = {"current": self.current, "keys": keys, "index_key": _b64(self.index_key)}
        return json.dumps(document) if compact else json.dumps(document, indent=2)


def load_secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment or var/secret_key (created when missing)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = var_dir / "secret_key"
    if not path.exists():
        _write_private(path, secrets.token_urlsafe(64))
    return path.read_text().strip()


def load_encryption_keys(var_dir: Path) -> tuple[dict[str, bytes], str]:
    """({key id: 32-byte key}, current key id) from the environment or var/keys.json (created when missing)."""
    raw = os.environ.get(ENV_KEYS)
    if not raw:
        ring = load_key_ring(var_dir)
        return ring.keys, ring.current
    document = json.loads(raw)
    return _keys_of(document), str(document["current"])


def load_key_ring(var_dir: Path) -> KeyRing:
    """The key ring from the environment or var/keys.json; a file without an index key gets one added."""
    raw = os.environ.get(ENV_KEYS)
    if raw:
        return _ring(json.loads(raw), from_environment=True)
    path = var_dir / "keys.json"
    if not path.exists():
        ring = KeyRing({"k1": secrets.token_bytes(32)}, "k1", secrets.token_bytes(32))
        _write_private(path, ring.document())
        return ring
    document = json.loads(path.read_text())
    if "index_key" not in document and not os.environ.get(ENV_INDEX_KEY):
        document["index_key"] = _b64(secrets.token_bytes(32))
        write_key_file(var_dir, _ring(document))
    return _ring(document)


def with_new_key(ring: KeyRing) -> KeyRing:
    """The ring plus a fresh random 32-byte key (k2, k3, …) that becomes the current one."""
    numbers = [int(m.group(1)) for kid in ring.keys if (m := re.fullmatch(r"k(\d+)", kid))]
    new_id = f"k{max(numbers, default=0) + 1}"
    return replace(ring, keys=ring.keys | {new_id: secrets.token_bytes(32)}, current=new_id)


def without_old_keys(ring: KeyRing) -> KeyRing:
    """The ring with only its current key."""
    return replace(ring, keys={ring.current: ring.keys[ring.current]})


def write_key_file(var_dir: Path, ring: KeyRing) -> None:
    """Replace var/keys.json atomically (write a private temporary file, then rename over the old one)."""
    path = var_dir / "keys.json"
    temporary = path.with_name(f".keys.json.{secrets.token_hex(4)}")
    _write_private(temporary, ring.document())
    os.replace(temporary, path)


def _ring(document: dict[str, Any], from_environment: bool = False) -> KeyRing:
    index = os.environ.get(ENV_INDEX_KEY) or document.get("index_key")
    if not index:
        raise RuntimeError(f"{ENV_KEYS} has no \"index_key\": add 32 random bytes in base64 there "
                           f"or in {ENV_INDEX_KEY}, and keep it as safe as the encryption keys")
    return KeyRing(_keys_of(document), str(document["current"]), base64.b64decode(str(index)), from_environment)


def _keys_of(document: dict[str, Any]) -> dict[str, bytes]:
    return {kid: base64.b64decode(value) for kid, value in document["keys"].items()}


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content + "\n")
        handle.flush()
        os.fsync(handle.fileno())
