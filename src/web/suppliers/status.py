"""Qualification changes: a short form with the reason, then the change (supplier.qualify)."""

from flask import Blueprint, flash, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as HttpResponse

from domain.identity.access import require
from domain.identity.permissions import Permission
from domain.shared.errors import InvalidTransition, StaleVersion, ValidationFailed
from domain.suppliers import services
from domain.suppliers.lifecycle import REASON_REQUIRED, REFUSALS, StatusAction, allowed
from domain.suppliers.status import change_supplier_status
from web.customers.forms import version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import ERRORS, error_messages

bp = Blueprint("supplier_status", __name__, url_prefix="/suppliers")
ACTION = "<any(qualify, suspend, blacklist, restore):action>"
DONE = {StatusAction.QUALIFY: _l("Qualified: the supplier can now receive orders."),
        StatusAction.SUSPEND: _l("Suspended: no new orders until it is qualified again."),
        StatusAction.BLACKLIST: _l("Blacklisted: no new orders."),
        StatusAction.RESTORE: _l("Restored to pending: qualify it again before ordering.")}


@bp.get(f"/<int:supplier_id>/{ACTION}")
def confirm(supplier_id: int, action: str) -> HttpResponse:
    require(current_actor(), Permission.SUPPLIER_QUALIFY)
    supplier = services.get_supplier(supplier_id, actor=current_actor(), uow=deps().reader()).supplier
    if not allowed(supplier.status, StatusAction(action)):
        return _refused(supplier_id, InvalidTransition(REFUSALS[StatusAction(action)]))
    return _form(supplier_id, action, 200, {})


@bp.post(f"/<int:supplier_id>/{ACTION}")
def change(supplier_id: int, action: str) -> HttpResponse:
    d = deps()
    try:
        change_supplier_status(supplier_id, StatusAction(action), request.form.get("reason", ""),
                               version_of(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form(supplier_id, action, 422, error.errors)
    except (InvalidTransition, StaleVersion) as error:
        return _refused(supplier_id, error)
    flash(str(DONE[StatusAction(action)]), "success")
    return see_other(url_for("suppliers.detail", supplier_id=supplier_id))


def _refused(supplier_id: int, error: Exception) -> HttpResponse:
    code = error.code if isinstance(error, InvalidTransition) else "supplier.changed"
    flash(str(ERRORS[code]), "error")
    return see_other(url_for("suppliers.detail", supplier_id=supplier_id))


def _form(supplier_id: int, action: str, status: int, errors: dict[str, str]) -> HttpResponse:
    supplier = services.get_supplier(supplier_id, actor=current_actor(), uow=deps().reader()).supplier
    return render("suppliers/status.html", None, status, supplier=supplier, action=action,
                  reason_required=StatusAction(action) in REASON_REQUIRED,
                  values={"reason": request.form.get("reason", "")}, errors=error_messages(errors))
