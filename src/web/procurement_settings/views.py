"""Procurement settings: the receipt and three-way-match tolerances (finance), with optimistic locking."""

from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from werkzeug.wrappers import Response as HttpResponse

from domain.procurement.settings import SettingsChanged, get_tolerances, update_tolerances
from domain.procurement.tolerances import KEYS, Tolerances
from domain.shared.errors import ValidationFailed
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("procurement_settings", __name__, url_prefix="/procurement")
FORM = {"tolerance-form": "procurement_settings/_form.html"}
FIELDS = {
    "over_receipt": (_l("Over-receipt tolerance (%)"),
                     _l("How much more than ordered a line may accept. 0 refuses anything beyond the order.")),
    "invoice_quantity": (_l("Invoice quantity tolerance (%)"),
                         _l("How much more than was accepted the invoices of a line may bill together.")),
    "invoice_price": (_l("Invoice price tolerance (%)"),
                      _l("How far above the order's unit price an invoiced price may be. Lower prices always "
                         "match.")),
}


@bp.get("/settings")
def edit() -> HttpResponse:
    tolerances = get_tolerances(actor=current_actor(), uow=deps().reader())
    return _page(200, tolerances.as_values(), tolerances)


@bp.post("/settings")
def update() -> HttpResponse:
    d = deps()
    try:
        update_tolerances(request.form, request.form.get("seen", ""), actor=current_actor(), uow=d.uow(),
                          clock=d.clock)
    except ValidationFailed as error:
        return _page(422, request.form, get_tolerances(actor=current_actor(), uow=d.reader()), error.errors)
    except SettingsChanged as changed:
        return _page(409, request.form, changed.current, conflict=changed.current.as_values())
    flash(_("Tolerances saved. They apply to the next receipt and the next invoice."), "success")
    return see_other(url_for(".edit"))


def _page(status: int, values: Mapping[str, str], stored: Tolerances, errors: dict[str, str] | None = None,
          conflict: dict[str, str] | None = None) -> HttpResponse:
    return render("procurement_settings/edit.html", FORM, status, values={k: str(values.get(k, "")) for k in KEYS},
                  seen=stored.fingerprint(), errors=error_messages(errors or {}), conflict=conflict,
                  fields={k: (str(label), str(hint)) for k, (label, hint) in FIELDS.items()})
