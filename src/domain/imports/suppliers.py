"""Suppliers as an import target: the supplier form's validation (supplier_fields), names compared by their
duplicate-check key, and new suppliers always pending (qualifying one is a separate, audited decision).

Category and region may be left empty: new suppliers then get "other". Bank accounts are sealed like the
form's (the repository seals them), and the undo record keeps an updated supplier's earlier account sealed too.
"""

import secrets
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from domain.customers.names import name_key
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.imports.target import ImportTarget, RowResult
from domain.suppliers.models import Supplier, SupplierFields, SupplierStatus
from domain.suppliers.validation import supplier_fields
from domain.unit_of_work import UnitOfWork

Result = RowResult[Supplier, SupplierFields]

_NAMES = ("名称", "供应商名称", "供应商", "公司名称", "企业名称", "单位名称", "厂商", "name", "supplier",
          "suppliername", "vendor", "vendorname", "company", "companyname")
SYNONYMS = {
    "name": _NAMES,
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "unifiedsocialcreditcode", "uscc"),
    "category": ("类别", "分类", "供应商类别", "供应商分类", "品类", "采购类别", "category", "suppliercategory"),
    "region": ("地区", "区域", "省份", "所在地区", "region", "province", "area"),
    "address": ("地址", "公司地址", "注册地址", "联系地址", "详细地址", "address"),
    "payment_terms": ("付款条件", "付款方式", "结算方式", "账期", "付款条款", "paymentterms", "terms", "payment"),
    "notes": ("备注", "说明", "notes", "note", "remarks", "comments"),
    "bank_name": ("开户行", "开户银行", "银行", "银行名称", "bank", "bankname"),
    "bank_account": ("银行账号", "银行帐号", "账号", "帐号", "银行账户", "对公账户", "bankaccount", "accountnumber",
                     "account", "iban"),
}
# Besides the translated labels: words people use for the categories in spreadsheets (normalised, see mapping).
CATEGORY_WORDS = {
    "raw_materials": ("原材料", "原料", "rawmaterials", "rawmaterial"),
    "components": ("零部件", "零件", "配件", "部件", "components", "parts", "componentsandparts"),
    "equipment": ("设备", "机械设备", "equipment", "machinery"),
    "it_software": ("it", "软件", "信息技术", "it与软件", "it和软件", "itandsoftware", "software"),
    "services": ("服务", "service", "services"),
    "logistics": ("物流", "运输", "logistics", "transport"),
    "office_supplies": ("办公用品", "officesupplies"),
    "construction": ("工程", "建筑", "建筑工程", "施工", "construction"),
    "other": ("其他", "其它", "other"),
}
_DEFAULTS = {"category": "other", "region": "other"}


class SupplierRows:
    """Suppliers have no row rules beyond the form's and the shared duplicate checks."""

    def __init__(self, actor: Actor) -> None:
        self._actor = actor

    def prepare(self, values: list[dict[str, str]], uow: UnitOfWork) -> None:
        pass

    def form_values(self, cells: dict[str, str], record: Supplier | None, errors: dict[str, str]) -> dict[str, str]:
        base = {k: "" if v is None else str(v) for k, v in record.fields.as_values().items()} if record else _DEFAULTS
        return base | cells

    def validate(self, raw: dict[str, str]) -> SupplierFields:
        return supplier_fields(raw)

    def settle(self, result: Result, uow: UnitOfWork) -> None:
        pass


class SupplierRecords:
    def get_many(self, ids: list[int], actor: Actor, uow: UnitOfWork) -> dict[int, Supplier]:
        return uow.suppliers.get_many(ids)

    def create(self, results: list[Result], actor: Actor, now: datetime, uow: UnitOfWork) -> list[int]:
        # Random form tokens: add_many finds the new ids by them; the create form's double-submit check only
        # returns suppliers whose token its own submitter sent.
        return uow.suppliers.add_many([Supplier(None, r.fields, SupplierStatus.PENDING, actor.user_id, now, now,
                                                form_token=secrets.token_urlsafe(18)) for r in results if r.fields])

    def changed(self, result: Result, now: datetime) -> Supplier | None:
        old = result.target
        assert old is not None and result.fields is not None
        if result.fields == old.fields:
            return None
        return replace(old, fields=result.fields, updated_at=now, version=old.version + 1)

    def update_many(self, records: list[Supplier], uow: UnitOfWork) -> int:
        return uow.suppliers.update_many(records, [s.version - 1 for s in records])

    def before(self, record: Supplier) -> dict[str, Any]:
        return record.fields.as_values()

    def restored(self, record: Supplier, before: dict[str, Any], now: datetime) -> Supplier | None:
        return replace(record, fields=SupplierFields(**before), updated_at=now, version=record.version + 1)


def _oversees(actor: Actor) -> bool:
    """Besides the uploader: importers who may also see bank accounts in clear (a batch's files hold them)."""
    return actor.can(Permission.SUPPLIER_IMPORT) and actor.can(Permission.SUPPLIER_REVEAL)


SUPPLIERS: ImportTarget[Supplier, SupplierFields] = ImportTarget(
    key="supplier", permission=Permission.SUPPLIER_IMPORT, fields=tuple(SYNONYMS), synonyms=SYNONYMS,
    choices=("category", "region"), name_key=lru_cache(maxsize=4096)(name_key), oversees=_oversees, rules=SupplierRows,
    records=SupplierRecords(), words={"category": {word: code for code, words in CATEGORY_WORDS.items()
                                                   for word in words}},
    guarded_error_file=True)
