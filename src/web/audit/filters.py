"""The audit screen's filters: parsed from the query string (or the export form) in one place."""

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime

from domain.audit.models import AuditQuery
from web.listing import query_string

AUDIT_KEYS = ("actor", "action", "entity", "entity_id", "from", "to")
# Offered in the action filter; any well-formed action still filters when typed into the URL.
ACTION_FAMILIES = ("access", "approval", "audit", "budget", "contract", "customer", "department", "followup",
                   "goods_receipt", "login", "logout", "mfa", "purchase_order", "reauth", "requisition", "role",
                   "session", "setup", "supplier", "supplier_invoice", "user")
KNOWN_ACTIONS = ("access.denied", "audit.exported", "customer.archived", "customer.created", "customer.updated",
                 "followup.created", "login.failed", "login.locked", "login.password_accepted", "login.succeeded",
                 "mfa.enrolled", "mfa.failed", "mfa.replay_refused", "mfa.verified", "reauth.succeeded",
                 "setup.link_issued", "user.created")
# Offered in the record type filter; any other well-formed type typed into the URL stays selected in the form.
ENTITY_TYPES = ("customer", "user", "department", "role", "session", "contract", "supplier", "budget", "requisition",
                "purchase_order", "goods_receipt", "supplier_invoice")
_ACTION = re.compile(r"[a-z_]+(\.[a-z_]+)*(\.\*)?")
_ENTITY = re.compile(r"[a-z_]{1,32}")


def audit_query(args: Mapping[str, str]) -> AuditQuery:
    """An AuditQuery from request args or form; malformed values are ignored rather than refused."""
    actor, action, entity = args.get("actor", ""), args.get("action", ""), args.get("entity", "")
    return AuditQuery(
        actor_id=int(actor) if actor.isdigit() and len(actor) < 12 else None,
        action=action if len(action) <= 64 and _ACTION.fullmatch(action) else None,
        entity_type=entity if _ENTITY.fullmatch(entity) else None,
        entity_id=args.get("entity_id", "").strip()[:64] or None,
        date_from=_day(args.get("from", "")), date_to=_day(args.get("to", "")),
        after=args.get("after") or None, before=args.get("before") or None,
    )


def audit_link(query: AuditQuery) -> Callable[..., str]:
    """`list_link` for the audit templates: the current filters plus cursor changes."""
    filters = query.filters()
    return lambda **changes: query_string(filters, AUDIT_KEYS, **changes)


def utc_iso(moment: datetime) -> str:
    """ISO 8601 in UTC with Z, to the second (SECURITY L5)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
