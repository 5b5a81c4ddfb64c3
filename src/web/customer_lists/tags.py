"""Tags (标签) on one customer, from its page (bulk tagging is one of the customer list's bulk actions)."""

from flask import Blueprint, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.customers import services, tagging
from domain.customers.errors import CustomerArchived
from domain.shared.errors import Conflict, ValidationFailed
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render, see_other
from web.i18n import error_messages

bp = Blueprint("customer_tags", __name__, url_prefix="/customers")
TAGS = {"customer-tags": "customer_lists/_tags.html"}


@bp.post("/<int:customer_id>/tags")
def add_tag(customer_id: int) -> HttpResponse:
    d, actor, name = deps(), current_actor(), request.form.get("tag", "")[:200]
    try:
        try:
            tags = tagging.add_tag(customer_id, name, actor=actor, uow=d.uow(), clock=d.clock)
        except Conflict:  # someone created the same tag a moment ago: it exists now
            tags = tagging.add_tag(customer_id, name, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _tags(customer_id, None, 422, errors=error_messages(error.errors), tag_value=name)
    except CustomerArchived:
        return _tags(customer_id, None, 409, errors={"tag": _("Archived customers keep their tags.")})
    return _tags(customer_id, tags, 200)


@bp.post("/<int:customer_id>/tags/<int:tag_id>/remove")
def remove_tag(customer_id: int, tag_id: int) -> HttpResponse:
    d = deps()
    try:
        tags = tagging.remove_tag(customer_id, tag_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except CustomerArchived:
        return _tags(customer_id, None, 409, errors={"tag": _("Archived customers keep their tags.")})
    return _tags(customer_id, tags, 200)


def _tags(customer_id: int, tags: object, status: int, **context: object) -> HttpResponse:
    if hx_target() != "customer-tags" and status == 200:
        return see_other(url_for("customers.detail", customer_id=customer_id))
    if tags is None:
        tags = services.get_customer(customer_id, actor=current_actor(), uow=deps().reader()).tags
    return render("customer_lists/tags_page.html", TAGS, status, customer_id=customer_id, tags=tags,
                  **({"errors": {}} | context))
