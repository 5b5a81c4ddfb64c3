"""Suppliers: list with active search and filters, register, edit with optimistic locking, detail, reveal."""

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts.reminders import local_today
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from domain.suppliers import services
from domain.suppliers.errors import CreditCodeTaken, PossibleDuplicates
from domain.suppliers.lifecycle import available
from domain.suppliers.scorecard import default_period
from web.contracts.attachments import ACCEPT, LIMIT
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.suppliers import forms
from web.suppliers.forms import confirmed, conflicting, form_values, masks_of, values_of
from web.suppliers.list_page import supplier_context
from web.uploads import upload_megabytes

bp = Blueprint("suppliers", __name__, url_prefix="/suppliers")
RESULTS = {"supplier-results": "suppliers/_results.html"}
FORM = {"supplier-form": "suppliers/_form.html"}
BANK_ACCOUNT = {"sensitive-bank_account": "suppliers/_bank_account.html"}


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return dict(forms.labels())


@bp.get("")
def index() -> HttpResponse:
    return render("suppliers/index.html", RESULTS, **supplier_context(request.args, hx_target() is None))


@bp.get("/duplicates")
def duplicates() -> HttpResponse:
    """Likely duplicates of what is being typed into the supplier form (debounced htmx check)."""
    exclude = request.args.get("exclude", "")
    found = services.find_duplicates(request.args, int(exclude) if exclude.isdigit() and len(exclude) < 12 else None,
                                     actor=current_actor(), uow=deps().reader())
    return render("suppliers/duplicates.html", {"duplicate-warning": "suppliers/_duplicates.html"}, duplicates=found)


@bp.get("/new")
def new() -> HttpResponse:
    require(current_actor(), Permission.SUPPLIER_CREATE)
    return _form_page("suppliers/new.html", 200, values={}, form_token=secrets.token_urlsafe(24))


@bp.post("")
def create() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    try:
        supplier = services.register_supplier(request.form, token, confirmed=confirmed(request.form), actor=actor,
                                              uow=d.uow(), clock=d.clock)
    except (ValidationFailed, PossibleDuplicates) as refused:
        return _refused("suppliers/new.html", refused, form_token=token)
    except Conflict:  # a concurrent request won a uniqueness race: the same form, or the same credit code
        twin = services.supplier_by_form_token(token, actor=actor, uow=d.reader())
        if twin is None:
            return _refused("suppliers/new.html", _taken(), form_token=token)
        supplier = twin
    flash(_("Supplier “%(name)s” registered. It waits for qualification before it can receive orders.",
            name=supplier.name), "success")
    return see_other(url_for(".detail", supplier_id=supplier.id))


@bp.get("/<int:supplier_id>")
def detail(supplier_id: int) -> HttpResponse:
    return detail_page(supplier_id)


def detail_page(supplier_id: int, fragments: Mapping[str, str] | None = None, status: int = 200,
                **extra: object) -> HttpResponse:
    """The supplier page (or one of its fragments) with every section's defaults, overridable by `extra`."""
    d, actor = deps(), current_actor()
    found = services.get_supplier(supplier_id, actor=actor, uow=d.reader())
    today = local_today(d.clock)
    context: dict[str, object] = {
        "detail": found, "supplier": found.supplier, "today": today, "revealed": {},
        "actions": available(found.supplier.status), "contact_errors": {}, "contact_values": {},
        "contact_revealed": {}, "editing": None, "document_errors": {}, "document_values": {},
        "scorecard_errors": {}, "accept": ACCEPT, "limit_mb": upload_megabytes(*LIMIT)}
    if "scorecard" not in extra:
        period = default_period(today)
        context |= {"scorecard": services.supplier_scorecard(supplier_id, period, actor=actor, uow=d.reader()),
                    "scorecard_values": {"from": period.start.isoformat(), "to": period.end.isoformat()}}
    return render("suppliers/detail.html", fragments, status, **(context | extra))


@bp.post("/<int:supplier_id>/reveal/<field>")
def reveal(supplier_id: int, field: str) -> HttpResponse:
    d = deps()
    value = services.reveal_supplier_field(supplier_id, field, actor=current_actor(), uow=d.uow(), clock=d.clock)
    return detail_page(supplier_id, BANK_ACCOUNT, revealed={field: value}, field=field)


@bp.get("/<int:supplier_id>/edit")
def edit(supplier_id: int) -> HttpResponse:
    require(current_actor(), Permission.SUPPLIER_UPDATE)
    supplier = services.get_supplier(supplier_id, actor=current_actor(), uow=deps().reader()).supplier
    return _form_page("suppliers/edit.html", 200, values=values_of(supplier), supplier=supplier,
                      version=supplier.version, masks=masks_of(supplier))


@bp.post("/<int:supplier_id>")
def update(supplier_id: int) -> HttpResponse:
    d, actor, version = deps(), current_actor(), version_of(request.form)
    try:
        services.update_supplier(supplier_id, request.form, version, confirmed=confirmed(request.form), actor=actor,
                                 uow=d.uow(), clock=d.clock)
    except (ValidationFailed, PossibleDuplicates, Conflict) as refused:
        current = services.get_supplier(supplier_id, actor=actor, uow=d.reader()).supplier
        return _refused("suppliers/edit.html", _taken() if isinstance(refused, Conflict) else refused,
                        supplier=current, version=version, masks=masks_of(current))
    except StaleVersion:
        current = services.get_supplier(supplier_id, actor=actor, uow=d.reader()).supplier
        return _form_page("suppliers/edit.html", 409, values=request.form, supplier=current, version=current.version,
                          conflict=conflicting(request.form, current), masks=masks_of(current))
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", supplier_id=supplier_id))


def _refused(template: str, refused: Exception, **context: Any) -> HttpResponse:
    """The form again (422) with what was typed: field errors, a link to the credit code's holder, or the
    suppliers with the same name and a box to confirm that this one is different."""
    if isinstance(refused, PossibleDuplicates):
        return _form_page(template, 422, values=request.form, duplicates=refused.candidates, confirm=True,
                          **context)
    assert isinstance(refused, ValidationFailed)
    holder = refused.holder_id if isinstance(refused, CreditCodeTaken) else None
    return _form_page(template, 422, values=request.form, errors=refused.errors, taken_by=holder, **context)


def _taken() -> ValidationFailed:
    """A credit code registered concurrently: name its holder if it can be found again."""
    found = [c for c in services.find_duplicates(request.form, None, actor=current_actor(), uow=deps().reader())
             if "credit_code" in c.reasons]
    return CreditCodeTaken(found[0].id) if found else ValidationFailed({"credit_code": "supplier.credit_code_taken"})


def _form_page(template: str, status: int, *, values: Mapping[str, str], errors: dict[str, str] | None = None,
               **context: object) -> HttpResponse:
    context.setdefault("duplicates", [])
    return render(template, FORM, status, values=form_values(values), errors=error_messages(errors or {}),
                  **context)
