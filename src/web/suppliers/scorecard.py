"""The scorecard section for a chosen period (htmx refresh of the section, or the whole page without JS)."""

from flask import Blueprint, request
from werkzeug.wrappers import Response as HttpResponse

from domain.contracts.reminders import local_today
from domain.shared.errors import ValidationFailed
from domain.suppliers import services
from domain.suppliers.scorecard import period_of
from web.deps import deps
from web.guard import current_actor
from web.i18n import error_messages
from web.suppliers.views import detail_page

bp = Blueprint("supplier_scorecard", __name__, url_prefix="/suppliers")
SECTION = {"supplier-scorecard": "suppliers/_scorecard.html"}


@bp.get("/<int:supplier_id>/scorecard")
def show(supplier_id: int) -> HttpResponse:
    d, values = deps(), {k: request.args.get(k, "").strip()[:10] for k in ("from", "to")}
    try:
        period = period_of(values, local_today(d.clock))
    except ValidationFailed as error:
        return detail_page(supplier_id, SECTION, 422, scorecard=None, scorecard_values=values,
                           scorecard_errors=error_messages(error.errors))
    card = services.supplier_scorecard(supplier_id, period, actor=current_actor(), uow=d.reader())
    return detail_page(supplier_id, SECTION, scorecard=card,
                       scorecard_values={"from": period.start.isoformat(), "to": period.end.isoformat()})
