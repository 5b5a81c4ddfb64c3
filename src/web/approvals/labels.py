"""Translated labels of the approval engine's codes, and the navigation badge."""

import logging

from flask import Flask, g
from flask_babel import lazy_gettext as _l

from domain.approvals.inbox import open_task_count
from web.deps import deps

log = logging.getLogger("houtai.web")

DOCUMENT_TYPES = {"contract": _l("Contract"), "requisition": _l("Requisition"),
                  "purchase_order": _l("Purchase order")}
APPROVER_KINDS = {"manager": _l("Department manager"), "role": _l("Role in the department tree"),
                  "user": _l("Named user")}
STEP_MODES = {"all": _l("All of them approve"), "any": _l("Any one of them approves")}
REQUEST_STATUSES = {"pending": _l("Waiting for approval"), "approved": _l("Approved"), "rejected": _l("Rejected")}
# What the document's handler asks the approver to know before deciding (DocumentHandler.notice).
NOTICES = {"budget.exceeded": _l("Approving this would take its stop budget below zero, so the approval will be "
                                 "refused. Holders of the budget override permission may approve it beyond the "
                                 "budget (recorded and audited)."),
           "budget.over_warning": _l("Approving this takes its budget beyond its amount. The budget only warns, so "
                                     "the approval goes through.")}
TASK_STATUSES = {"open": _l("Waiting"), "approved": _l("Approved"), "rejected": _l("Rejected"),
                 "closed": _l("Not needed")}


def register_labels(app: Flask) -> None:
    """Template globals: the label tables, and the lazily counted "Approvals (n)" of the navigation."""
    app.jinja_env.globals.update(document_type_names=DOCUMENT_TYPES, approver_kind_names=APPROVER_KINDS,
                                 step_mode_names=STEP_MODES, request_status_names=REQUEST_STATUSES,
                                 task_status_names=TASK_STATUSES, approvals_waiting=approvals_waiting,
                                 notice_texts=NOTICES)


def approvals_waiting() -> int:
    """My open approval tasks; counted once per request, only when the layout shows the badge."""
    if "approvals_waiting" not in g:
        d = deps()
        try:
            g.approvals_waiting = open_task_count(actor=g.actor, uow=d.reader(), clock=d.clock)
        except Exception:  # the badge must never break a page, least of all the error page of a database outage
            log.warning("approvals.badge_unavailable", exc_info=True)
            g.approvals_waiting = 0
    count: int = g.approvals_waiting
    return count
