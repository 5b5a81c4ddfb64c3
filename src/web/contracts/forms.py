"""Form values, list query and labels of the contract pages (validation itself lives in the domain)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l, lazy_pgettext

from domain.contracts.models import (
    CURRENCIES,
    TERM_FIELDS,
    Contract,
    ContractKind,
    ContractListQuery,
    ContractStatus,
)
from domain.contracts.validation import party_kind
from domain.shared.money import chinese_capitals
from domain.shared.numbering import NumberPattern
from web import numbering
from web.i18n import per_language

FIELDS = (*TERM_FIELDS, "owner_id", "reason", "kind")
STATUSES = {"draft": _l("Draft"), "pending_approval": _l("Pending approval"), "rejected": _l("Rejected"),
            "active": lazy_pgettext("contract status", "Active"), "expired": _l("Expired"),
            "terminated": _l("Terminated"), "renewed": _l("Renewed")}
FIELD_NAMES = {"number": _l("Contract number"), "title": _l("Title"), "customer_id": lazy_pgettext("party", "Customer"),
               "amount": _l("Amount"), "currency": _l("Currency"), "signed_on": _l("Signed on"),
               "start_on": _l("Starts on"), "end_on": _l("Ends on"), "owner_id": _l("Owner"),
               "payment_terms": _l("Payment terms"), "notes": _l("Notes"), "reason": _l("Reason"),
               "supplier_id": lazy_pgettext("party", "Supplier"), "kind": _l("Kind"), "party": _l("Party")}
KINDS = {"sales": _l("Sales contract"), "purchase": _l("Purchase contract")}
KIND_BADGES = {"sales": lazy_pgettext("contract kind", "Sales"), "purchase": lazy_pgettext("contract kind", "Purchase")}
# How the supplier picker marks suppliers that are not (or no longer) qualified.
SUPPLIER_STATES = {"pending": _l("Pending qualification"), "suspended": _l("Suspended"),
                   "blacklisted": _l("Blacklisted")}


def number_pattern() -> NumberPattern:
    """The configured contract number pattern (validated when the app starts)."""
    return numbering.number_pattern("contract")


def contract_query(args: Mapping[str, str]) -> ContractListQuery:
    """A ContractListQuery from request args; unknown or malformed values fall back to defaults."""
    status, kind = args.get("status", ""), args.get("kind", "")
    return ContractListQuery(
        text=args.get("q", "").strip()[:100],
        status=ContractStatus(status) if status in ContractStatus.__members__.values() else None,
        owner_id=_id(args.get("owner", "")), customer_id=_id(args.get("customer", "")),
        kind=ContractKind(kind) if kind in ContractKind.__members__.values() else None,
        supplier_id=_id(args.get("supplier", "")),
        after=args.get("after") or None, before=args.get("before") or None)


def values_of(contract: Contract) -> dict[str, str]:
    """The contract's stored values as form strings (and its kind)."""
    return _stored(contract) | {"kind": contract.kind.value}


def form_values(raw: Mapping[str, str], kind: ContractKind | None = None) -> dict[str, str]:
    """Only the known fields of a submitted form, so nothing else is echoed back; an existing contract keeps its
    kind whatever the form says."""
    return {k: str(raw.get(k, "")) for k in FIELDS} | {"kind": (kind or party_kind(raw)).value}


def conflicting(raw: Mapping[str, str], current: Contract) -> dict[str, str]:
    """Fields whose saved value differs from what the form asks for."""
    return {k: v for k, v in _stored(current).items() if str(raw.get(k, "")).strip() != v}


@per_language
def labels() -> dict[str, Any]:
    """Translated labels for the contract templates."""
    return {"status_names": {k: str(v) for k, v in STATUSES.items()},
            "contract_fields": {k: str(v) for k, v in FIELD_NAMES.items()},
            "kind_names": {k: str(v) for k, v in KINDS.items()},
            "kind_badges": {k: str(v) for k, v in KIND_BADGES.items()},
            "supplier_states": {k: str(v) for k, v in SUPPLIER_STATES.items()},
            "currencies": [(code, code) for code in CURRENCIES]}


def money(value: object) -> str:
    """1234567.8 → 1,234,567.80 (amounts are stored as Decimal, or as strings in amendment diffs)."""
    return f"{Decimal(str(value)):,.2f}" if value not in (None, "") else "—"


def capitals(value: object) -> str:
    return chinese_capitals(Decimal(str(value))) if value not in (None, "") else ""


def _stored(contract: Contract) -> dict[str, str]:
    values = {name: getattr(contract, name) for name in (*TERM_FIELDS, "owner_id")}
    return {k: "" if v is None else (f"{v:.2f}" if isinstance(v, Decimal) else str(v)) for k, v in values.items()}


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
