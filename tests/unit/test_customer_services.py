import pytest

from domain.customers import services
from domain.customers.errors import CustomerArchived
from domain.shared.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from tests.builders import VALID_CODE, a_user, an_actor, customer_form
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: 1, 3: None})
    uow.users.add(a_user(username="rep", display_name="Rep", department_id=2))
    uow.users.add(a_user(username="other", display_name="Other rep", department_id=2))
    uow.users.add(a_user(username="boss", display_name="Manager", department_id=1, roles=frozenset({"sales_manager"})))
    uow.users.add(a_user(username="far", display_name="Far rep", department_id=3))
    uow.users.add(a_user(username="admin", roles=frozenset({"administrator"})))
    uow.users.add(a_user(username="auditor", roles=frozenset({"auditor"})))
    return uow


def actor(uow: FakeUnitOfWork, user_id: int):  # type: ignore[no-untyped-def]
    user = uow.users.get(user_id)
    assert user is not None
    return an_actor(user)


def create(uow: FakeUnitOfWork, user_id: int = 1, token: str = "t1", **fields: str):  # type: ignore[no-untyped-def]
    form = customer_form(owner_id=str(user_id)) | fields
    return services.register_customer(form, token, actor=actor(uow, user_id), uow=uow, clock=FakeClock())


class TestRegisterCustomer:
    def test_stores_normalised_fields_and_audits_in_the_same_transaction(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow, name="  上海华宏   科技有限公司 ", credit_code="91350100m000100y43")

        assert customer.name == "上海华宏 科技有限公司"
        assert customer.fields.credit_code == VALID_CODE
        assert customer.department_id == 2
        assert uow.audit.actions() == ["customer.created"]
        assert uow.audit.events[0].after == customer.fields.as_values() | {"phone": "138****5678",
                                                                          "email": "i***@example.cn"}
        assert uow.audit.events[0].ip == "127.0.0.1"

    def test_repeated_form_token_returns_the_first_customer(self, uow: FakeUnitOfWork) -> None:
        first = create(uow, token="same")
        again = create(uow, token="same", name="Another name")

        assert again.id == first.id
        assert len(uow.customers.rows) == 1
        assert uow.audit.actions() == ["customer.created"]

    def test_form_token_finds_the_customer_it_made_and_nothing_else(self, uow: FakeUnitOfWork) -> None:
        made = create(uow, token="tok")

        found = services.customer_by_form_token("tok", actor=actor(uow, 1), uow=uow)

        assert found is not None and found.id == made.id
        assert services.customer_by_form_token("other", actor=actor(uow, 1), uow=uow) is None

    def test_names_every_invalid_field_and_writes_nothing(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(ValidationFailed) as failure:
            create(uow, name="", credit_code="91350100M000100Y44", industry="mining", email="nope", phone="abc")

        assert failure.value.errors == {"name": "required", "credit_code": "credit_code.invalid",
                                        "industry": "choice.invalid", "email": "email.invalid",
                                        "phone": "phone.invalid"}
        assert not uow.customers.rows and not uow.committed

    def test_refuses_a_credit_code_already_registered(self, uow: FakeUnitOfWork) -> None:
        create(uow, token="a")

        with pytest.raises(ValidationFailed, match=r"credit_code\.taken"):
            create(uow, user_id=4, token="b")

    def test_rep_cannot_make_someone_else_owner(self, uow: FakeUnitOfWork) -> None:
        form = customer_form(owner_id="2")

        with pytest.raises(ValidationFailed, match=r"owner\.not_allowed"):
            services.register_customer(form, "t", actor=actor(uow, 1), uow=uow, clock=FakeClock())

    def test_manager_assigns_within_the_department_subtree_only(self, uow: FakeUnitOfWork) -> None:
        manager = actor(uow, 3)

        inside = services.register_customer(customer_form(owner_id="2"), "a", actor=manager, uow=uow,
                                            clock=FakeClock())
        with pytest.raises(ValidationFailed, match=r"owner\.not_allowed"):
            services.register_customer(customer_form(owner_id="4", credit_code=""), "b", actor=manager, uow=uow,
                                       clock=FakeClock())

        assert inside.owner_id == 2

    def test_auditor_may_not_create(self, uow: FakeUnitOfWork) -> None:
        with pytest.raises(PermissionDenied):
            services.register_customer(customer_form(owner_id="6"), "t", actor=actor(uow, 6), uow=uow,
                                       clock=FakeClock())


class TestScope:
    def test_rep_sees_own_customers_only(self, uow: FakeUnitOfWork) -> None:
        mine = create(uow, user_id=1, token="a", credit_code="")
        theirs = create(uow, user_id=2, token="b", credit_code="")

        assert services.get_customer(mine.id or 0, actor=actor(uow, 1), uow=uow).customer.id == mine.id
        with pytest.raises(NotFound):
            services.get_customer(theirs.id or 0, actor=actor(uow, 1), uow=uow)

    def test_manager_sees_the_department_subtree_but_not_other_departments(self, uow: FakeUnitOfWork) -> None:
        in_team = create(uow, user_id=2, token="a", credit_code="")
        elsewhere = create(uow, user_id=4, token="b", credit_code="")

        page = services.list_customers(services.CustomerListQuery(), actor=actor(uow, 3), uow=uow).page

        assert [c.id for c in page.items] == [in_team.id]
        assert elsewhere.id not in [c.id for c in page.items]


class TestUpdateCustomer:
    def test_saves_changes_bumps_the_version_and_audits_the_difference(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)

        updated = services.update_customer(customer.id or 0, customer_form(owner_id="1", stage="prospect"), 1,
                                           actor=actor(uow, 1), uow=uow, clock=FakeClock())

        assert updated.version == 2 and updated.fields.stage == "prospect"
        event = uow.audit.events[-1]
        assert (event.action, event.before, event.after) == ("customer.updated", {"stage": "lead"},
                                                              {"stage": "prospect"})

    def test_stale_version_is_refused_without_writing(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)
        services.update_customer(customer.id or 0, customer_form(owner_id="1", stage="prospect"), 1,
                                 actor=actor(uow, 1), uow=uow, clock=FakeClock())

        with pytest.raises(StaleVersion) as stale:
            services.update_customer(customer.id or 0, customer_form(owner_id="1", name="Overwrite"), 1,
                                     actor=actor(uow, 1), uow=uow, clock=FakeClock())

        assert stale.value.current_version == 2
        assert uow.customers.rows[customer.id or 0].name == "上海华宏科技有限公司"

    def test_unchanged_form_writes_nothing(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)

        same = services.update_customer(customer.id or 0, customer_form(owner_id="1"), 1, actor=actor(uow, 1),
                                        uow=uow, clock=FakeClock())

        assert same.version == 1 and uow.audit.actions() == ["customer.created"]

    def test_other_reps_customer_is_not_found(self, uow: FakeUnitOfWork) -> None:
        theirs = create(uow, user_id=2)

        with pytest.raises(NotFound):
            services.update_customer(theirs.id or 0, customer_form(owner_id="1"), 1, actor=actor(uow, 1), uow=uow,
                                     clock=FakeClock())


class TestArchiveAndFollowUps:
    def test_rep_may_not_archive(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)

        with pytest.raises(PermissionDenied):
            services.archive_customer(customer.id or 0, 1, actor=actor(uow, 1), uow=uow, clock=FakeClock())

    def test_archived_customer_leaves_the_list_and_cannot_be_edited(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)
        services.archive_customer(customer.id or 0, 1, actor=actor(uow, 5), uow=uow, clock=FakeClock())

        assert services.list_customers(services.CustomerListQuery(), actor=actor(uow, 5), uow=uow).page.items == []
        with pytest.raises(CustomerArchived):
            services.update_customer(customer.id or 0, customer_form(owner_id="1"), 2, actor=actor(uow, 5),
                                     uow=uow, clock=FakeClock())
        assert uow.audit.actions()[-1] == "customer.archived"

    def test_follow_up_is_added_newest_first_and_audited(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)
        clock = FakeClock()
        for content in ("first call", "second visit"):
            services.add_follow_up(customer.id or 0, {"kind": "call", "content": content,
                                                      "next_action_on": "2026-12-01"},
                                   actor=actor(uow, 1), uow=uow, clock=clock)
            clock.advance(minutes=5)

        detail = services.get_customer(customer.id or 0, actor=actor(uow, 1), uow=uow)

        assert [f.content for f in detail.follow_ups] == ["second visit", "first call"]
        assert uow.audit.actions()[-1] == "followup.created"

    def test_follow_up_validation_names_the_fields(self, uow: FakeUnitOfWork) -> None:
        customer = create(uow)

        with pytest.raises(ValidationFailed) as failure:
            services.add_follow_up(customer.id or 0, {"kind": "fax", "content": " ", "next_action_on": "2026-13-01"},
                                   actor=actor(uow, 1), uow=uow, clock=FakeClock())

        assert failure.value.errors == {"kind": "choice.invalid", "content": "required",
                                        "next_action_on": "date.invalid"}

    def test_owner_filter_lists_whose_customers_the_actor_sees(self, uow: FakeUnitOfWork) -> None:
        query = services.CustomerListQuery()

        def owners(user_id: int) -> set[int]:
            return {i for i, _ in services.list_customers(query, actor=actor(uow, user_id), uow=uow).owners}

        assert owners(1) == set()  # a rep sees only their own: no filter
        assert owners(3) == {1, 2, 3}  # the manager's department subtree
        assert owners(6) == {1, 2, 3, 4, 5, 6}  # the auditor sees all, though they may assign nobody

    def test_assignable_owners_follow_the_scope(self, uow: FakeUnitOfWork) -> None:
        assert services.assignable_owners(actor=actor(uow, 1), uow=uow) == [(1, "Rep")]
        assert {i for i, _ in services.assignable_owners(actor=actor(uow, 5), uow=uow)} == {1, 2, 3, 4, 5, 6}

