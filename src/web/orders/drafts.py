"""Drafting orders: the page to start from (requisition lines and suppliers), the order form (direct orders and
drafts), and the totals the server computes as the buyer types."""

import secrets
from collections.abc import Mapping

from flask import flash, request, url_for
from flask_babel import gettext as _, ngettext
from werkzeug.wrappers import Response as HttpResponse

from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.purchasing import drafting, form
from domain.purchasing.models import OrderStatus, PurchaseOrder
from domain.purchasing.services import get_order, supplier_refusal
from domain.purchasing.validation import optional_id
from domain.shared.errors import Conflict, InvalidTransition, NotFound, StaleVersion, ValidationFailed
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import ERRORS, error_messages
from web.numbering import number_pattern
from web.orders.blueprint import BASE, bp
from web.orders.forms import conflicting, header_of, header_values, line_values, rows_of

BOARD = {"supplier-choices": "orders/_suppliers.html"}
FORM = {"order-form": "orders/_form.html"}
BLANK_ROW = {"tax_rate": "13"}


@bp.get(BASE + "/new")
def new() -> HttpResponse:
    """Without a supplier: the page to start from. With ?supplier=: the form of a direct order."""
    require(current_actor(), Permission.ORDER_CREATE)
    supplier_id = optional_id(request.args.get("supplier", ""))
    if supplier_id is None:
        return _board(200)
    header = {"supplier_id": str(supplier_id)}
    return _form_page("orders/new.html", 200, header, [], form_token=secrets.token_urlsafe(24), fresh=True)


@bp.post(BASE)
def create() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    header, rows = header_of(request.form), rows_of(request.form)
    try:
        order = drafting.create_order(header, rows, actor=actor, uow=d.uow(), clock=d.clock,
                                      pattern=number_pattern("purchase_order"), form_token=token)
    except ValidationFailed as error:
        return _form_page("orders/new.html", 422, header, rows, error.errors, form_token=token)
    except Conflict:  # the same form, submitted twice at once: the other request made the draft
        order = _twin(token)
    flash(_("Order %(number)s drafted. Check it, then submit it for approval.", number=order.number), "success")
    return see_other(url_for(".detail", order_id=order.id))


@bp.post(BASE + "/from-requisitions")
def create_from_requisitions() -> HttpResponse:
    d, actor, token = deps(), current_actor(), request.form.get("form_token", "")[:64]
    try:
        order = drafting.order_requisition_lines(request.form.get("supplier_id", ""), request.form.getlist("lines"),
                                                 actor=actor, uow=d.uow(), clock=d.clock,
                                                 pattern=number_pattern("purchase_order"), form_token=token)
    except ValidationFailed as error:
        return _board(422, error.errors)
    except Conflict:
        order = _twin(token)
    flash(ngettext("Order %(number)s drafted with %(num)d requisition line. Set the supplier's prices, VAT and "
                   "delivery dates, then save and submit it.",
                   "Order %(number)s drafted with %(num)d requisition lines. Set the supplier's prices, VAT and "
                   "delivery dates, then save and submit it.", len(order.lines), number=order.number), "success")
    return see_other(url_for(".edit", order_id=order.id))


@bp.get(BASE + "/<int:order_id>/edit")
def edit(order_id: int) -> HttpResponse:
    """A draft's form; ?supplier= puts another supplier in the form (saved only with the form)."""
    order = editable_order(order_id)
    if order.status is not OrderStatus.DRAFT:
        flash(str(ERRORS["order.edit_not_draft"]), "error")
        return see_other(url_for(".detail", order_id=order_id))
    header = header_values(order)
    other = optional_id(request.args.get("supplier", ""))
    if other is not None and other != order.supplier_id:
        header |= {"supplier_id": str(other), "contract_id": ""}
    text = request.args.get("q")
    switch = form.find_suppliers(text, actor=current_actor(), uow=deps().reader()) if text is not None else None
    return _form_page("orders/edit.html", 200, header, line_values(order), order=order, version=order.version,
                      switch=switch, switch_text=text or "")


@bp.post(BASE + "/<int:order_id>")
def update(order_id: int) -> HttpResponse:
    d, version = deps(), version_of(request.form)
    header, rows = header_of(request.form), rows_of(request.form)
    try:
        drafting.update_order(order_id, header, rows, version, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_page("orders/edit.html", 422, header, rows, error.errors, order=editable_order(order_id),
                          version=version, switch=None, switch_text="")
    except (StaleVersion, InvalidTransition) as error:
        current = editable_order(order_id)
        refusal = str(ERRORS[error.code]) if isinstance(error, InvalidTransition) else None
        return _form_page("orders/edit.html", 409, header, rows, order=current, version=current.version,
                          conflict=conflicting(header, rows, current), refusal=refusal, switch=None, switch_text="")
    flash(_("Saved."), "success")
    return see_other(url_for(".detail", order_id=order_id))


@bp.post(BASE + "/totals")
def totals() -> HttpResponse:
    """The totals panel for the form as it stands (htmx, on every `lines-changed`)."""
    order_id = optional_id(request.form.get("order_id", ""))
    preview = form.preview_order(header_of(request.form), rows_of(request.form), actor=current_actor(),
                                 uow=deps().reader(), order_id=order_id)
    return render("orders/_totals.html", None, **totals_context(preview))


def _form_page(template: str, status: int, header: dict[str, str], rows: list[dict[str, str]],
               errors: Mapping[str, str] | None = None, *, fresh: bool = False, **context: object) -> HttpResponse:
    d, actor = deps(), current_actor()
    order = context.get("order")
    order_id = order.id if isinstance(order, PurchaseOrder) else None
    wanted = [i for i in (optional_id(row.get("requisition_line_id", "")) for row in rows) if i is not None]
    try:
        choices = form.order_form(optional_id(header.get("supplier_id", "")) or 0, actor=actor, uow=d.reader(),
                                  clock=d.clock, order_id=order_id, requisition_line_ids=wanted)
    except ValidationFailed as unknown:  # no such supplier: back to choosing one
        return _board(422 if status == 200 else status, {**unknown.errors, **(errors or {})})
    refusal = supplier_refusal(choices.supplier)
    if fresh and refusal:
        flash(str(ERRORS[refusal]), "error")
        return _board(422)
    if fresh and not header.get("payment_terms"):
        header = header | {"payment_terms": choices.supplier.payment_terms}
    preview = form.preview_order(header, rows, actor=actor, uow=d.reader(), order_id=order_id)
    return render(template, FORM, status, header=header, rows=rows or [BLANK_ROW], choices=choices,
                  errors=error_messages(dict(errors or {})), base=BASE, **totals_context(preview), **context)


def totals_context(preview: form.Preview) -> dict[str, object]:
    """The totals panel's values, its refusals translated."""
    return {"preview": preview, "preview_messages": error_messages(preview.errors),
            "contract_message": str(ERRORS[preview.contract_refusal]) if preview.contract_refusal else "",
            "supplier_message": str(ERRORS[preview.supplier_refusal]) if preview.supplier_refusal else ""}


def _board(status: int, errors: Mapping[str, str] | None = None) -> HttpResponse:
    chosen = optional_id(request.form.get("supplier_id", "") or request.args.get("supplier", ""))
    text = request.args.get("q", "").strip()[:100]
    board = form.ordering_board(text, actor=current_actor(), uow=deps().reader(), chosen=chosen)
    token = request.form.get("form_token", "")[:64] or secrets.token_urlsafe(24)
    return render("orders/board.html", BOARD, status, board=board, q=text, chosen=chosen,
                  selected=set(request.form.getlist("lines")), errors=error_messages(dict(errors or {})),
                  form_token=token, base=BASE)


def editable_order(order_id: int) -> PurchaseOrder:
    """The order in the actor's own scope (approvers read orders, they do not edit them)."""
    d, actor = deps(), current_actor()
    require(actor, Permission.ORDER_UPDATE)
    found = get_order(order_id, actor=actor, uow=d.reader(), clock=d.clock)
    if found.as_approver:
        raise NotFound()
    return found.order


def _twin(token: str) -> PurchaseOrder:
    twin = drafting.order_by_form_token(token, actor=current_actor(), uow=deps().reader())
    if twin is None:
        raise Conflict(token)
    return twin
