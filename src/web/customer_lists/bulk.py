"""The customer list's bulk bar: assign owner, add or remove a tag, change stage, archive (and their words)."""

from flask_babel import lazy_gettext as _l, ngettext

from domain.customers import services
from domain.customers.bulk import CUSTOMER_BULK
from domain.lists.models import BulkOutcome
from web.deps import deps
from web.guard import current_actor
from web.i18n import STAGES
from web.lists.registry import BulkButton, BulkGroup, BulkInput, BulkUi


def _assign(value: str, count: int) -> str:
    owners = dict(services.assignable_owners(actor=current_actor(), uow=deps().reader()))
    owner = owners.get(int(value) if value.isdigit() and len(value) < 12 else 0, "")
    question: str = ngettext("Assign %(num)d customer to %(owner)s?", "Assign %(num)d customers to %(owner)s?", count,
                             owner=owner)
    return question


def _add_tag(value: str, count: int) -> str:
    question: str = ngettext("Add the tag “%(tag)s” to %(num)d customer?",
                             "Add the tag “%(tag)s” to %(num)d customers?", count, tag=value.strip())
    return question


def _remove_tag(value: str, count: int) -> str:
    question: str = ngettext("Remove the tag “%(tag)s” from %(num)d customer?",
                             "Remove the tag “%(tag)s” from %(num)d customers?", count, tag=value.strip())
    return question


def _stage(value: str, count: int) -> str:
    question: str = ngettext("Move %(num)d customer to the stage “%(stage)s”?",
                             "Move %(num)d customers to the stage “%(stage)s”?", count, stage=STAGES.get(value, value))
    return question


def _archive(value: str, count: int) -> str:
    question: str = ngettext("Archive %(num)d customer?", "Archive %(num)d customers?", count)
    return question


def _unchanged(count: int) -> str:
    hint: str = ngettext(
        "%(num)d selected customer stays as it is: outside your records, archived, or already so.",
        "%(num)d selected customers stay as they are: outside your records, archived, or already so.", count)
    return hint


def _done(outcome: BulkOutcome) -> str:
    changed: str = ngettext("%(num)d customer changed.", "%(num)d customers changed.", outcome.changed)
    if not outcome.not_changed:
        return changed
    left: str = ngettext("%(num)d selected customer was left as it was.",
                         "%(num)d selected customers were left as they were.", outcome.not_changed)
    return f"{changed} {left}"


CUSTOMER_BULK_UI = BulkUi(
    CUSTOMER_BULK,
    (BulkGroup((BulkButton("assign", _l("Assign"), _assign),), BulkInput("new_owner", _l("New owner"), "owners")),
     BulkGroup((BulkButton("add_tag", _l("Add tag"), _add_tag),
                BulkButton("remove_tag", _l("Remove tag"), _remove_tag)),
               BulkInput("tag_name", _l("Tag"), "tags", free_text=True, maxlength=40)),
     BulkGroup((BulkButton("stage", _l("Change stage"), _stage),), BulkInput("new_stage", _l("New stage"), "stages")),
     BulkGroup((BulkButton("archive", _l("Archive"), _archive),))),
    legend=_l("Selected customers"), select_all=_l("Select all customers on this page"), unchanged=_unchanged,
    nothing=_l("Nothing to change: choose other customers or another action."), done=_done)
