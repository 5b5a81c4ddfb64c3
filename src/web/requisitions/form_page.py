"""The requisition form page: header, line table and totals, as typed or as stored, with errors or a conflict."""

from flask import request
from werkzeug.wrappers import Response as HttpResponse

from domain.requisitions import drafting, services
from domain.requisitions.services import FormContext
from domain.shared.errors import InvalidTransition, StaleVersion
from web.deps import deps
from web.guard import current_actor
from web.htmx import render
from web.i18n import ERRORS, error_messages
from web.requisitions import forms

FORM = {"requisition-form": "requisitions/_form.html"}


def form_page(template: str, status: int, context: FormContext, *, header: forms.Row | None = None,
              rows: list[forms.Row] | None = None, errors: dict[str, str] | None = None,
              requisition_id: int | None = None, **page: object) -> HttpResponse:
    """The form with what was typed (or `header`/`rows`), the totals computed from it, and translated errors."""
    values = forms.header_values(request.form) if header is None else header
    table = forms.blank_rows(forms.rows_of(request.form) if rows is None else rows)
    d = deps()
    preview = drafting.preview_requisition(forms.input_of(values, table), requisition_id, actor=current_actor(),
                                           uow=d.reader(), clock=d.clock)
    totals_url = f"/requisitions/{requisition_id}/totals" if requisition_id else "/requisitions/totals"
    return render(template, FORM, status, context=context, values=values, rows=table, preview=preview,
                  results=forms.row_results(preview, live=errors is None), errors=error_messages(errors or {}),
                  requisition_id=requisition_id, totals_url=totals_url, **page)


def stored_form(requisition_id: int, status: int) -> HttpResponse:
    """The edit form filled with the stored draft (raises InvalidTransition when it is not the actor's draft)."""
    d, actor = deps(), current_actor()
    context = services.form_context(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
    found = services.get_requisition(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
    header, rows = forms.stored_values(found.requisition)
    return form_page("requisitions/edit.html", status, context, header=header, rows=rows,
                     requisition_id=requisition_id, version=found.requisition.version,
                     number=found.requisition.number)


def conflict_page(requisition_id: int, error: StaleVersion | InvalidTransition) -> HttpResponse:
    """409: what was typed stays in the form, with the saved state named (or the refusal)."""
    d, actor = deps(), current_actor()
    found = services.get_requisition(requisition_id, actor=actor, uow=d.reader(), clock=d.clock)
    refusal = str(ERRORS[error.code]) if isinstance(error, InvalidTransition) else None
    context = services.form_context(requisition_id, actor=actor, uow=d.reader(), clock=d.clock, editing=False)
    return form_page("requisitions/edit.html", 409, context, requisition_id=requisition_id,
                     version=found.requisition.version, number=found.requisition.number, conflict=True,
                     refusal=refusal, saved=found.requisition)


def no_department_page(status: int) -> HttpResponse:
    return render("requisitions/new.html", None, status, no_department=True)
