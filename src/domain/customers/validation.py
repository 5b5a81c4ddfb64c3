"""Field rules for customers and follow-ups; errors are codes the web layer translates."""

import re
from collections.abc import Mapping
from datetime import date

from domain.customers.credit_code import checked_credit_code
from domain.customers.models import INDUSTRIES, REGIONS, CustomerFields, CustomerLevel, CustomerStage, FollowUpKind
from domain.shared.errors import ValidationFailed

NAME_MAX = 200
CONTENT_MAX = 4000
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,23}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def customer_fields(raw: Mapping[str, str]) -> CustomerFields:
    """Validate and normalise the form values; raises ValidationFailed naming every bad field."""
    errors: dict[str, str] = {}
    name = " ".join(raw.get("name", "").split())
    if not name:
        errors["name"] = "required"
    elif len(name) > NAME_MAX:
        errors["name"] = "too_long"
    code = checked_credit_code(raw.get("credit_code", ""), errors)
    industry = _choice(raw, "industry", INDUSTRIES, errors)
    region = _choice(raw, "region", REGIONS, errors)
    stage = _choice(raw, "stage", tuple(CustomerStage), errors)
    owner_id = _owner(raw.get("owner_id", ""), errors)
    phone = _optional(raw, "phone", _PHONE, errors)
    email = _optional(raw, "email", _EMAIL, errors)
    level = raw.get("level", "").strip()
    if level and level not in tuple(CustomerLevel):
        errors["level"] = "choice.invalid"
    if errors:
        raise ValidationFailed(errors)
    return CustomerFields(name, code, industry, region, CustomerStage(stage), owner_id, phone,
                          email.lower() if email else None, CustomerLevel(level) if level else None)


def follow_up_fields(raw: Mapping[str, str]) -> tuple[FollowUpKind, str, date | None]:
    """Kind, content and next action date of a follow-up; raises ValidationFailed."""
    errors: dict[str, str] = {}
    kind = _choice(raw, "kind", tuple(FollowUpKind), errors)
    content = raw.get("content", "").strip()
    if not content:
        errors["content"] = "required"
    elif len(content) > CONTENT_MAX:
        errors["content"] = "too_long"
    next_on = _date(raw.get("next_action_on", "").strip(), errors)
    if errors:
        raise ValidationFailed(errors)
    return FollowUpKind(kind), content, next_on


def _choice(raw: Mapping[str, str], field: str, allowed: tuple[str, ...], errors: dict[str, str]) -> str:
    value = raw.get(field, "").strip()
    if value not in allowed:
        errors[field] = "required" if not value else "choice.invalid"
    return value


def _owner(value: str, errors: dict[str, str]) -> int:
    if value.strip().isdigit() and len(value.strip()) < 12:
        return int(value)
    errors["owner_id"] = "required" if not value.strip() else "choice.invalid"
    return 0


def optional_contact(raw: Mapping[str, str], errors: dict[str, str]) -> tuple[str | None, str | None]:
    """Phone and e-mail as entered (both optional), checked like a customer's."""
    email = _optional(raw, "email", _EMAIL, errors)
    return _optional(raw, "phone", _PHONE, errors), email.lower() if email else None


def _optional(raw: Mapping[str, str], field: str, pattern: re.Pattern[str], errors: dict[str, str]) -> str | None:
    value = raw.get(field, "").strip()
    if value and (len(value) > 254 or not pattern.match(value)):
        errors[field] = f"{field}.invalid"
    return value or None


def _date(value: str, errors: dict[str, str]) -> date | None:
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors["next_action_on"] = "date.invalid"
        return None
    if not 2000 <= parsed.year <= 2100:
        errors["next_action_on"] = "date.invalid"
    return parsed
