"""Form values, list query and labels of the contract pages (validation itself lives in the domain)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l, lazy_pgettext

from domain.contracts.models import CURRENCIES, TERM_FIELDS, Contract, ContractListQuery, ContractStatus
from domain.shared.money import chinese_capitals
from domain.shared.numbering import NumberPattern
from web import numbering

FIELDS = (*TERM_FIELDS, "owner_id", "reason")
STATUSES = {"draft": _l("Draft"), "pending_approval": _l("Pending approval"), "rejected": _l("Rejected"),
            "active": lazy_pgettext("contract status", "Active"), "expired": _l("Expired"),
            "terminated": _l("Terminated"), "renewed": _l("Renewed")}
FIELD_NAMES = {"number": _l("Contract number"), "title": _l("Title"), "customer_id": lazy_pgettext("party", "Customer"),
               "amount": _l("Amount"), "currency": _l("Currency"), "signed_on": _l("Signed on"),
               "start_on": _l("Starts on"), "end_on": _l("Ends on"), "owner_id": _l("Owner"),
               "payment_terms": _l("Payment terms"), "notes": _l("Notes"), "reason": _l("Reason")}


def number_pattern() -> NumberPattern:
    """The configured contract number pattern (validated when the app starts)."""
    return numbering.number_pattern("contract")


def contract_query(args: Mapping[str, str]) -> ContractListQuery:
    """A ContractListQuery from request args; unknown or malformed values fall back to defaults."""
    status = args.get("status", "")
    return ContractListQuery(
        text=args.get("q", "").strip()[:100],
        status=ContractStatus(status) if status in ContractStatus.__members__.values() else None,
        owner_id=_id(args.get("owner", "")), customer_id=_id(args.get("customer", "")),
        after=args.get("after") or None, before=args.get("before") or None)


def values_of(contract: Contract) -> dict[str, str]:
    """The contract's stored values as form strings."""
    values = {name: getattr(contract, name) for name in (*TERM_FIELDS, "owner_id")}
    return {k: "" if v is None else (f"{v:.2f}" if isinstance(v, Decimal) else str(v)) for k, v in values.items()}


def form_values(raw: Mapping[str, str]) -> dict[str, str]:
    """Only the known fields of a submitted form, so nothing else is echoed back."""
    return {k: str(raw.get(k, "")) for k in FIELDS}


def conflicting(raw: Mapping[str, str], current: Contract) -> dict[str, str]:
    """Fields whose saved value differs from what the form asks for."""
    return {k: v for k, v in values_of(current).items() if str(raw.get(k, "")).strip() != v}


def labels() -> dict[str, Any]:
    """Translated labels for the contract templates."""
    return {"status_names": {k: str(v) for k, v in STATUSES.items()},
            "contract_fields": {k: str(v) for k, v in FIELD_NAMES.items()},
            "currencies": [(code, code) for code in CURRENCIES]}


def money(value: object) -> str:
    """1234567.8 → 1,234,567.80 (amounts are stored as Decimal, or as strings in amendment diffs)."""
    return f"{Decimal(str(value)):,.2f}" if value not in (None, "") else "—"


def capitals(value: object) -> str:
    return chinese_capitals(Decimal(str(value))) if value not in (None, "") else ""


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 12 else None
