"""Audit screen: filter and page through the trail, inspect one record's diff, export as CSV (audited)."""

from collections.abc import Iterator
from datetime import datetime

from flask import Blueprint, Response, request, stream_with_context, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.audit import services
from domain.audit.models import AuditRecord, as_text, diff
from web.audit.filters import ACTION_FAMILIES, ENTITY_TYPES, KNOWN_ACTIONS, audit_link, audit_query, utc_iso
from web.deps import deps
from web.guard import current_actor
from web.htmx import hx_target, render
from web.spreadsheet import csv_lines

bp = Blueprint("audit", __name__, url_prefix="/audit")
RESULTS = {"audit-results": "audit/_results.html"}


@bp.app_template_filter("utc_iso")
def _utc_iso_filter(moment: datetime) -> str:
    return utc_iso(moment)


@bp.get("")
def index() -> HttpResponse:
    query = audit_query(request.args)
    found = services.list_events(query, actor=current_actor(), uow=deps().reader(),
                                 with_actors=hx_target() != "audit-results")
    return render("audit/index.html", RESULTS, page=found.page, query=query, actors=found.actors,
                  base=url_for(".index"), list_link=audit_link(query), families=ACTION_FAMILIES,
                  known_actions=KNOWN_ACTIONS, entity_types=ENTITY_TYPES, summary=summary,
                  export_cap=services.EXPORT_CAP)


@bp.get("/<int:event_id>")
def detail(event_id: int) -> HttpResponse:
    found = services.get_event(event_id, actor=current_actor(), uow=deps().reader())
    return render("audit/detail.html", None, record=found.record, changes=found.changes)


@bp.post("/export")
def export() -> Response:
    d = deps()
    result = services.export_events(audit_query(request.form), actor=current_actor(), uow=d.uow(), clock=d.clock)
    stamp = utc_iso(d.clock.now()).replace(":", "").replace("-", "")
    response = Response(stream_with_context(_csv(result.records)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _csv(records: list[AuditRecord]) -> Iterator[str]:
    header = [_("Id"), _("Seq"), _("Time (UTC)"), _("Actor id"), _("Actor"), _("IP address"), _("Action"),
              _("Entity"), _("Entity id"), _("Before"), _("After"), _("Previous hash"), _("Hash")]
    rows = ([r.id, r.seq, utc_iso(r.event.occurred_at), r.event.actor_id, r.actor_name, r.event.ip, r.event.action,
             r.event.entity_type, r.event.entity_id, as_text(r.event.before), as_text(r.event.after), r.prev_hash,
             r.hash] for r in records)
    return csv_lines(header, rows)


def summary(record: AuditRecord, limit: int = 80) -> str:
    """A short line for the list: the changed fields (before → after), else the recorded values."""
    e = record.event
    if e.before:
        parts = [f"{c.field}: {c.before} → {c.after}" for c in diff(e.before, e.after) if c.changed]
    else:
        parts = [f"{k}: {as_text(v)}" for k, v in (e.after or {}).items()]
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"
