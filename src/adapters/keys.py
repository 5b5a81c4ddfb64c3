"""Secrets that live outside the repository and the database: SECRET_KEY and the encryption keys.

Environment first (SECRET_KEY, HOUTAI_ENCRYPTION_KEYS as JSON {"current": id, "keys": {id: base64}}),
otherwise files in the var directory, generated with mode 0600 on first start.
"""

import base64
import json
import os
import secrets
from pathlib import Path


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
    raw = os.environ.get("HOUTAI_ENCRYPTION_KEYS")
    path = var_dir / "keys.json"
    if not raw:
        if not path.exists():
            key = base64.b64encode(secrets.token_bytes(32)).decode()
            _write_private(path, json.dumps({"current": "k1", "keys": {"k1": key}}, indent=2))
        raw = path.read_text()
    document = json.loads(raw)
    return {kid: base64.b64decode(value) for kid, value in document["keys"].items()}, document["current"]


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content + "\n")
