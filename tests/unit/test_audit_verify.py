"""Audit chain verification and the audit screen's services, on the in-memory fakes."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.audit import services
from domain.audit.models import AuditEvent, AuditQuery, ChainHead, diff
from domain.audit.verify import Break, verify_chain
from domain.shared.errors import PermissionDenied, ReauthenticationRequired
from tests.builders import NOW, a_user, an_actor
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for n in range(7):
        uow.audit.append(AuditEvent("customer.updated" if n % 2 else "login.succeeded", NOW + timedelta(days=n),
                                    actor_id=1 + n % 2, entity_type="customer", entity_id=str(n),
                                    before={"stage": "lead"}, after={"stage": "customer"}))
    return uow


class TestVerifyChain:
    def test_an_untouched_chain_is_intact(self, uow: FakeUnitOfWork) -> None:
        report = verify_chain(uow=uow, batch=3)

        assert report.intact and report.records == 7 and report.last_hash == uow.audit.head_row.hash

    def test_an_empty_chain_is_intact(self) -> None:
        assert verify_chain(uow=FakeUnitOfWork()).intact

    def test_an_edited_value_is_reported_at_that_record(self, uow: FakeUnitOfWork) -> None:
        third = uow.audit.records[2]
        uow.audit.records[2] = replace(third, event=replace(third.event, after={"stage": "lost"}))

        problem = verify_chain(uow=uow, batch=2).problem

        assert problem and (problem.kind, problem.seq, problem.record_id) == (Break.EDITED, 3, third.id)

    def test_a_deleted_middle_record_is_reported_missing(self, uow: FakeUnitOfWork) -> None:
        del uow.audit.records[3]

        problem = verify_chain(uow=uow).problem

        assert problem and (problem.kind, problem.seq) == (Break.MISSING, 4)

    def test_a_deleted_last_record_is_caught_by_the_head(self, uow: FakeUnitOfWork) -> None:
        del uow.audit.records[-1]

        problem = verify_chain(uow=uow).problem

        assert problem and (problem.kind, problem.seq) == (Break.TAIL_MISSING, 7)

    def test_swapped_records_do_not_link(self, uow: FakeUnitOfWork) -> None:
        a, b = uow.audit.records[1], uow.audit.records[2]
        uow.audit.records[1], uow.audit.records[2] = replace(b, seq=2), replace(a, seq=3)

        problem = verify_chain(uow=uow).problem

        assert problem and (problem.kind, problem.seq, problem.record_id) == (Break.UNLINKED, 2, b.id)

    def test_a_rewritten_head_is_reported(self, uow: FakeUnitOfWork) -> None:
        uow.audit.head_row = ChainHead(7, "f" * 64)

        problem = verify_chain(uow=uow).problem

        assert problem and problem.kind is Break.HEAD_MISMATCH


def _actor(roles: set[str], fresh: bool = True):  # type: ignore[no-untyped-def]
    return replace(an_actor(a_user(id=9, roles=frozenset(roles))), fresh=fresh)


class TestAuditScreen:
    def test_filters_by_actor_action_family_and_utc_days(self, uow: FakeUnitOfWork) -> None:
        query = AuditQuery(actor_id=2, action="customer.*", date_from=date(2026, 11, 26), date_to=date(2026, 11, 28))

        page = services.list_events(query, actor=_actor({"auditor"}), uow=uow).page

        assert [r.event.entity_id for r in page.items] == ["3", "1"]

    def test_pages_newest_first(self, uow: FakeUnitOfWork) -> None:
        first = services.list_events(AuditQuery(per_page=4), actor=_actor({"auditor"}), uow=uow).page
        second = services.list_events(AuditQuery(per_page=4, after=first.next_cursor), actor=_actor({"auditor"}),
                                      uow=uow).page

        assert [r.seq for r in first.items + second.items] == [7, 6, 5, 4, 3, 2, 1]

    def test_reading_needs_audit_read(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(PermissionDenied):
            services.list_events(AuditQuery(), actor=_actor({"sales_rep"}), uow=uow)
        with pytest.raises(PermissionDenied):
            services.get_event(1, actor=_actor({"finance"}), uow=uow)

    def test_export_needs_step_up_and_is_audited(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ReauthenticationRequired):
            services.export_events(AuditQuery(), actor=_actor({"auditor"}, fresh=False), uow=uow, clock=FakeClock())
        assert uow.audit.actions().count("audit.exported") == 0

        export = services.export_events(AuditQuery(action="login.*"), actor=_actor({"auditor"}), uow=uow,
                                        clock=FakeClock())

        assert len(export.records) == 4 and not export.truncated and uow.committed
        last = uow.audit.events[-1]
        assert last.action == "audit.exported" and last.after == {"filters": {"action": "login.*"}, "rows": 4,
                                                                  "truncated": False}


def test_diff_marks_changed_fields_and_keeps_unchanged_ones() -> None:
    rows = diff({"stage": "lead", "owner_id": 3}, {"stage": "customer", "owner_id": 3, "phone": "138"})

    assert [(r.field, r.before, r.after, r.changed) for r in rows] == [
        ("stage", "lead", "customer", True), ("owner_id", "3", "3", False), ("phone", "", "138", True)]


def test_query_days_are_utc_and_inclusive() -> None:
    query = AuditQuery(date_from=date(2026, 1, 1), date_to=date(2026, 1, 1))

    assert (query.since, query.until) == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
