"""The audit hash chain: each record carries the SHA-256 of its canonical JSON, which includes the
previous record's hash, so editing, deleting or inserting a record breaks every hash after it."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # prev_hash of the first record


def canonical(record: dict[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same record always gives the same bytes."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def chained_fields(
    seq: int, prev_hash: str, occurred_at: datetime, actor_id: int | None, ip: str | None, action: str,
    entity_type: str | None, entity_id: str | None, before: dict[str, Any] | None, after: dict[str, Any] | None,
) -> dict[str, Any]:
    """Everything an audit record says, as the chain hashes it (UTC time to the microsecond)."""
    moment = occurred_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return {"seq": seq, "prev_hash": prev_hash, "occurred_at": moment, "actor_id": actor_id, "ip": ip,
            "action": action, "entity_type": entity_type, "entity_id": entity_id, "before": before, "after": after}


def record_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()
