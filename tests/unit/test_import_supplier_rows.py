"""The supplier import target, with fakes: its headers, categories in zh and en, the supplier form's checks,
duplicates in the file and in the database (credit code and name key), updates by key, and what it writes."""

from datetime import UTC, datetime

import pytest

from domain.customers.credit_code import check_character
from domain.identity.models import Actor
from domain.imports.mapping import guess_mapping, header_key, mapping_errors, vocabulary_of
from domain.imports.models import ImportBatch, ImportMode
from domain.imports.rows import RowChecker
from domain.imports.suppliers import SUPPLIERS
from domain.suppliers.models import SupplierStatus
from domain.suppliers.services import register_supplier
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.supplier_builders import ACCOUNT, procurement_actor, supplier_form

MAPPING = ["name", "credit_code", "category", "region", "address", "payment_terms", "bank_name", "bank_account",
           "notes"]
LABELS_ZH = {"category": {"raw_materials": "原材料", "components": "零部件"}, "region": {"shanghai": "上海"}}
LABELS_EN = {"category": {"raw_materials": "Raw materials", "components": "Components and parts"},
             "region": {"shanghai": "Shanghai"}}


def code(n: int) -> str:
    body = f"91310000{n:09d}"
    return body + check_character(body)


def manager() -> Actor:
    return procurement_actor("procurement_manager")


def checker(mode: ImportMode = ImportMode.CREATE, labels: bool = True) -> RowChecker:  # type: ignore[type-arg]
    batch = ImportBatch(1, 1, "f", "s.csv", "csv", MAPPING, MAPPING, datetime(2026, 1, 1, tzinfo=UTC), mode=mode,
                        target="supplier")
    return RowChecker(batch, vocabulary_of(LABELS_ZH, LABELS_EN) if labels else {}, manager())


def row(name: str = "苏州精工机械有限公司", credit_code: str = "", category: str = "原材料", region: str = "上海",
        account: str = "") -> list[str]:
    return [name, credit_code, category, region, "苏州工业园区 1 号", "月结 30 天", "工商银行", account, "首批"]


def registered(uow: FakeUnitOfWork, **fields: str) -> int:
    supplier = register_supplier(supplier_form(**fields), "", confirmed=True, actor=manager(), uow=uow,
                                 clock=FakeClock())
    return supplier.id or 0


class TestHeaders:
    def test_supplier_columns_are_guessed_from_zh_and_en_names(self) -> None:
        zh = ["供应商名称", "统一社会信用代码", "类别", "地区", "地址", "付款条件", "开户行", "银行账号", "备注"]
        en = ["Vendor", "Credit code", "Category", "Region", "Address", "Payment terms", "Bank", "Bank account",
              "Remarks"]

        assert guess_mapping(zh, SUPPLIERS) == guess_mapping(en, SUPPLIERS) == MAPPING

    def test_customer_only_fields_are_not_supplier_fields(self) -> None:
        assert guess_mapping(["名称", "负责人", "行业"], SUPPLIERS) == ["name", "", ""]
        assert mapping_errors(["name", "owner"], 2, SUPPLIERS) == {"mapping": "mapping.invalid"}
        assert mapping_errors(["", "bank_account"], 2, SUPPLIERS) == {"mapping": "mapping.name_missing"}

    def test_the_same_header_is_remembered_apart_for_customers_and_suppliers(self) -> None:
        assert header_key(["名称", "地区"], SUPPLIERS) != header_key(["名称", "地区"])


class TestRows:
    def test_categories_and_regions_in_zh_and_en_become_codes(self) -> None:
        uow = FakeUnitOfWork()
        rows = [(2, row(name="甲公司", category="原材料")), (3, row(name="乙公司", category="Raw materials")),
                (4, row(name="丙公司", category=" components AND parts ", region="Shanghai"))]

        results = checker().check(rows, uow)

        assert [(r.fields.category, r.fields.region) for r in results if r.fields] == [
            ("raw_materials", "shanghai"), ("raw_materials", "shanghai"), ("components", "shanghai")]

    def test_common_category_words_work_without_translated_labels_and_empty_ones_become_other(self) -> None:
        uow = FakeUnitOfWork()
        rows = [(2, row(name="甲公司", category="原料", region="")),
                (3, row(name="乙公司", category="配件", region="shanghai")),
                (4, row(name="丙公司", category="", region="shanghai"))]

        results = checker(labels=False).check(rows, uow)

        assert [r.errors for r in results] == [{}, {}, {}]
        assert [(r.fields.category, r.fields.region) for r in results if r.fields] == [
            ("raw_materials", "other"), ("components", "shanghai"), ("other", "shanghai")]

    def test_the_supplier_form_checks_apply_to_every_row(self) -> None:
        uow = FakeUnitOfWork()
        bad_check = code(5)[:-1] + ("0" if code(5)[-1] != "0" else "1")
        rows = [(2, row(credit_code=bad_check)), (3, row(name="乙公司", category="太空")),
                (4, row(name="丙公司", account="12ab")), (5, row(name="")), (6, row(name="丁公司", region="火星"))]

        results = checker().check(rows, uow)

        assert [r.errors for r in results] == [
            {"credit_code": "credit_code.invalid"}, {"category": "choice.invalid"},
            {"bank_account": "bank_account.invalid"}, {"name": "required"}, {"region": "choice.invalid"}]

    def test_duplicates_in_the_file_by_credit_code_and_by_name_key(self) -> None:
        uow = FakeUnitOfWork()
        rows = [(2, row(name="上海华宏科技有限公司", credit_code=code(1))),
                (3, row(name="华宏科技（上海）有限公司", credit_code=code(2))),
                (4, row(name="另一家公司", credit_code=code(1)))]

        results = checker().check(rows, uow)

        assert [r.errors for r in results] == [
            {}, {"name": "import.duplicate_in_file"}, {"credit_code": "import.duplicate_in_file"}]

    def test_duplicates_in_the_database_by_credit_code_and_by_name_key(self) -> None:
        uow = FakeUnitOfWork()
        registered(uow, name="上海精密零件有限公司", credit_code=code(7))
        rows = [(2, row(name="新公司", credit_code=code(7))), (3, row(name="精密零件（上海）有限公司")),
                (4, row(name="全新公司", credit_code=code(8)))]

        results = checker().check(rows, uow)

        assert [r.errors for r in results] == [{"credit_code": "credit_code.taken"}, {"name": "import.name_taken"}, {}]
        assert results[2].target is None and results[2].fields is not None

    def test_update_by_credit_code_keeps_what_the_row_leaves_empty(self) -> None:
        uow = FakeUnitOfWork()
        old = registered(uow, name="上海精密零件有限公司", credit_code=code(7))

        [result] = checker(ImportMode.BY_CREDIT_CODE).check(
            [(2, ["", code(7), "设备", "", "", "货到付款", "", "", ""])], uow)

        assert result.errors == {} and result.target is not None and result.target.id == old
        assert result.fields is not None
        assert (result.fields.name, result.fields.category, result.fields.payment_terms) == \
            ("上海精密零件有限公司", "equipment", "货到付款")
        assert result.fields.bank_account == ACCOUNT and result.fields.address == supplier_form()["address"]

    def test_update_by_name_needs_the_exact_name(self) -> None:
        uow = FakeUnitOfWork()
        old = registered(uow, name="上海精密零件有限公司", credit_code=code(7))

        [exact] = checker(ImportMode.BY_NAME).check([(2, row(name="上海精密零件有限公司"))], uow)
        [similar] = checker(ImportMode.BY_NAME).check([(2, row(name="精密零件有限公司"))], uow)

        assert exact.errors == {} and exact.target is not None and exact.target.id == old
        assert similar.errors == {"name": "import.name_taken"}

    @pytest.mark.parametrize("mode", [ImportMode.CREATE, ImportMode.BY_NAME])
    def test_a_credit_code_of_another_supplier_stays_an_error_when_the_name_matches(self, mode: ImportMode) -> None:
        uow = FakeUnitOfWork()
        registered(uow, name="上海精密零件有限公司", credit_code=code(7))
        registered(uow, name="别的公司", credit_code=code(8))

        [result] = checker(mode).check([(2, row(name="上海精密零件有限公司", credit_code=code(8)))], uow)

        assert result.errors["credit_code"] == "credit_code.taken"


class TestWrites:
    def test_new_suppliers_are_pending_with_the_importer_as_creator(self) -> None:
        uow = FakeUnitOfWork()
        [result] = checker().check([(2, row(account="6222 0212 3456 7890"))], uow)

        [new_id] = SUPPLIERS.records.create([result], manager(), datetime(2026, 3, 1, tzinfo=UTC), uow)

        stored = uow.suppliers.rows[new_id]
        assert stored.status is SupplierStatus.PENDING and stored.created_by == manager().user_id
        assert stored.fields.bank_account == "6222 0212 3456 7890" and stored.form_token

    def test_undo_gives_an_updated_supplier_its_earlier_values(self) -> None:
        uow = FakeUnitOfWork()
        old = uow.suppliers.rows[registered(uow, credit_code=code(7))]
        [result] = checker(ImportMode.BY_CREDIT_CODE).check([(2, ["新名称有限公司", code(7), "", "", "", "", "", "",
                                                                  ""])], uow)
        now = datetime(2026, 3, 1, tzinfo=UTC)

        changed = SUPPLIERS.records.changed(result, now)
        assert changed is not None and changed.fields.name == "新名称有限公司" and changed.version == old.version + 1
        restored = SUPPLIERS.records.restored(changed, SUPPLIERS.records.before(old), now)

        assert restored is not None and restored.fields == old.fields and restored.status is old.status
        assert SUPPLIERS.records.changed(checker(ImportMode.BY_CREDIT_CODE).check(
            [(2, ["", code(7), "", "", "", "", "", "", ""])], uow)[0], now) is None  # nothing to change
