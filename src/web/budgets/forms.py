"""Budget form values, list filters and labels (validation itself lives in the domain)."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _, lazy_gettext as _l, lazy_pgettext
from werkzeug.datastructures import MultiDict

from domain.budgets.errors import BudgetExceeded
from domain.budgets.models import Budget, BudgetListQuery
from domain.budgets.validation import BudgetInput
from web.contracts.forms import money
from web.i18n import ERRORS, per_language

FIELDS = ("department_id", "code", "name", "period_start", "period_end", "amount", "policy", "active")
POLICIES = {"stop": _l("Stop: refuse commitments beyond the amount"),
            "warn": _l("Warn: allow them, with a warning")}
POLICY_NAMES = {"stop": _l("Stop"), "warn": _l("Warn")}
FIELD_NAMES = {"department_id": _l("Department"), "code": lazy_pgettext("budget", "Code"), "name": _l("Name"),
               "period_start": _l("Period from"), "period_end": _l("Period to"),
               "amount": _l("Amount (tax included)"), "policy": _l("When exceeded"), "active": _l("Active"),
               "committed": _l("Committed"), "remaining": _l("Remaining")}
REASONS = {"approved": _l("Approved"), "closed": _l("Requisition closed"), "ordered": _l("Taken over by an order"),
           "cancelled": _l("Order cancelled")}


def budget_input(form: MultiDict[str, str]) -> BudgetInput:
    """The form as typed; an unticked checkbox sends nothing, so `active` is its presence."""
    department_id, code, name, start, end, amount, policy = (form.get(name, "") for name in FIELDS[:-1])
    return BudgetInput(department_id, code, name, start, end, amount, policy, active=form.get("active") == "1")


def form_values(form: Mapping[str, str]) -> dict[str, str]:
    """Only the known fields of a submitted form, so nothing else is echoed back."""
    return {name: str(form.get(name, "")) for name in FIELDS}


def values_of(budget: Budget) -> dict[str, str]:
    return {"department_id": str(budget.department_id), "code": budget.code, "name": budget.name,
            "period_start": budget.period_start.isoformat(), "period_end": budget.period_end.isoformat(),
            "amount": f"{budget.amount:.2f}", "policy": budget.policy.value, "active": "1" if budget.active else ""}


def budget_query(args: Mapping[str, str], this_year: int) -> BudgetListQuery:
    """Department and year filters from the URL; the year defaults to this one ("all" shows every period)."""
    department, year = args.get("department", ""), args.get("year", "")
    return BudgetListQuery(
        department_id=int(department) if department.isdigit() and len(department) < 12 else None,
        year=None if year == "all" else int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else this_year)


def budget_refusal(error: BudgetExceeded) -> str:
    """Over a stop budget: the figures, then what to do."""
    figures = _("Budget “%(name)s” has %(remaining)s left; this asks %(amount)s.", name=error.budget_name,
                remaining=money(error.remaining), amount=money(error.amount))
    return f"{figures} {ERRORS['budget.exceeded']}"


@per_language
def labels() -> dict[str, Any]:
    return {"budget_fields": {k: str(v) for k, v in FIELD_NAMES.items()},
            "policy_choices": [(k, str(v)) for k, v in POLICIES.items()],
            "policy_names": {k: str(v) for k, v in POLICY_NAMES.items()},
            "ledger_reasons": {k: str(v) for k, v in REASONS.items()}}
