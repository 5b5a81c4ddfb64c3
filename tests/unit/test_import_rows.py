"""Import mapping and row checks, with fakes: header guessing, label parsing, duplicates, owners, keys."""

from datetime import UTC, datetime

import pytest

from domain.customers.credit_code import check_character
from domain.identity.models import Actor
from domain.imports.mapping import guess_mapping, header_key, mapping_errors, normalise_label, vocabulary_of
from domain.imports.models import ImportBatch, ImportMode
from domain.imports.rows import RowChecker
from tests.builders import VALID_CODE, a_user, an_actor, customer_form
from tests.fakes import FakeClock, FakeUnitOfWork

LABELS_ZH = {"industry": {"technology": "科技", "retail": "零售"}, "region": {"shanghai": "上海", "hong_kong": "香港"},
             "stage": {"lead": "线索", "prospect": "潜在客户"}}
LABELS_EN = {"industry": {"technology": "Technology", "retail": "Retail"},
             "region": {"shanghai": "Shanghai", "hong_kong": "Hong Kong"},
             "stage": {"lead": "Lead", "prospect": "Prospect"}}
MAPPING = ["name", "credit_code", "industry", "region", "stage", "owner", "phone", "email"]


class TestHeaders:
    @pytest.mark.parametrize(("header", "expected"), [
        (["客户名称", "统一社会信用代码", "行业", "区域", "阶段", "负责人", "手机", "邮箱"], MAPPING),
        (["Company", "Credit code", "INDUSTRY", "Region", "stage", "Owner", "Phone", "E-mail"], MAPPING),
        (["公司名称 *", "信用代码（必填）", "地区", "电话", "Ｅｍａｉｌ"], ["name", "", "region", "phone", "email"]),
        (["名称", "Name", "备注", ""], ["name", "", "", ""]),
    ])
    def test_guessed_from_zh_and_en_names_and_synonyms(self, header: list[str], expected: list[str]) -> None:
        assert guess_mapping(header) == expected

    def test_normalising_ignores_case_width_spaces_and_punctuation(self) -> None:
        assert normalise_label(" Ｅ-mail：") == normalise_label("e mail") == "email"

    def test_header_key_is_stable_across_spelling_variants(self) -> None:
        assert header_key(["Name", "E-mail"]) == header_key(["name ", "EMAIL"]) != header_key(["EMAIL", "Name"])

    @pytest.mark.parametrize(("mapping", "code"), [
        (["name", "name"], "mapping.twice"), (["", "phone"], "mapping.name_missing"),
        (["name", "salary"], "mapping.invalid"), (["name"], "mapping.invalid"),
    ])
    def test_unusable_mappings_are_refused(self, mapping: list[str], code: str) -> None:
        assert mapping_errors(mapping, 2) == {"mapping": code}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(departments={1: None, 2: None})
    uow.users.add(a_user(username="boss", display_name="王经理", department_id=1, roles=frozenset({"sales_manager"})))
    uow.users.add(a_user(username="rep", display_name="李雷", department_id=1))
    uow.users.add(a_user(username="far", display_name="李雷", department_id=2))
    return uow


def manager(uow: FakeUnitOfWork) -> Actor:
    user = uow.users.get(1)
    assert user is not None
    return an_actor(user)


def checker(uow: FakeUnitOfWork, mode: ImportMode = ImportMode.CREATE) -> RowChecker:
    batch = ImportBatch(1, 1, "f", "a.csv", "csv", MAPPING, MAPPING, datetime(2026, 1, 1, tzinfo=UTC), mode=mode)
    return RowChecker(batch, vocabulary_of(LABELS_ZH, LABELS_EN), manager(uow))


def row(name: str = "上海华宏科技有限公司", code: str = VALID_CODE, industry: str = "科技", region: str = "Hong Kong",
        stage: str = "潜在客户", owner: str = "", phone: str = "138 1234 5678", email: str = "") -> list[str]:
    return [name, code, industry, region, stage, owner, phone, email]


def code(n: int) -> str:
    body = f"91310000{n:09d}"
    return body + check_character(body)


class TestRows:
    def test_zh_and_en_labels_become_codes_and_the_owner_defaults_to_the_importer(self, uow: FakeUnitOfWork) -> None:
        [result] = checker(uow).check([(2, row(code=" 91350100m000100y43 "))], uow)

        assert result.errors == {}
        assert result.fields is not None
        assert (result.fields.industry, result.fields.region, result.fields.stage) == \
            ("technology", "hong_kong", "prospect")
        assert (result.fields.owner_id, result.fields.credit_code, result.department_id) == (1, VALID_CODE, 1)

    def test_owner_by_username_display_name_and_the_assignment_rule(self, uow: FakeUnitOfWork) -> None:
        owners = ["rep", "王经理", "李雷", "far", "nobody"]
        results = checker(uow).check([(i, row(name=f"N{i}", code="", owner=o)) for i, o in enumerate(owners, 2)], uow)

        assert [r.fields.owner_id if r.fields else r.errors for r in results] == [
            2, 1, {"owner": "owner.ambiguous"}, {"owner": "owner.not_allowed"}, {"owner": "owner.unknown"}]

    def test_duplicates_in_the_file_and_in_the_database(self, uow: FakeUnitOfWork) -> None:
        from domain.customers.services import register_customer

        register_customer(customer_form(owner_id="1", name="老客户", credit_code=code(7)), "", actor=manager(uow),
                          uow=uow, clock=FakeClock())
        results = checker(uow).check([(2, row(name="X", code=code(1))), (3, row(name="X", code=code(1))),
                                      (4, row(name="老客户", code="")), (5, row(name="Y", code=code(7)))], uow)

        assert [r.errors for r in results] == [
            {}, {"credit_code": "import.duplicate_in_file", "name": "import.duplicate_in_file"},
            {"name": "import.name_taken"}, {"credit_code": "credit_code.taken"}]

    def test_update_by_credit_code_keeps_what_the_row_leaves_empty(self, uow: FakeUnitOfWork) -> None:
        from domain.customers.services import register_customer

        old = register_customer(customer_form(owner_id="1", name="老客户", credit_code=code(7)), "",
                                actor=manager(uow), uow=uow, clock=FakeClock())
        [result] = checker(uow, ImportMode.BY_CREDIT_CODE).check(
            [(2, ["", code(7), "", "", "线索", "", "", "new@example.cn"])], uow)

        assert result.target is not None and result.target.id == old.id
        assert result.fields is not None
        assert result.fields.name == "老客户" and result.fields.phone == old.fields.phone
        assert result.fields.email == "new@example.cn"

    def test_form_validation_errors_are_reported_per_field(self, uow: FakeUnitOfWork) -> None:
        [result] = checker(uow).check([(2, row(code="91350100M000100Y44", industry="太空", email="x@"))], uow)

        assert result.errors == {"credit_code": "credit_code.invalid", "industry": "choice.invalid",
                                 "email": "email.invalid"}
