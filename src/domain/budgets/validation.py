"""Field rules of the budget form; errors are message codes keyed by field."""

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.budgets.models import BudgetPolicy
from domain.shared.errors import ValidationFailed
from domain.shared.fields import check_length, parse_date
from domain.shared.money import InvalidAmount, parse_amount

CODE_MAX, NAME_MAX = 40, 100
Errors = dict[str, str]


@dataclass(frozen=True)
class BudgetInput:
    """The budget form as typed."""

    department_id: str = ""
    code: str = ""
    name: str = ""
    period_start: str = ""
    period_end: str = ""
    amount: str = ""
    policy: str = ""
    active: bool = True


@dataclass(frozen=True)
class BudgetFields:
    department_id: int
    code: str
    name: str
    period_start: date
    period_end: date
    amount: Decimal
    policy: BudgetPolicy
    active: bool


def budget_fields(data: BudgetInput) -> BudgetFields:
    """Validated, normalised fields (the code in upper case, so IT-2026 and it-2026 are one code);
    raises ValidationFailed naming every bad field."""
    errors: Errors = {}
    department_id = int(data.department_id) if data.department_id.isdigit() and len(data.department_id) < 12 else 0
    if not department_id:
        errors["department_id"] = "required" if not data.department_id.strip() else "choice.invalid"
    code = unicodedata.normalize("NFKC", data.code).strip().upper()
    name = " ".join(data.name.split())
    check_length(code, "code", CODE_MAX, errors, required=True)
    check_length(name, "name", NAME_MAX, errors, required=True)
    start = parse_date(data.period_start, "period_start", errors, required=True)
    end = parse_date(data.period_end, "period_end", errors, required=True)
    if start and end and end < start:
        errors["period_end"] = "budget.period_order"
    amount = _amount(data.amount, errors)
    policy = data.policy if data.policy in BudgetPolicy.__members__.values() else None
    if policy is None:
        errors["policy"] = "choice.invalid"
    if errors or start is None or end is None or policy is None:
        raise ValidationFailed(errors)
    return BudgetFields(department_id, code, name, start, end, amount, BudgetPolicy(policy), data.active)


def _amount(raw: str, errors: Errors) -> Decimal:
    if not raw.strip():
        errors["amount"] = "required"
        return Decimal("0.00")
    try:
        return parse_amount(raw)
    except InvalidAmount as refused:
        errors["amount"] = refused.code
        return Decimal("0.00")
