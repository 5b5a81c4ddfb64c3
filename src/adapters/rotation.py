"""`houtai rotate-keys`: new key first (the old ones still decrypt), re-encrypt everything, then retire.

With the key file (var/keys.json) it writes the file itself; with HOUTAI_ENCRYPTION_KEYS it prints the
new value for the operator to deploy, because the environment is not ours to change.
"""

from pathlib import Path

from sqlalchemy import Engine

from adapters.crypto.fields import field_crypto
from adapters.keys import KeyRing, load_key_ring, with_new_key, without_old_keys, write_key_file
from adapters.sqlalchemy.rekey import key_usage, record, reencrypt
from domain.shared.ports import Clock


class RotationRefused(Exception):
    """Retiring would orphan ciphertexts: some still use an old key."""


def rotate_keys(engine: Engine, var_dir: Path, clock: Clock) -> list[str]:
    """Add a key and re-encrypt under it; a run that finds values under old keys finishes that job instead."""
    ring, lines = load_key_ring(var_dir), []
    if not _old_keys_in_use(engine, ring):
        if ring.from_environment:
            return _environment_change(with_new_key(ring), "then run 'houtai rotate-keys' again to re-encrypt.")
        ring = with_new_key(ring)
        write_key_file(var_dir, ring)
        lines.append(f"Added key {ring.current} to {var_dir / 'keys.json'}; new values are encrypted with it.")
    count = reencrypt(engine, field_crypto(ring).cipher, ring.current)
    record(engine, "keys.rotated", clock.now(), {"current": ring.current, "keys": sorted(ring.keys)})
    return [*lines, f"Re-encrypted {count} values under {ring.current}.",
            "Restart the app so every process has the new key, then run 'houtai rotate-keys --retire'."]


def retire_old_keys(engine: Engine, var_dir: Path, clock: Clock) -> list[str]:
    """Remove every key but the current one, after checking that no ciphertext uses them any more."""
    ring = load_key_ring(var_dir)
    held = _old_keys_in_use(engine, ring)
    if held:
        usage = ", ".join(f"{kid}: {count}" for kid, count in held.items())
        raise RotationRefused(f"Refused: old keys still encrypt values ({usage}). Run 'houtai rotate-keys' first.")
    old = sorted(set(ring.keys) - {ring.current})
    if not old:
        return [f"Only {ring.current} is left; nothing to retire."]
    if ring.from_environment:
        return _environment_change(without_old_keys(ring), "and the old keys are gone.")
    write_key_file(var_dir, without_old_keys(ring))
    record(engine, "keys.retired", clock.now(), {"retired": old, "current": ring.current})
    return [f"Retired {', '.join(old)}; {ring.current} is the only key left."]


def _old_keys_in_use(engine: Engine, ring: KeyRing) -> dict[str, int]:
    usage = key_usage(engine, sorted(set(ring.keys) - {ring.current}))
    return {kid: count for kid, count in usage.items() if count}


def _environment_change(ring: KeyRing, then: str) -> list[str]:
    return ["The keys come from HOUTAI_ENCRYPTION_KEYS, so nothing was written. Set it to this value wherever the "
            f"app runs and restart, {then}", ring.document(compact=True)]
