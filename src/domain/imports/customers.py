"""Customers as an import target: the customer form's validation plus owners (looked up by username or name,
then the form's assignment rule), record scope (only customers the importer sees are updated), and archived
customers left alone."""

import secrets
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.customers.models import Customer, CustomerFields, CustomerLevel, CustomerStage
from domain.customers.services import check_owner
from domain.customers.validation import customer_fields
from domain.identity.models import Actor
from domain.identity.permissions import Permission, Scope
from domain.imports.target import ImportTarget, RowResult
from domain.shared.errors import ValidationFailed
from domain.unit_of_work import UnitOfWork

Result = RowResult[Customer, CustomerFields]

SYNONYMS = {
    "name": ("名称", "客户名称", "公司名称", "企业名称", "客户", "单位名称", "name", "company", "companyname",
             "customer", "customername"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "unifiedsocialcreditcode", "uscc"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "region": ("地区", "区域", "省份", "所在地区", "region", "province", "area"),
    "stage": ("阶段", "客户阶段", "stage"),
    "owner": ("负责人", "客户负责人", "销售", "所有人", "owner", "salesrep", "accountowner"),
    "phone": ("电话", "手机", "手机号", "联系电话", "电话号码", "phone", "mobile", "tel", "telephone"),
    "email": ("邮箱", "电子邮件", "电子邮箱", "邮件", "email", "mail", "emailaddress"),
}


class CustomerRows:
    """Owners by username or display name (remembered across chunks) and the owner rule per owner."""

    def __init__(self, actor: Actor) -> None:
        self._actor = actor
        self._owners: dict[str, int | str] = {}  # owner cell → user id, or an error code
        self._departments: dict[int, int | ValidationFailed | None] = {}

    def prepare(self, values: list[dict[str, str]], uow: UnitOfWork) -> None:
        unknown = {v.get("owner", "") for v in values} - {""} - self._owners.keys()
        if not unknown:
            return
        found = uow.imports.users_named(unknown)
        for name in unknown:
            ids = sorted(set(found.get(name, [])))
            self._owners[name] = ids[0] if len(ids) == 1 else ("owner.ambiguous" if ids else "owner.unknown")

    def form_values(self, cells: dict[str, str], record: Customer | None, errors: dict[str, str]) -> dict[str, str]:
        if record is not None and record.archived_at:
            errors["name"] = "import.archived"
        base = {k: "" if v is None else str(v) for k, v in record.fields.as_values().items()} if record else \
            {"stage": "lead", "owner_id": str(self._actor.user_id)}
        if "owner" in cells:
            owner = self._owners.get(cells.pop("owner"), "owner.unknown")
            if isinstance(owner, str):
                errors["owner"] = owner
            else:
                cells["owner_id"] = str(owner)
        return base | cells

    def validate(self, raw: dict[str, str]) -> CustomerFields:
        try:
            return customer_fields(raw)
        except ValidationFailed as failed:
            raise ValidationFailed({"owner" if k == "owner_id" else k: c for k, c in failed.errors.items()}) from None

    def settle(self, result: Result, uow: UnitOfWork) -> None:
        assert result.fields is not None
        owner_id, target = result.fields.owner_id, result.target
        if target is not None and owner_id == target.owner_id:
            result.department_id = target.department_id
            return
        if owner_id not in self._departments:
            try:
                self._departments[owner_id] = check_owner(owner_id, self._actor, uow)
            except ValidationFailed as refused:
                self._departments[owner_id] = refused
        verdict = self._departments[owner_id]
        if isinstance(verdict, ValidationFailed):
            result.errors["owner"] = verdict.errors.get("owner_id", "owner.not_allowed")
            result.fields = None
        else:
            result.department_id = verdict


class CustomerRecords:
    def get_many(self, ids: list[int], actor: Actor, uow: UnitOfWork) -> dict[int, Customer]:
        return uow.customers.get_many(ids, actor)

    def create(self, results: list[Result], actor: Actor, now: datetime, uow: UnitOfWork) -> list[int]:
        # Random form tokens: add_many finds the new ids by them, and the create form's double-submit check
        # (which returns the customer holding a token, in any scope) can never be pointed at them.
        return uow.customers.add_many([Customer(None, r.fields, r.department_id, now, now, actor.user_id,
                                                form_token=secrets.token_urlsafe(18)) for r in results if r.fields])

    def changed(self, result: Result, now: datetime) -> Customer | None:
        old = result.target
        assert old is not None and result.fields is not None
        if result.fields == old.fields and result.department_id == old.department_id:
            return None
        return replace(old, fields=result.fields, department_id=result.department_id, updated_at=now,
                       version=old.version + 1)

    def update_many(self, records: list[Customer], uow: UnitOfWork) -> int:
        return uow.customers.update_many(records, [c.version - 1 for c in records])

    def before(self, record: Customer) -> dict[str, Any]:
        return record.fields.as_values() | {"department_id": record.department_id}

    def restored(self, record: Customer, before: dict[str, Any], now: datetime) -> Customer | None:
        if record.archived_at:
            return None
        values = {k: v for k, v in before.items() if k != "department_id"}
        level = values.get("level")
        fields = CustomerFields(**(values | {"stage": CustomerStage(values["stage"]),
                                             "level": CustomerLevel(level) if level else None}))
        return replace(record, fields=fields, department_id=before["department_id"], updated_at=now,
                       version=record.version + 1)


def _sees_every_customer(actor: Actor) -> bool:
    """Administrators (everyone's customers in scope) may act on others' batches, e.g. undo a colleague's."""
    return actor.scope("customer") is Scope.ALL


CUSTOMERS: ImportTarget[Customer, CustomerFields] = ImportTarget(
    key="customer", permission=Permission.CUSTOMER_IMPORT, fields=tuple(SYNONYMS), synonyms=SYNONYMS,
    choices=("industry", "region", "stage"), name_key=lambda name: name, oversees=_sees_every_customer,
    rules=CustomerRows, records=CustomerRecords())
