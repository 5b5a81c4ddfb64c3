"""Budgets: the list by department and year, a budget with its remaining amount and ledger, create and edit."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.records import business_day
from domain.budgets import services
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from web.budgets import forms
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("budgets", __name__, url_prefix="/budgets")
RESULTS = {"budget-results": "budgets/_results.html"}
FORM = {"budget-form": "budgets/_form.html"}


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return forms.labels()


@bp.get("")
def index() -> HttpResponse:
    d = deps()
    this_year = business_day(d.clock.now()).year
    query = forms.budget_query(request.args, this_year)
    found = services.list_budgets(query, actor=current_actor(), uow=d.reader())
    years = list(range(this_year + 1, this_year - 5, -1))
    return render("budgets/index.html", RESULTS, found=found, query=query, years=years,
                  names=dict(found.departments), base=url_for(".index"))


@bp.get("/new")
def new() -> HttpResponse:
    year = business_day(deps().clock.now()).year
    return _form_page("budgets/new.html", 200, {"period_start": f"{year}-01-01", "period_end": f"{year}-12-31",
                                                "policy": "stop", "active": "1",
                                                "department_id": request.args.get("department", "")})


@bp.post("")
def create() -> HttpResponse:
    d = deps()
    try:
        budget = services.create_budget(forms.budget_input(request.form), actor=current_actor(), uow=d.uow(),
                                        clock=d.clock)
    except ValidationFailed as error:
        return _form_page("budgets/new.html", 422, forms.form_values(request.form), error.errors)
    except Conflict:  # the same code saved at the same moment by someone else
        return _form_page("budgets/new.html", 422, forms.form_values(request.form), {"code": "budget.code_taken"})
    flash(_("Budget %(code)s created.", code=budget.code), "success")
    return see_other(url_for(".detail", budget_id=budget.id))


@bp.get("/<int:budget_id>")
def detail(budget_id: int) -> HttpResponse:
    found = services.get_budget(budget_id, actor=current_actor(), uow=deps().reader())
    return render("budgets/detail.html", None, detail=found, budget=found.budget)


@bp.get("/<int:budget_id>/edit")
def edit(budget_id: int) -> HttpResponse:
    found = _editable(budget_id)
    return _form_page("budgets/edit.html", 200, forms.values_of(found.budget), detail=found,
                      version=found.budget.version)


@bp.post("/<int:budget_id>")
def update(budget_id: int) -> HttpResponse:
    d, version = deps(), version_of(request.form)
    try:
        services.update_budget(budget_id, forms.budget_input(request.form), version, actor=current_actor(),
                               uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_page("budgets/edit.html", 422, forms.form_values(request.form), error.errors,
                          detail=_editable(budget_id), version=version)
    except Conflict:
        return _form_page("budgets/edit.html", 422, forms.form_values(request.form), {"code": "budget.code_taken"},
                          detail=_editable(budget_id), version=version)
    except StaleVersion:
        found = _editable(budget_id)
        return _form_page("budgets/edit.html", 409, forms.form_values(request.form), detail=found,
                          version=found.budget.version, saved=forms.values_of(found.budget))
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", budget_id=budget_id))


def _editable(budget_id: int) -> services.BudgetDetail:
    """The budget for its edit form: the manage permission first, then the budget itself."""
    services.budget_departments(actor=current_actor(), uow=deps().reader())
    return services.get_budget(budget_id, actor=current_actor(), uow=deps().reader())


def _form_page(template: str, status: int, values: dict[str, str], errors: dict[str, str] | None = None,
               **context: object) -> HttpResponse:
    departments = services.budget_departments(actor=current_actor(), uow=deps().reader())
    return render(template, FORM, status, values=values, errors=error_messages(errors or {}),
                  departments=departments, **context)
