"""Bulk actions that reuse a single-record service (which saves and audits) and name why they leave records, with
the made-up list of test_list_tools and in-memory fakes."""

from dataclasses import replace
from datetime import datetime

import pytest

from domain.audit.models import AuditEvent
from domain.identity.permissions import Permission
from domain.lists import bulk
from domain.lists.models import BulkOutcome
from domain.lists.specs import BulkAction, BulkRun, BulkSpec, audited_by, refused_by
from domain.shared.errors import InvalidTransition, ValidationFailed
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.unit.test_list_tools import BOSS, NOTES, REP, Note, Notes, actor, notes, uow

__all__ = ["notes", "uow"]  # the fixtures of test_list_tools


class TestRefusingActions:
    @pytest.fixture
    def spec(self, notes: Notes) -> BulkSpec[Note]:
        def rule(note: Note, run: BulkRun) -> None:
            if not run.value:
                raise ValidationFailed({"when": "required"})
            if note.done:
                raise InvalidTransition("note.done_already")

        def close(note: Note, run: BulkRun, now: datetime) -> None:  # the "service": it audits itself
            notes.rows[note.id] = replace(note, done=True)
            run.uow.audit.append(AuditEvent("note.closed", now, run.actor.user_id, None, "note", str(note.id)))

        return BulkSpec(NOTES, notes.load, (
            BulkAction.refusing("close", Permission.CUSTOMER_ARCHIVE, refused_by(rule), audited_by(close)),))

    def test_the_preview_counts_each_reason_and_apply_audits_once_per_record(
        self, spec: BulkSpec[Note], notes: Notes, uow: FakeUnitOfWork
    ) -> None:
        boss = actor(uow, BOSS)
        mine = [notes.add(BOSS, "a"), notes.add(BOSS, "b"), notes.add(BOSS, "c")]
        notes.rows[mine[2]] = replace(notes.rows[mine[2]], done=True)
        ids = [str(i) for i in [*mine, notes.add(REP, "d"), 99]]

        preview = bulk.preview_bulk(spec, "close", ids, "now", actor=boss, uow=uow)
        done = bulk.apply_bulk(spec, "close", ids, "now", actor=boss, uow=uow, clock=FakeClock())

        assert preview == BulkOutcome(2, 3, (("selection.unavailable", 2), ("note.done_already", 1)))
        assert (done.changed, done.not_changed) == (2, 3) and uow.commits == 1
        assert sorted(e.entity_id or "" for e in uow.audit.events) == [str(mine[0]), str(mine[1])]

    def test_a_bad_value_is_refused_for_the_whole_selection(self, spec: BulkSpec[Note], notes: Notes,
                                                            uow: FakeUnitOfWork) -> None:
        mine = notes.add(BOSS, "a")

        with pytest.raises(ValidationFailed):
            bulk.apply_bulk(spec, "close", [str(mine)], "", actor=actor(uow, BOSS), uow=uow, clock=FakeClock())
        assert uow.commits == 0 and not notes.rows[mine].done
