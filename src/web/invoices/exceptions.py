"""The exception queue (finance): invoices whose match failed, oldest first, each mismatch in words; accept with a
reason (ready to pay) or reject with a reason, by keyboard like the approval inbox."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.invoicing.models import InvoiceStatus, SupplierInvoice
from domain.invoicing.resolution import exception_queue, resolve_invoice
from domain.invoicing.services import get_invoice
from domain.shared.errors import InvalidTransition, StaleVersion, ValidationFailed
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages

bp = Blueprint("invoice_exceptions", __name__, url_prefix="/invoices")


@bp.get("/exceptions")
def queue() -> HttpResponse:
    return _queue(200)


@bp.post("/<int:invoice_id>/accept")
def accept(invoice_id: int) -> HttpResponse:
    return _resolve(invoice_id, True)


@bp.post("/<int:invoice_id>/reject")
def reject(invoice_id: int) -> HttpResponse:
    return _resolve(invoice_id, False)


def _resolve(invoice_id: int, accept: bool) -> HttpResponse:
    d, field = deps(), "accept_reason" if accept else "reject_reason"
    try:
        resolved = resolve_invoice(invoice_id, accept, request.form.get(field, ""), version_of(request.form),
                                   actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _queue(422, invoice_id, {field: error.errors["reason"]})
    except (InvalidTransition, StaleVersion) as error:
        return _changed(invoice_id, isinstance(error, InvalidTransition))
    message = _resolved_message(resolved)
    if hx_target() == f"invoice-{invoice_id}":
        return render("invoices/_resolved.html", None, view=get_invoice(
            invoice_id, actor=current_actor(), uow=d.reader()), message=message)
    flash(message, "success")
    return see_other(url_for(".queue"))


def _resolved_message(invoice: SupplierInvoice) -> str:
    if invoice.status is InvoiceStatus.ACCEPTED:
        return str(_("Invoice %(number)s accepted: it is ready to pay.", number=invoice.number))
    return str(_("Invoice %(number)s rejected: its quantities are free for a corrected invoice.",
                 number=invoice.number))


def _changed(invoice_id: int, resolved: bool) -> HttpResponse:
    """Someone resolved or changed the invoice meanwhile: show it as it is now, and say so."""
    view = get_invoice(invoice_id, actor=current_actor(), uow=deps().reader())
    message = _("Someone resolved this invoice meanwhile; nothing was changed.") if resolved else _(
        "This invoice changed since the page was loaded; nothing was changed. Check it and decide again.")
    if hx_target() == f"invoice-{invoice_id}":
        template = "invoices/_resolved.html" if resolved else "invoices/_exception.html"
        return render(template, None, 409, view=view, message=message, errors={}, failed=invoice_id)
    flash(message, "error")
    return see_other(url_for(".queue"))


def _queue(status: int, invoice_id: int | None = None, errors: dict[str, str] | None = None) -> HttpResponse:
    after = request.args.get("after") or None
    page = exception_queue(after, actor=current_actor(), uow=deps().reader())
    fragments = {f"invoice-{invoice_id}": "invoices/_exception.html"} if invoice_id else None
    view = next((v for v in page.items if v.invoice.id == invoice_id), None)
    if view is None and invoice_id is not None:
        view = get_invoice(invoice_id, actor=current_actor(), uow=deps().reader())
    return render("invoices/exceptions.html", fragments, status, page=page, view=view, failed=invoice_id,
                  errors=error_messages(errors or {}), typed={k: request.form.get(k, "")[:1000]
                                                            for k in ("accept_reason", "reject_reason")})
