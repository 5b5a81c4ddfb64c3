"""Contacts on the supplier page: add, edit, remove and reveal, as htmx swaps of the contacts section."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import StaleVersion, ValidationFailed
from domain.suppliers import contact_services as contacts
from web.customers.contacts import FIELDS
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, see_other
from web.i18n import error_messages
from web.suppliers.views import detail_page

bp = Blueprint("supplier_contacts", __name__, url_prefix="/suppliers/<int:supplier_id>/contacts")
SECTION = {"contacts": "suppliers/_contacts.html"}


@bp.post("")
def add(supplier_id: int) -> HttpResponse:
    d = deps()
    try:
        contacts.add_supplier_contact(supplier_id, request.form, actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_again(supplier_id, None, error.errors)
    return _done(supplier_id, _("Contact added."))


@bp.get("/<int:supplier_contact_id>/edit")
def edit(supplier_id: int, supplier_contact_id: int) -> HttpResponse:
    require(current_actor(), Permission.SUPPLIER_UPDATE)
    contact = contacts.supplier_contact(supplier_id, supplier_contact_id, actor=current_actor(), uow=deps().reader())
    values = {"name": contact.fields.name, "title": contact.fields.title, "notes": contact.fields.notes,
              "version": str(contact.version)}
    return detail_page(supplier_id, SECTION, editing=supplier_contact_id, contact_values=values)


@bp.post("/<int:supplier_contact_id>")
def update(supplier_id: int, supplier_contact_id: int) -> HttpResponse:
    d = deps()
    try:
        contacts.update_supplier_contact(supplier_id, supplier_contact_id, request.form, version_of(request.form),
                                         actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_again(supplier_id, supplier_contact_id, error.errors)
    except StaleVersion:
        return _done(supplier_id, _("Not saved: someone changed this contact meanwhile. Check it and edit again."),
                     "error")
    return _done(supplier_id, _("Contact saved."))


@bp.post("/<int:supplier_contact_id>/remove")
def remove(supplier_id: int, supplier_contact_id: int) -> HttpResponse:
    d = deps()
    try:
        contacts.remove_supplier_contact(supplier_id, supplier_contact_id, version_of(request.form),
                                         actor=current_actor(), uow=d.uow(), clock=d.clock)
    except StaleVersion:
        return _done(supplier_id, _("Not removed: someone changed this contact meanwhile. Check it and try again."),
                     "error")
    return _done(supplier_id, _("Contact removed."))


@bp.post("/<int:supplier_contact_id>/reveal/<field>")
def reveal(supplier_id: int, supplier_contact_id: int, field: str) -> HttpResponse:
    d, actor = deps(), current_actor()
    value = contacts.reveal_supplier_contact_field(supplier_id, supplier_contact_id, field, actor=actor, uow=d.uow(),
                                                   clock=d.clock)
    target = f"contact-{supplier_contact_id}-{field}"
    return detail_page(supplier_id, {target: "suppliers/_contact_sensitive.html"},
                       contact_revealed={(supplier_contact_id, field): value}, field=field,
                       contact=contacts.supplier_contact(supplier_id, supplier_contact_id, actor=actor, uow=d.reader()))


def _done(supplier_id: int, message: str, category: str = "success") -> HttpResponse:
    if hx_target() == "contacts":
        return detail_page(supplier_id, SECTION, notice=message)
    flash(message, category)
    return see_other(url_for("suppliers.detail", supplier_id=supplier_id) + "#contacts")


def _form_again(supplier_id: int, contact_id: int | None, errors: dict[str, str]) -> HttpResponse:
    """The contacts section (or, without JavaScript, the whole page) with the form as sent and its errors."""
    values = {k: str(request.form.get(k, "")) for k in FIELDS}
    return detail_page(supplier_id, SECTION, 422, editing=contact_id, contact_values=values,
                       contact_errors=error_messages(errors))
