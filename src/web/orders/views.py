"""Purchase orders: the list (search, filters, keyset pages), one order, its printable form, a supplier's orders."""

from flask import current_app, request
from werkzeug.wrappers import Response as HttpResponse

from domain.approvals.engine import approval_trail
from domain.purchasing import services
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render
from web.orders.blueprint import BASE, bp
from web.orders.labels import amount
from web.orders.list_page import order_context

RESULTS = {"order-results": "orders/_results.html"}


@bp.get(BASE)
def index() -> HttpResponse:
    return render("orders/index.html", RESULTS, **order_context(request.args, hx_target() is None))


@bp.get(BASE + "/<int:order_id>")
def detail(order_id: int) -> HttpResponse:
    actor, d = current_actor(), deps()
    found = services.get_order(order_id, actor=actor, uow=d.reader(), clock=d.clock)
    trail = approval_trail("purchase_order", order_id, actor=actor, uow=d.reader())  # after the read check above
    return render("orders/detail.html", None, detail=found, order=found.order, approval_trail=trail)


@bp.get(BASE + "/<int:order_id>/print")
def print_order(order_id: int) -> HttpResponse:
    d = deps()
    found = services.get_order(order_id, actor=current_actor(), uow=d.reader(), clock=d.clock)
    return render("orders/print.html", None, detail=found, order=found.order,
                  organisation=current_app.config.get("ORGANISATION_NAME", ""))


@bp.get("/suppliers/<int:supplier_id>/orders")
def supplier_orders(supplier_id: int) -> HttpResponse:
    """The supplier page's section: its newest orders in the actor's scope."""
    orders = services.supplier_orders(supplier_id, actor=current_actor(), uow=deps().reader())
    return render("orders/supplier_orders.html", {"supplier-orders": "orders/_supplier_orders.html"}, orders=orders,
                  supplier_id=supplier_id, base=BASE,
                  amounts=[amount(o.gross_total) for o in orders])
