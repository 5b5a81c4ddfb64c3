"""Goods receipts: record one against an order, the receipt list, a receipt's page, and an order's receipts
(the order page loads them lazily; the same URL is a page of its own without htmx)."""

import secrets
from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts.reminders import local_today
from domain.purchasing.lifecycle import Action, allowed
from domain.receiving import services
from domain.receiving.errors import OverReceipt
from domain.receiving.models import OrderForReceipt
from domain.shared.errors import Conflict, InvalidTransition, ValidationFailed
from web import numbering
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages
from web.receipts.forms import (
    over_receipt_messages,
    receipt_entry,
    typed_values,
)
from web.receipts.list_page import receipt_context

bp = Blueprint("receipts", __name__)
RESULTS = {"receipt-results": "receipts/_results.html"}
FORM = {"receipt-form": "receipts/_form.html"}
OF_ORDER = {"order-receipts": "receipts/_order_receipts.html"}


@bp.get("/receipts")
def index() -> HttpResponse:
    return render("receipts/index.html", RESULTS, **receipt_context(request.args, hx_target() is None))


@bp.get("/receipts/<int:receipt_id>")
def detail(receipt_id: int) -> HttpResponse:
    return render("receipts/detail.html", None,
                  receipt=services.get_receipt(receipt_id, actor=current_actor(), uow=deps().reader()))


@bp.get("/purchase-orders/<int:order_id>/receipts")
def of_order(order_id: int) -> HttpResponse:
    order, page = services.receipts_of_order(order_id, actor=current_actor(), uow=deps().reader())
    return render("receipts/order_receipts.html", OF_ORDER, order=order, page=page,
                  receivable=allowed(order.status, Action.RECEIVE))


@bp.get("/purchase-orders/<int:order_id>/receipts/new")
def new(order_id: int) -> HttpResponse:
    try:
        order, tolerances = services.receipt_form(order_id, actor=current_actor(), uow=deps().reader())
    except InvalidTransition:
        return _refused(order_id)
    values = {"received_on": local_today(deps().clock).isoformat()}
    return _form(200, order, values, {}, tolerance=tolerances.over_receipt, form_token=secrets.token_urlsafe(24))


@bp.post("/purchase-orders/<int:order_id>/receipts")
def create(order_id: int) -> HttpResponse:
    d, actor, entry = deps(), current_actor(), receipt_entry(request.form)
    try:
        receipt = services.record_receipt(order_id, entry, actor=actor, uow=d.uow(), clock=d.clock,
                                          pattern=numbering.number_pattern("goods_receipt"))
    except InvalidTransition:
        return _refused(order_id)
    except (OverReceipt, ValidationFailed) as error:
        return _invalid(order_id, error)
    except Conflict:  # the same form, submitted twice at once: the other request recorded it
        receipt = services.record_receipt(order_id, entry, actor=actor, uow=d.uow(), clock=d.clock,
                                          pattern=numbering.number_pattern("goods_receipt"))
    flash(_("Receipt %(number)s recorded.", number=receipt.number), "success")
    return see_other(url_for(".detail", receipt_id=receipt.id))


def _invalid(order_id: int, error: ValidationFailed) -> HttpResponse:
    order, tolerances = services.receipt_form(order_id, actor=current_actor(), uow=deps().reader())
    errors = error_messages(error.errors)
    if isinstance(error, OverReceipt):
        errors |= over_receipt_messages(error, order)
    return _form(422, order, typed_values(request.form), errors, tolerance=tolerances.over_receipt,
                 form_token=request.form.get("form_token", "")[:64])


def _refused(order_id: int) -> HttpResponse:
    """The order takes no receipts (not sent yet, fully received, closed or cancelled)."""
    order, page = services.receipts_of_order(order_id, actor=current_actor(), uow=deps().reader())
    return render("receipts/new.html", None, 409, order=order, page=page, refused=True)


def _form(status: int, order: OrderForReceipt, values: Mapping[str, str], errors: dict[str, str],
          **context: object) -> HttpResponse:
    return render("receipts/new.html", FORM, status, order=order, values=values, errors=errors, **context)
