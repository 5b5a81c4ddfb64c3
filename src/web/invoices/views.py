"""Supplier invoices: record one against an order (with a live preview of amounts and match), the invoice list,
an invoice's page, and an order's invoices (the order page loads them lazily; also a page of its own)."""

import secrets
from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts.reminders import local_today
from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.invoicing import services
from domain.invoicing.entry import InvoiceEntry
from domain.invoicing.errors import DuplicateInvoice
from domain.invoicing.models import INVOICEABLE, InvoiceStatus, SupplierInvoice
from domain.shared.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.invoices import forms
from web.invoices.forms import invoice_entry, typed_values
from web.invoices.list_page import invoice_context

bp = Blueprint("invoices", __name__)
RESULTS = {"invoice-results": "invoices/_results.html"}
FORM = {"invoice-form": "invoices/_form.html"}
PICKER = {"order-choices": "invoices/_order_choices.html"}
OF_ORDER = {"order-invoices": "invoices/_order_invoices.html"}


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return forms.labels() | {"explain": forms.explain}


@bp.get("/invoices")
def index() -> HttpResponse:
    return render("invoices/index.html", RESULTS, **invoice_context(request.args, hx_target() is None))


@bp.get("/invoices/<int:invoice_id>")
def detail(invoice_id: int) -> HttpResponse:
    return render("invoices/detail.html", None,
                  view=services.get_invoice(invoice_id, actor=current_actor(), uow=deps().reader()))


@bp.get("/purchase-orders/<int:order_id>/invoices")
def of_order(order_id: int) -> HttpResponse:
    order, page = services.invoices_of_order(order_id, actor=current_actor(), uow=deps().reader())
    return render("invoices/order_invoices.html", OF_ORDER, order=order, page=page,
                  invoiceable=order.status in INVOICEABLE)


@bp.get("/invoices/new")
def new() -> HttpResponse:
    require(current_actor(), Permission.INVOICE_CREATE)
    order_id = _order_id(request.args)
    if order_id is None:
        text = request.args.get("q", "")
        choices = services.choose_order(text, actor=current_actor(), uow=deps().reader())
        return render("invoices/choose_order.html", PICKER, choices=choices, q=text.strip()[:100])
    values = {"invoice_date": local_today(deps().clock).isoformat()}
    return _form(order_id, 200, InvoiceEntry("", ""), values, {}, form_token=secrets.token_urlsafe(24),
                 prefill=request.args.get("prefill") == "1")


@bp.post("/invoices/preview")
def preview() -> HttpResponse:
    require(current_actor(), Permission.INVOICE_CREATE)  # before anything answers about the order
    order_id = _order_id(request.args)
    if order_id is None:
        raise NotFound()
    found = services.preview_invoice(order_id, invoice_entry(request.form), actor=current_actor(),
                                     uow=deps().reader())
    return render("invoices/_preview_body.html", None, preview=found)


@bp.post("/invoices")
def create() -> HttpResponse:
    require(current_actor(), Permission.INVOICE_CREATE)
    order_id, entry = _order_id(request.form), invoice_entry(request.form)
    if order_id is None:
        raise NotFound()
    try:
        invoice = _record(order_id, entry)
    except ValidationFailed as error:
        return _form(order_id, 422, entry, typed_values(request.form), error.errors, form_token=entry.form_token)
    except InvalidTransition:  # the order was cancelled meanwhile, say: the form page explains it
        return _form(order_id, 409, entry, typed_values(request.form), {})
    except DuplicateInvoice as duplicate:
        return _form(order_id, 422, entry, typed_values(request.form), {"number": "invoice.duplicate"},
                     form_token=entry.form_token, duplicate=duplicate.existing_id)
    flash(_recorded_message(invoice), "success" if invoice.status is InvoiceStatus.MATCHED else "warning")
    return see_other(url_for(".detail", invoice_id=invoice.id))


def _record(order_id: int, entry: InvoiceEntry) -> SupplierInvoice:
    d = deps()
    try:
        return services.record_invoice(order_id, entry, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except Conflict:  # the same form, or the same number, submitted at once: the retry sees who won
        return services.record_invoice(order_id, entry, actor=current_actor(), uow=d.uow(), clock=d.clock)


def _recorded_message(invoice: SupplierInvoice) -> str:
    if invoice.status is InvoiceStatus.MATCHED:
        return str(_("Invoice %(number)s recorded: every line matches the order and the receipts, so it is ready "
                     "to pay.", number=invoice.number))
    return str(_("Invoice %(number)s recorded, but not every line matches: it waits in the exception queue until "
                 "finance accepts or rejects it.", number=invoice.number))


def _form(order_id: int, status: int, entry: InvoiceEntry, values: Mapping[str, str], errors: dict[str, str],
          **context: object) -> HttpResponse:
    actor, reader = current_actor(), deps().reader
    try:
        order, tolerances = services.invoice_form(order_id, actor=actor, uow=reader())
    except InvalidTransition:
        order, page = services.invoices_of_order(order_id, actor=actor, uow=reader())
        return render("invoices/new.html", None, 409, order=order, page=page, refused=True)
    if context.pop("prefill", False):
        values, entry = forms.expected_values(order, values)
    found = services.preview_invoice(order_id, entry, actor=actor, uow=reader()) if entry.lines else None
    return render("invoices/new.html", FORM, status, order=order, tolerances=tolerances, values=values,
                  errors=error_messages(errors), preview=found, order_id=order_id, **context)


def _order_id(args: Mapping[str, str]) -> int | None:
    value = str(args.get("order", ""))
    return int(value) if value.isdigit() and len(value) < 12 else None
