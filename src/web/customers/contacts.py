"""Contacts on the customer page: add, edit, remove and reveal, as htmx swaps of the contacts section."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.customers import contact_services as contacts
from domain.customers.errors import CustomerArchived
from domain.shared.errors import StaleVersion, ValidationFailed
from web.customers.forms import version_of
from web.customers.views import detail_page
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, see_other
from web.i18n import error_messages

bp = Blueprint("contacts", __name__, url_prefix="/customers/<int:customer_id>/contacts")
SECTION = {"contacts": "customers/_contacts.html"}
FIELDS = ("name", "title", "phone", "email", "notes", "remove_phone", "remove_email", "version")


@bp.post("")
def add(customer_id: int) -> HttpResponse:
    d = deps()
    try:
        contacts.add_contact(customer_id, request.form, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_again(customer_id, None, error.errors)
    return _done(customer_id, _("Contact added."))


@bp.get("/<int:contact_id>/edit")
def edit(customer_id: int, contact_id: int) -> HttpResponse:
    contact = contacts.contact_of(customer_id, contact_id, actor=current_actor(), uow=deps().reader())
    values = {"name": contact.fields.name, "title": contact.fields.title, "notes": contact.fields.notes,
              "version": str(contact.version)}
    return detail_page(customer_id, SECTION, editing=contact_id, contact_values=values)


@bp.post("/<int:contact_id>")
def update(customer_id: int, contact_id: int) -> HttpResponse:
    d = deps()
    try:
        contacts.update_contact(customer_id, contact_id, request.form, version_of(request.form),
                                actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_again(customer_id, contact_id, error.errors)
    except (StaleVersion, CustomerArchived):
        return _done(customer_id, _("Not saved: someone changed this contact meanwhile. Check it and edit again."),
                     "error")
    return _done(customer_id, _("Contact saved."))


@bp.post("/<int:contact_id>/remove")
def remove(customer_id: int, contact_id: int) -> HttpResponse:
    d = deps()
    try:
        contacts.remove_contact(customer_id, contact_id, version_of(request.form), actor=current_actor(),
                                uow=d.uow(), clock=d.clock)
    except (StaleVersion, CustomerArchived):
        return _done(customer_id, _("Not removed: someone changed this contact meanwhile. Check it and try again."),
                     "error")
    return _done(customer_id, _("Contact removed."))


@bp.post("/<int:contact_id>/reveal/<field>")
def reveal(customer_id: int, contact_id: int, field: str) -> HttpResponse:
    d = deps()
    value = contacts.reveal_contact_field(customer_id, contact_id, field, actor=current_actor(), uow=d.uow(),
                                         clock=d.clock)
    target = f"contact-{contact_id}-{field}"
    return detail_page(customer_id, {target: "customers/_contact_sensitive.html"},
                       contact_revealed={(contact_id, field): value}, field=field,
                       contact=contacts.contact_of(customer_id, contact_id, actor=current_actor(), uow=d.reader()))


def _done(customer_id: int, message: str, category: str = "success") -> HttpResponse:
    if hx_target() == "contacts":
        return detail_page(customer_id, SECTION, notice=message)
    flash(message, category)
    return see_other(url_for("customers.detail", customer_id=customer_id) + "#contacts")


def _form_again(customer_id: int, contact_id: int | None, errors: dict[str, str]) -> HttpResponse:
    """The contacts section (or, without JavaScript, the whole page) with the form as sent and its errors."""
    values = {k: str(request.form.get(k, "")) for k in FIELDS}
    return detail_page(customer_id, SECTION, 422, editing=contact_id, contact_values=values,
                       contact_errors=error_messages(errors))
