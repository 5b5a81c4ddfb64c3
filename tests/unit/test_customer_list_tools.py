"""Tags, saved views, selections and bulk actions with in-memory fakes."""

import pytest

from domain.customers import bulk, saved_views, services, tagging
from domain.customers.list_models import (
    MAX_SELECTION,
    BulkAction,
    SavedView,
    active_view,
    canonical_query,
    columns_of,
    selected_ids,
    tag_name,
)
from domain.shared.errors import NotFound, PermissionDenied, ValidationFailed
from tests.builders import NOW, a_user, an_actor, customer_form
from tests.fakes import FakeClock, FakeUnitOfWork

REP, OTHER, BOSS, FAR = 1, 2, 3, 4


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: 1, 3: None})
    uow.users.add(a_user(username="rep", department_id=2))
    uow.users.add(a_user(username="other", department_id=2))
    uow.users.add(a_user(username="boss", department_id=1, roles=frozenset({"sales_manager"})))
    uow.users.add(a_user(username="far", department_id=3))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int):  # type: ignore[no-untyped-def]
    user = uow.users.get(user_id)
    assert user is not None
    return an_actor(user)


def customer(uow: FakeUnitOfWork, owner: int, name: str) -> int:
    form = customer_form(owner_id=str(owner), name=name, credit_code="")
    made = services.register_customer(form, "", actor=actor(uow, owner), uow=uow, clock=FakeClock())
    return made.id or 0


class TestTagNames:
    @pytest.mark.parametrize(("raw", "stored"), [("  ＶＩＰ　客户 ", "VIP 客户"), ("a  b", "a b"), ("重点", "重点")])
    def test_are_trimmed_and_full_width_folded(self, raw: str, stored: str) -> None:
        assert tag_name(raw) == stored

    @pytest.mark.parametrize(("raw", "code"), [("   ", "required"), ("x" * 41, "too_long")])
    def test_must_have_1_to_40_characters(self, raw: str, code: str) -> None:
        with pytest.raises(ValidationFailed) as error:
            tag_name(raw)
        assert error.value.errors == {"tag": code}

    def test_differ_only_in_case_is_one_tag(self, uow: FakeUnitOfWork) -> None:
        first = customer(uow, REP, "A")
        tagging.add_tag(first, "VIP", actor=actor(uow, REP), uow=uow, clock=FakeClock())

        tags = tagging.add_tag(first, "ｖｉｐ", actor=actor(uow, REP), uow=uow, clock=FakeClock())

        assert [t.name for t in tags] == ["VIP"] and len(uow.tags.tags) == 1
        assert uow.audit.actions().count("customer.tagged") == 1


class TestViewQueries:
    def test_canonical_query_drops_cursors_defaults_and_unknown_keys_in_a_fixed_order(self) -> None:
        pairs = [("sort", "name"), ("after", "abc"), ("q", " 华为 "), ("evil", "1"), ("stage", "lead")]

        assert canonical_query(pairs) == "q=%E5%8D%8E%E4%B8%BA&stage=lead&sort=name"
        assert canonical_query([("sort", "-created"), ("col", "name"), *[("col", c) for c in columns_of(None)]]) == ""

    def test_column_choice_is_kept_only_when_it_differs_from_the_default(self) -> None:
        assert canonical_query([("col", "name"), ("col", "tags"), ("col", "region")]) == \
            "col=name&col=region&col=tags"
        assert columns_of(["name"]) == ()

    def test_active_view_is_the_one_with_the_same_query(self) -> None:
        views = [SavedView(1, REP, "Leads", "stage=lead", None, NOW), SavedView(2, REP, "Mine", "owner=1", None, NOW)]

        assert active_view(views, canonical_query([("owner", "1"), ("after", "x")])) == views[1]
        assert active_view(views, "") is None


class TestSelection:
    def test_ids_are_distinct_numbers_in_order(self) -> None:
        assert selected_ids(["3", "1", "3", "x", "-2"]) == (3, 1)

    @pytest.mark.parametrize(("raw", "code"), [([], "selection.empty"),
                                               ([str(i) for i in range(MAX_SELECTION + 1)], "selection.too_many")])
    def test_none_or_too_many_is_refused(self, raw: list[str], code: str) -> None:
        with pytest.raises(ValidationFailed) as error:
            selected_ids(raw)
        assert error.value.errors == {"ids": code}


class TestBulk:
    def test_changes_only_customers_in_scope_and_audits_each(self, uow: FakeUnitOfWork) -> None:
        mine = [customer(uow, REP, "A"), customer(uow, REP, "B")]
        foreign = customer(uow, FAR, "C")
        ids = [str(i) for i in [*mine, foreign, 999]]

        preview = bulk.preview_bulk(BulkAction.STAGE, ids, "prospect", actor=actor(uow, REP), uow=uow)
        done = bulk.apply_bulk(BulkAction.STAGE, ids, "prospect", actor=actor(uow, REP), uow=uow, clock=FakeClock())

        assert (preview.changed, preview.not_changed) == (2, 2) and done == preview
        assert {c: uow.customers.rows[c].fields.stage.value for c in [*mine, foreign]} == \
            {mine[0]: "prospect", mine[1]: "prospect", foreign: "lead"}
        updates = [e for e in uow.audit.events if e.action == "customer.updated"]
        assert sorted(str(e.entity_id) for e in updates) == sorted(str(c) for c in mine)
        assert updates[0].before == {"stage": "lead"} and updates[0].after == {"stage": "prospect"}

    def test_needs_the_actions_permission_before_anything_else(self, uow: FakeUnitOfWork) -> None:
        mine = customer(uow, REP, "A")

        with pytest.raises(PermissionDenied):
            bulk.apply_bulk(BulkAction.ARCHIVE, [str(mine)], "", actor=actor(uow, REP), uow=uow, clock=FakeClock())
        with pytest.raises(PermissionDenied):
            bulk.preview_bulk(BulkAction.ASSIGN, [], "", actor=actor(uow, REP), uow=uow)

        assert uow.customers.rows[mine].archived_at is None

    def test_assign_follows_the_owner_rules(self, uow: FakeUnitOfWork) -> None:
        ids = [str(customer(uow, REP, "A")), str(customer(uow, OTHER, "B"))]

        with pytest.raises(ValidationFailed):
            bulk.apply_bulk(BulkAction.ASSIGN, ids, str(FAR), actor=actor(uow, BOSS), uow=uow, clock=FakeClock())
        done = bulk.apply_bulk(BulkAction.ASSIGN, ids, str(OTHER), actor=actor(uow, BOSS), uow=uow, clock=FakeClock())

        assert (done.changed, done.not_changed) == (1, 1)
        assert {c.owner_id for c in uow.customers.rows.values()} == {OTHER}

    def test_tags_are_added_once_and_removed_where_present(self, uow: FakeUnitOfWork) -> None:
        ids = [str(customer(uow, REP, "A")), str(customer(uow, REP, "B"))]
        rep = actor(uow, REP)
        tagging.add_tag(int(ids[0]), "VIP", actor=rep, uow=uow, clock=FakeClock())

        added = bulk.apply_bulk(BulkAction.ADD_TAG, ids, "vip", actor=rep, uow=uow, clock=FakeClock())
        removed = bulk.apply_bulk(BulkAction.REMOVE_TAG, ids, "VIP", actor=rep, uow=uow, clock=FakeClock())

        assert (added.changed, removed.changed) == (1, 2) and uow.tags.links == set()
        with pytest.raises(ValidationFailed):
            bulk.apply_bulk(BulkAction.REMOVE_TAG, ids, "never used", actor=rep, uow=uow, clock=FakeClock())


class TestSavedViews:
    def test_private_views_are_their_owners_and_shared_ones_reach_the_department_subtree(
        self, uow: FakeUnitOfWork
    ) -> None:
        private = saved_views.save_view("Mine", "stage=lead", False, actor=actor(uow, REP), uow=uow, clock=FakeClock())
        shared = saved_views.save_view("Team", "tag=1", True, actor=actor(uow, BOSS), uow=uow, clock=FakeClock())

        assert saved_views.get_view(shared.id or 0, actor=actor(uow, REP), uow=uow) == shared
        with pytest.raises(NotFound):
            saved_views.get_view(private.id or 0, actor=actor(uow, OTHER), uow=uow)
        with pytest.raises(NotFound):
            saved_views.get_view(shared.id or 0, actor=actor(uow, FAR), uow=uow)
        with pytest.raises(NotFound):
            saved_views.delete_view(shared.id or 0, actor=actor(uow, REP), uow=uow, clock=FakeClock())
        assert uow.audit.actions() == ["saved_view.created", "saved_view.created"]
