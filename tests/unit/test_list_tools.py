"""The generic list tools with a made-up list ("notes") and in-memory fakes: views, export, bulk actions."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pytest

from domain.audit.models import AuditEvent
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.jobs.models import JobStatus
from domain.jobs.services import HANDLERS, register, run_job
from domain.lists import bulk, saved_views
from domain.lists.export import ExportLabels, export_handler, start_export
from domain.lists.models import ListSpec, canonical_query, columns_of
from domain.lists.specs import (
    Apply,
    BatchRequest,
    BulkAction,
    BulkRun,
    BulkSpec,
    ExportBatch,
    ExportColumn,
    ExportSpec,
)
from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired, ValidationFailed
from domain.shared.sensitive import SensitiveKind
from domain.shared.spreadsheet import CsvFile
from domain.unit_of_work import UnitOfWork
from tests.builders import a_user, an_actor
from tests.fakes import FakeClock, FakeFileStore, FakeJobQueue, FakeUnitOfWork

NOTES = ListSpec("notes", Permission.CONTRACT_READ, ("q", "sort", "col"), {"sort": "-created"}, ("title", "phone"),
                 "id")
TASKS = ListSpec("tasks", Permission.CONTRACT_READ, ("q",))
REP, BOSS, FAR = 1, 2, 3  # user ids: a rep below the boss's department, the boss, someone elsewhere


@dataclass(frozen=True)
class Note:
    id: int
    owner_id: int
    title: str
    phone: str
    done: bool = False


class Notes:
    """The made-up list's records; an actor sees the notes they own (its record scope)."""

    def __init__(self) -> None:
        self.rows: dict[int, Note] = {}
        self.lost: set[int] = set()  # notes someone else saves meanwhile: their update fails

    def add(self, owner_id: int, title: str, phone: str = "13812345678") -> int:
        note_id = len(self.rows) + 1
        self.rows[note_id] = Note(note_id, owner_id, title, phone)
        return note_id

    def visible(self, actor: Actor) -> list[Note]:
        return [n for n in sorted(self.rows.values(), key=lambda n: -n.id) if n.owner_id == actor.user_id]

    def read(self, request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
        """Batches of two (smaller than asked) after the cursor, so the export has to follow cursors."""
        rows = [n for n in self.visible(request.actor) if request.filters["text"] in n.title]
        start = int(request.after or 0)
        page = rows[start:start + 2]
        more = str(start + 2) if start + 2 < len(rows) else None
        return ExportBatch([[n.title, n.phone, request.labels["states"][str(n.done)]] for n in page], more)

    def load(self, ids: Sequence[int], actor: Actor, uow: UnitOfWork) -> list[Note]:
        return [self.rows[i] for i in ids if i in self.rows and self.rows[i].owner_id == actor.user_id]


@pytest.fixture
def notes() -> Notes:
    return Notes()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={10: None, 20: 10, 30: None})
    for name, department, role in (("rep", 20, "sales_rep"), ("boss", 10, "sales_manager"), ("far", 30, "sales_rep")):
        uow.users.add(a_user(username=name, department_id=department, roles=frozenset({role})))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int, fresh: bool = True) -> Actor:
    user = uow.users.get(user_id)
    assert user is not None
    return replace(an_actor(user), fresh=fresh)


class TestViewQueries:
    def test_keep_only_the_lists_parameters_without_defaults_in_its_order(self) -> None:
        pairs = [("sort", "-created"), ("status", "x"), ("after", "c"), ("q", " 华为 "), ("col", "id"),
                 ("col", "phone")]

        assert canonical_query(NOTES, pairs) == "q=%E5%8D%8E%E4%B8%BA&col=id&col=phone"
        assert canonical_query(TASKS, pairs) == "q=%E5%8D%8E%E4%B8%BA"
        assert canonical_query(NOTES, [("col", "id"), ("col", "title"), ("col", "phone")]) == ""
        assert columns_of(NOTES, ["phone", "title", "nonsense"]) == ("title", "phone")


class TestSavedViews:
    def test_views_of_one_list_never_appear_in_another(self, uow: FakeUnitOfWork) -> None:
        rep = actor(uow, REP)
        note_view = saved_views.save_view(NOTES, "Mine", "q=a", False, actor=rep, uow=uow, clock=FakeClock())
        saved_views.save_view(TASKS, "Team", "", True, actor=actor(uow, BOSS), uow=uow, clock=FakeClock())

        assert [v.name for v in saved_views.list_views(NOTES, actor=rep, uow=uow)] == ["Mine"]
        assert [v.name for v in saved_views.list_views(TASKS, actor=rep, uow=uow)] == ["Team"]
        with pytest.raises(NotFound):
            saved_views.get_view(TASKS, note_view.id or 0, actor=rep, uow=uow)
        with pytest.raises(NotFound):
            saved_views.rename_view(TASKS, note_view.id or 0, "Moved", actor=rep, uow=uow, clock=FakeClock())
        with pytest.raises(NotFound):
            saved_views.delete_view(TASKS, note_view.id or 0, actor=rep, uow=uow, clock=FakeClock())
        assert saved_views.get_view(NOTES, note_view.id or 0, actor=rep, uow=uow).name == "Mine"

    def test_need_the_lists_read_permission(self, uow: FakeUnitOfWork) -> None:
        employee = Actor(FAR, "far", "Far", frozenset({"employee"}), 30)

        with pytest.raises(PermissionDenied):
            saved_views.save_view(NOTES, "Mine", "", False, actor=employee, uow=uow, clock=FakeClock())
        with pytest.raises(PermissionDenied):
            saved_views.list_views(NOTES, actor=employee, uow=uow)
        assert uow.saved_views.rows == {}

    def test_are_audited_with_their_list_but_not_their_query(self, uow: FakeUnitOfWork) -> None:
        view = saved_views.save_view(NOTES, " Calls ", "q=13812345678", False, actor=actor(uow, REP), uow=uow,
                                     clock=FakeClock())
        renamed = saved_views.rename_view(NOTES, view.id or 0, "Phone calls", actor=actor(uow, REP), uow=uow,
                                          clock=FakeClock())

        created, rename = uow.audit.events
        assert created.after == {"list": "notes", "name": "Calls", "shared_department_id": None}
        assert (rename.before, rename.after, renamed.name) == ({"name": "Calls"}, {"name": "Phone calls"},
                                                               "Phone calls")


class TestExport:
    SPEC = ExportSpec(NOTES, "note", Permission.CUSTOMER_EXPORT,
                      (ExportColumn("title"), ExportColumn("phone", SensitiveKind.PHONE), ExportColumn("state")),
                      lambda query: {"text": str(query)}, lambda request, uow: ExportBatch([], None))
    LABELS = ExportLabels(["Title", "Phone", "State"], {"states": {"False": "open", "True": "done"}})

    @pytest.fixture(autouse=True)
    def handler(self, notes: Notes) -> Any:
        spec = replace(self.SPEC, read=notes.read)
        saved = dict(HANDLERS)
        register(spec.kind, export_handler(spec, {"csv": CsvFile()}))
        yield spec
        HANDLERS.clear()
        HANDLERS.update(saved)

    def export(self, spec: ExportSpec, owner: Actor, runner: Actor, uow: FakeUnitOfWork, files: FakeFileStore,
               text: str = "") -> tuple[JobStatus, list[list[str]]]:
        job = start_export(spec, text, "csv", self.LABELS, actor=owner, uow=uow, queue=FakeJobQueue(),
                           clock=FakeClock())
        status = run_job(job.id or 0, uow=lambda: uow, clock=FakeClock(), files=files, actor_of=lambda _: runner)
        result = uow.jobs.rows[job.id or 0].result
        data = files.get(result["file_id"]).decode("utf-8-sig") if "file_id" in result else ""
        return status, list(csv.reader(io.StringIO(data)))

    def test_follows_the_cursors_in_scope_masks_and_neutralises_cells_and_audits(
        self, handler: ExportSpec, notes: Notes, uow: FakeUnitOfWork
    ) -> None:
        boss = actor(uow, BOSS)  # may reveal customer contact data: the export masks all the same
        titles = ["=cmd|' /C calc'!A0", "+1", "plain", "@SUM(A1)", "-2"]
        for title in titles:
            notes.add(BOSS, title)
        notes.add(REP, "not the boss's")

        status, table = self.export(handler, boss, boss, uow, FakeFileStore())

        assert status is JobStatus.DONE and table[0] == ["Title", "Phone", "State"]
        assert [row[0] for row in table[1:]] == ["'-2", "'@SUM(A1)", "plain", "'+1", "'=cmd|' /C calc'!A0"]
        assert {row[1] for row in table[1:]} == {"138****5678"} and {row[2] for row in table[1:]} == {"open"}
        event = uow.audit.events[-1]
        assert (event.action, event.entity_type, event.after) == (
            "note.exported", "note", {"filters": {"text": ""}, "format": "csv", "rows": 5})

    def test_needs_the_permission_and_a_fresh_sign_in_to_start(self, handler: ExportSpec,
                                                               uow: FakeUnitOfWork) -> None:
        employee = Actor(FAR, "far", "Far", frozenset({"employee"}), 30, fresh=True)

        with pytest.raises(PermissionDenied):
            start_export(handler, "", "csv", self.LABELS, actor=employee, uow=uow, queue=FakeJobQueue(),
                         clock=FakeClock())
        with pytest.raises(ReauthenticationRequired):
            start_export(handler, "", "csv", self.LABELS, actor=actor(uow, REP, fresh=False), uow=uow,
                         queue=FakeJobQueue(), clock=FakeClock())
        with pytest.raises(ValidationFailed):
            start_export(handler, "", "pdf", self.LABELS, actor=actor(uow, REP), uow=uow, queue=FakeJobQueue(),
                         clock=FakeClock())
        assert uow.jobs.rows == {}

    def test_needs_the_lists_read_permission_besides_the_export_permission(self, handler: ExportSpec,
                                                                           uow: FakeUnitOfWork) -> None:
        exporter = Actor(REP, "rep", "Rep", frozenset(), 20, permissions=frozenset({Permission.CUSTOMER_EXPORT}),
                         scopes={}, fresh=True)

        with pytest.raises(PermissionDenied, match=r"contract\.read"):
            start_export(handler, "", "csv", self.LABELS, actor=exporter, uow=uow, queue=FakeJobQueue(),
                         clock=FakeClock())
        assert uow.jobs.rows == {}

    def test_runs_only_while_the_owner_still_holds_the_permission(
        self, handler: ExportSpec, notes: Notes, uow: FakeUnitOfWork
    ) -> None:
        notes.add(REP, "a note")
        demoted = Actor(REP, "rep", "Rep", frozenset({"employee"}), 20)

        status, table = self.export(handler, actor(uow, REP), demoted, uow, FakeFileStore())

        assert status is JobStatus.FAILED and table == []
        assert "note.exported" not in uow.audit.actions()


class TestBulk:
    @pytest.fixture
    def spec(self, notes: Notes) -> BulkSpec[Note]:
        def close(run: BulkRun, now: datetime) -> Apply[Note]:
            def one(note: Note) -> AuditEvent | None:
                if note.id in notes.lost:
                    return None
                notes.rows[note.id] = replace(note, done=True)
                return AuditEvent("note.closed", now, run.actor.user_id, run.actor.ip, "note", str(note.id))

            return one

        def open_ones(found: list[Note], run: BulkRun) -> list[Note]:
            if run.value not in ("", "now"):
                raise ValidationFailed({"when": "choice.invalid"})
            return [n for n in found if not n.done]

        return BulkSpec(NOTES, notes.load, (BulkAction("close", Permission.CUSTOMER_ARCHIVE, open_ones, close),))

    def test_preview_counts_and_apply_changes_in_one_transaction_with_one_audit_each(
        self, spec: BulkSpec[Note], notes: Notes, uow: FakeUnitOfWork
    ) -> None:
        boss = actor(uow, BOSS)
        mine = [notes.add(BOSS, "a"), notes.add(BOSS, "b"), notes.add(BOSS, "c")]
        foreign = notes.add(REP, "d")
        notes.rows[mine[2]] = replace(notes.rows[mine[2]], done=True)
        ids = [str(i) for i in [*mine, foreign, 99]]

        preview = bulk.preview_bulk(spec, "close", ids, "", actor=boss, uow=uow)
        done = bulk.apply_bulk(spec, "close", ids, "", actor=boss, uow=uow, clock=FakeClock())

        assert (preview.changed, preview.not_changed) == (2, 3) and done == preview
        assert uow.commits == 1 and not notes.rows[foreign].done
        assert sorted(e.entity_id or "" for e in uow.audit.events) == [str(mine[0]), str(mine[1])]

    def test_a_record_saved_meanwhile_is_left_and_counted(self, spec: BulkSpec[Note], notes: Notes,
                                                          uow: FakeUnitOfWork) -> None:
        first, second = notes.add(BOSS, "a"), notes.add(BOSS, "b")
        notes.lost.add(second)

        done = bulk.apply_bulk(spec, "close", [str(first), str(second)], "", actor=actor(uow, BOSS), uow=uow,
                               clock=FakeClock())

        assert (done.changed, done.not_changed) == (1, 1) and uow.audit.actions() == ["note.closed"]

    def test_permission_comes_first_then_the_selection_and_the_value(
        self, spec: BulkSpec[Note], notes: Notes, uow: FakeUnitOfWork
    ) -> None:
        mine = notes.add(REP, "a")

        with pytest.raises(PermissionDenied):
            bulk.apply_bulk(spec, "close", [], "", actor=actor(uow, REP), uow=uow, clock=FakeClock())
        with pytest.raises(NotFound):
            bulk.preview_bulk(spec, "explode", [str(mine)], "", actor=actor(uow, BOSS), uow=uow)
        with pytest.raises(ValidationFailed) as empty:
            bulk.preview_bulk(spec, "close", ["x"], "", actor=actor(uow, BOSS), uow=uow)
        with pytest.raises(ValidationFailed) as value:
            bulk.apply_bulk(spec, "close", [str(mine)], "later", actor=actor(uow, BOSS), uow=uow, clock=FakeClock())
        assert (empty.value.errors, value.value.errors) == ({"ids": "selection.empty"}, {"when": "choice.invalid"})
        assert uow.commits == 0 and not notes.rows[mine].done

