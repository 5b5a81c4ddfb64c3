"""Field rules for contract forms; errors are codes the web layer translates."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from domain.contracts.models import CURRENCIES, ContractKind, ContractTerms
from domain.shared.dates import parse_day
from domain.shared.errors import ValidationFailed
from domain.shared.money import InvalidAmount, parse_amount

TITLE_MAX, TERMS_MAX, NOTES_MAX, REASON_MAX = 200, 2000, 4000, 1000
Errors = dict[str, str]


def contract_terms(raw: Mapping[str, str]) -> ContractTerms:
    """Validate and normalise the terms; raises ValidationFailed naming every bad field."""
    errors: Errors = {}
    terms = _terms(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    return terms


def draft_fields(raw: Mapping[str, str]) -> tuple[ContractTerms, int]:
    """The terms and the owner of a draft; raises ValidationFailed naming every bad field."""
    errors: Errors = {}
    terms = _terms(raw, errors)
    owner_id = _id(raw, "owner_id", errors)
    if errors:
        raise ValidationFailed(errors)
    return terms, owner_id


def amendment_fields(raw: Mapping[str, str]) -> tuple[ContractTerms, str]:
    """The amended terms and the reason for the amendment (required)."""
    errors: Errors = {}
    terms = _terms(raw, errors)
    reason = _text(raw, "reason", REASON_MAX, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    return terms, reason


def renewal_dates(raw: Mapping[str, str]) -> tuple[date, date]:
    """Start and end of the successor contract: both required, end not before start."""
    errors: Errors = {}
    start_on, end_on = _date(raw, "start_on", errors), _date(raw, "end_on", errors)
    for name, value in (("start_on", start_on), ("end_on", end_on)):
        if value is None and name not in errors:
            errors[name] = "required"
    _check_period(start_on, end_on, errors)
    if errors or start_on is None or end_on is None:
        raise ValidationFailed(errors)
    return start_on, end_on


def termination_reason(raw: Mapping[str, str]) -> str:
    errors: Errors = {}
    reason = _text(raw, "reason", REASON_MAX, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    return reason


def _terms(raw: Mapping[str, str], errors: Errors) -> ContractTerms:
    title = " ".join(raw.get("title", "").split())
    _length(title, "title", TITLE_MAX, errors, required=True)
    kind = party_kind(raw)
    party_id = _id(raw, kind.party_field, errors)
    amount = _amount(raw.get("amount", ""), errors)
    currency = raw.get("currency", "").strip().upper() or "CNY"
    if currency not in CURRENCIES:
        errors["currency"] = "choice.invalid"
    signed_on, start_on, end_on = (_date(raw, name, errors) for name in ("signed_on", "start_on", "end_on"))
    _check_period(start_on, end_on, errors)
    payment_terms = _text(raw, "payment_terms", TERMS_MAX, errors)
    notes = _text(raw, "notes", NOTES_MAX, errors)
    customer_id, supplier_id = (None, party_id) if kind is ContractKind.PURCHASE else (party_id, None)
    return ContractTerms(title, customer_id, amount, currency, signed_on, start_on, end_on, payment_terms, notes,
                         supplier_id)


def party_kind(raw: Mapping[str, str]) -> ContractKind:
    """The kind a form names (`kind`); without it, a form that names only a supplier is a purchase contract."""
    named = raw.get("kind", "").strip()
    if named in ContractKind.__members__.values():
        return ContractKind(named)
    supplier_only = raw.get("supplier_id", "").strip() and not raw.get("customer_id", "").strip()
    return ContractKind.PURCHASE if supplier_only else ContractKind.SALES


def _amount(value: str, errors: Errors) -> Decimal:
    if not value.strip():
        errors["amount"] = "required"
        return Decimal(0)
    try:
        return parse_amount(value)
    except InvalidAmount as refused:
        errors["amount"] = refused.code
        return Decimal(0)


def _text(raw: Mapping[str, str], field: str, limit: int, errors: Errors, required: bool = False) -> str:
    value = raw.get(field, "").strip()
    _length(value, field, limit, errors, required)
    return value


def _length(value: str, field: str, limit: int, errors: Errors, required: bool) -> None:
    if required and not value:
        errors[field] = "required"
    elif len(value) > limit:
        errors[field] = "too_long"


def _id(raw: Mapping[str, str], field: str, errors: Errors) -> int:
    value = raw.get(field, "").strip()
    if value.isdigit() and len(value) < 12:
        return int(value)
    errors[field] = "required" if not value else "choice.invalid"
    return 0


def _date(raw: Mapping[str, str], field: str, errors: Errors) -> date | None:
    return parse_day(raw.get(field, ""), field, errors)


def _check_period(start_on: date | None, end_on: date | None, errors: Errors) -> None:
    if start_on and end_on and end_on < start_on and "end_on" not in errors:
        errors["end_on"] = "contract.end_before_start"
