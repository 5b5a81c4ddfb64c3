"""Translated labels of the approval engine's codes."""

from flask import Flask
from flask_babel import lazy_gettext as _l

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
    """Template globals: the label tables of the approval engine."""
    app.jinja_env.globals.update(document_type_names=DOCUMENT_TYPES, approver_kind_names=APPROVER_KINDS,
                                 step_mode_names=STEP_MODES, request_status_names=REQUEST_STATUSES,
                                 task_status_names=TASK_STATUSES,
                                 notice_texts=NOTICES)
