"""Row checks of an import: the customer form's validation plus in-file duplicates, database duplicates,
owner look-up and the owner rule, and (when updating by key) which customer a row updates.

The dry run and the commit run the same checks in the same file order, so the commit writes exactly
the rows the dry run called valid, unless the database changed in between (then the commit's verdict wins).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.customers.credit_code import normalise_credit_code
from domain.customers.models import Customer, CustomerFields
from domain.customers.services import check_owner
from domain.customers.validation import customer_fields
from domain.identity.models import Actor
from domain.imports.mapping import normalise_label
from domain.imports.models import ImportBatch, ImportMode
from domain.shared.errors import ValidationFailed
from domain.unit_of_work import UnitOfWork

CHOICES = ("industry", "region", "stage")
Rows = list[tuple[int, list[str]]]


@dataclass
class RowResult:
    row: int
    fields: CustomerFields | None = None
    department_id: int | None = None
    target: Customer | None = None  # the customer this row updates; None creates one
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class _Lookups:
    by_code: dict[str, tuple[int, bool]]
    by_name: dict[str, list[tuple[int, bool]]]
    customers: dict[int, Customer]


class RowChecker:
    """Checks rows chunk by chunk in file order; remembers earlier rows' keys and owner verdicts."""

    def __init__(self, batch: ImportBatch, vocabulary: Mapping[str, Mapping[str, str]], actor: Actor) -> None:
        self._batch, self._vocabulary, self._actor = batch, vocabulary, actor
        self._seen_codes: set[str] = set()
        self._seen_names: set[str] = set()
        self._owners: dict[str, int | str] = {}  # owner cell → user id, or an error code
        self._departments: dict[int, int | ValidationFailed | None] = {}

    def check(self, rows: Rows, uow: UnitOfWork) -> list[RowResult]:
        """Verdicts for one chunk of rows (call inside `with uow`)."""
        values = [(row, self._values(cells)) for row, cells in rows]
        self._resolve_owners({v.get("owner", "") for _, v in values} - {""}, uow)
        lookups = self._lookups(values, uow)
        return [self._check_row(row, v, lookups, uow) for row, v in values]

    def _values(self, cells: list[str]) -> dict[str, str]:
        mapping = self._batch.mapping
        values = {name: cells[i].strip() for i, name in enumerate(mapping) if name and i < len(cells)}
        values["name"] = " ".join(values.get("name", "").split())
        values["credit_code"] = normalise_credit_code(values.get("credit_code", ""))
        return values

    def _resolve_owners(self, names: set[str], uow: UnitOfWork) -> None:
        unknown = names - self._owners.keys()
        if not unknown:
            return
        found = uow.imports.users_named(unknown)
        for name in unknown:
            ids = sorted(set(found.get(name, [])))
            self._owners[name] = ids[0] if len(ids) == 1 else ("owner.ambiguous" if ids else "owner.unknown")

    def _lookups(self, values: list[tuple[int, dict[str, str]]], uow: UnitOfWork) -> _Lookups:
        codes = {v["credit_code"] for _, v in values if v["credit_code"]}
        names = {v["name"] for _, v in values if v["name"]}
        by_code = uow.imports.by_credit_code(codes, self._actor) if codes else {}
        by_name = uow.imports.by_name(names, self._actor) if names else {}
        wanted = {self._match(v, by_code, by_name)[0] for _, v in values} - {None}
        customers = uow.customers.get_many(sorted(i for i in wanted if i is not None), self._actor)
        return _Lookups(by_code, by_name, customers)

    def _match(self, values: Mapping[str, str], by_code: Mapping[str, tuple[int, bool]],
               by_name: Mapping[str, list[tuple[int, bool]]]) -> tuple[int | None, dict[str, str]]:
        """(id of the customer the row updates, errors of the key) under the batch's mode."""
        mode = self._batch.mode
        if mode is ImportMode.BY_CREDIT_CODE and values["credit_code"] in by_code:
            found, visible = by_code[values["credit_code"]]
            return (found, {}) if visible else (None, {"credit_code": "import.out_of_scope"})
        if mode is ImportMode.BY_NAME and values["name"] in by_name:
            matches = by_name[values["name"]]
            if len(matches) > 1:
                return None, {"name": "import.name_ambiguous"}
            found, visible = matches[0]
            return (found, {}) if visible else (None, {"name": "import.out_of_scope"})
        return None, {}

    def _check_row(self, row: int, values: dict[str, str], found: _Lookups, uow: UnitOfWork) -> RowResult:
        target_id, errors = self._match(values, found.by_code, found.by_name)
        target = found.customers.get(target_id) if target_id is not None else None
        if target_id is not None and (target is None or target.archived_at):
            errors["name"] = "import.archived" if target else "import.out_of_scope"
        result = RowResult(row, target=target, errors=errors)
        raw = self._raw(values, target, errors)
        self._duplicates(values, target, found, errors)
        if errors:
            return result
        try:
            result.fields = customer_fields(raw)
        except ValidationFailed as failed:
            errors.update({"owner" if k == "owner_id" else k: code for k, code in failed.errors.items()})
            return result
        self._owner_rule(result, uow)
        return result

    def _raw(self, values: Mapping[str, str], target: Customer | None, errors: dict[str, str]) -> dict[str, str]:
        """The form values of the row: the target's current values (or defaults) overlaid with non-empty cells."""
        base = {k: "" if v is None else str(v) for k, v in target.fields.as_values().items()} if target else \
            {"stage": "lead", "owner_id": str(self._actor.user_id)}
        cells = {k: v for k, v in values.items() if v}
        for choice in CHOICES:
            if choice in cells:
                cells[choice] = self._vocabulary.get(choice, {}).get(normalise_label(cells[choice]), cells[choice])
        if "owner" in cells:
            owner = self._owners.get(cells.pop("owner"), "owner.unknown")
            if isinstance(owner, str):
                errors["owner"] = owner
            else:
                cells["owner_id"] = str(owner)
        return base | cells

    def _duplicates(self, values: Mapping[str, str], target: Customer | None, found: _Lookups,
                    errors: dict[str, str]) -> None:
        code, name = values["credit_code"], values["name"]
        if code and code in self._seen_codes:
            errors.setdefault("credit_code", "import.duplicate_in_file")
        elif code and code in found.by_code and (target is None or found.by_code[code][0] != target.id):
            errors.setdefault("credit_code", "credit_code.taken")
        if name and name in self._seen_names:
            errors.setdefault("name", "import.duplicate_in_file")
        elif name and target is None and name in found.by_name:
            errors.setdefault("name", "import.name_taken")
        self._seen_codes.update({code} - {""})
        self._seen_names.update({name} - {""})

    def _owner_rule(self, result: RowResult, uow: UnitOfWork) -> None:
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
