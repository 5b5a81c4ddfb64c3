"""Row checks of an import: the target's form validation plus in-file duplicates, database duplicates, the
target's own rules (customers: owners), and (when updating by key) which record a row updates.

The dry run and the commit run the same checks in the same file order, so the commit writes exactly
the rows the dry run called valid, unless the database changed in between (then the commit's verdict wins).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic

from domain.customers.credit_code import normalise_credit_code
from domain.identity.models import Actor
from domain.imports.mapping import normalise_label
from domain.imports.models import Holder, ImportBatch, ImportMode
from domain.imports.target import F, R, RowResult
from domain.imports.targets import TARGETS
from domain.shared.errors import ValidationFailed
from domain.unit_of_work import UnitOfWork

Rows = list[tuple[int, list[str]]]
__all__ = ["RowChecker", "RowResult", "Rows"]


@dataclass
class _Lookups(Generic[R]):
    by_code: dict[str, Holder]
    by_key: dict[str, list[Holder]]
    records: dict[int, R]


class RowChecker(Generic[R, F]):
    """Checks rows chunk by chunk in file order; remembers earlier rows' keys (and the target's look-ups)."""

    def __init__(self, batch: ImportBatch, vocabulary: Mapping[str, Mapping[str, str]], actor: Actor) -> None:
        self._batch, self._actor, self._target = batch, actor, TARGETS[batch.target]
        self._vocabulary = _merged(vocabulary, self._target.words)
        self._rules = self._target.rules(actor)
        self._seen_codes: set[str] = set()
        self._seen_keys: set[str] = set()

    def check(self, rows: Rows, uow: UnitOfWork) -> list[RowResult[R, F]]:
        """Verdicts for one chunk of rows (call inside `with uow`)."""
        values = [(row, self._values(cells)) for row, cells in rows]
        self._rules.prepare([v for _, v in values], uow)
        lookups = self._lookups(values, uow)
        return [self._check_row(row, v, lookups, uow) for row, v in values]

    def _values(self, cells: list[str]) -> dict[str, str]:
        mapping = self._batch.mapping
        values = {name: cells[i].strip() for i, name in enumerate(mapping) if name and i < len(cells)}
        values["name"] = " ".join(values.get("name", "").split())
        values["credit_code"] = normalise_credit_code(values.get("credit_code", ""))
        return values

    def _lookups(self, values: list[tuple[int, dict[str, str]]], uow: UnitOfWork) -> _Lookups[R]:
        key = self._target.name_key
        codes = {v["credit_code"] for _, v in values if v["credit_code"]}
        keys = {key(v["name"]) for _, v in values if v["name"]} - {""}
        imports, target = uow.imports, self._target.key
        by_code = imports.by_credit_code(target, codes, self._actor) if codes else {}
        by_key = imports.by_name_key(target, keys, self._actor) if keys else {}
        wanted = {self._match(v, by_code, by_key)[0] for _, v in values} - {None}
        records = self._target.records.get_many(sorted(i for i in wanted if i is not None), self._actor, uow)
        return _Lookups(by_code, by_key, records)

    def _match(self, values: Mapping[str, str], by_code: Mapping[str, Holder],
               by_key: Mapping[str, list[Holder]]) -> tuple[int | None, dict[str, str]]:
        """(id of the record the row updates, errors of the key) under the batch's mode."""
        mode, code, name = self._batch.mode, values["credit_code"], values["name"]
        if mode is ImportMode.BY_CREDIT_CODE and code in by_code:
            return _visible(by_code[code], "credit_code")
        if mode is ImportMode.BY_NAME and name:
            matches = [h for h in by_key.get(self._target.name_key(name), []) if h.name == name]
            if len(matches) > 1:
                return None, {"name": "import.name_ambiguous"}
            if matches:
                return _visible(matches[0], "name")
        return None, {}

    def _check_row(self, row: int, values: dict[str, str], found: _Lookups[R], uow: UnitOfWork) -> RowResult[R, F]:
        target_id, errors = self._match(values, found.by_code, found.by_key)
        record = found.records.get(target_id) if target_id is not None else None
        if target_id is not None and record is None:
            errors["name"] = "import.out_of_scope"
        result: RowResult[R, F] = RowResult(row, target=record, errors=errors)
        raw = self._rules.form_values(self._cells(values), record, errors)
        self._duplicates(values, record, found, errors)
        if errors:
            return result
        try:
            result.fields = self._rules.validate(raw)
        except ValidationFailed as failed:
            errors.update(failed.errors)
            return result
        self._rules.settle(result, uow)
        return result

    def _cells(self, values: Mapping[str, str]) -> dict[str, str]:
        """The filled cells, choice labels (any language) turned into their codes."""
        cells = {k: v for k, v in values.items() if v}
        for choice in self._target.choices:
            if choice in cells:
                cells[choice] = self._vocabulary.get(choice, {}).get(normalise_label(cells[choice]), cells[choice])
        return cells

    def _duplicates(self, values: Mapping[str, str], record: R | None, found: _Lookups[R],
                    errors: dict[str, str]) -> None:
        code, key = values["credit_code"], self._target.name_key(values["name"]) if values["name"] else ""
        if code and code in self._seen_codes:
            errors.setdefault("credit_code", "import.duplicate_in_file")
        elif code and code in found.by_code and (record is None or found.by_code[code].id != record.id):
            errors.setdefault("credit_code", "credit_code.taken")
        if key and key in self._seen_keys:
            errors.setdefault("name", "import.duplicate_in_file")
        elif key and record is None and key in found.by_key:
            errors.setdefault("name", "import.name_taken")
        self._seen_codes.update({code} - {""})
        self._seen_keys.update({key} - {""})


def _visible(holder: Holder, field: str) -> tuple[int | None, dict[str, str]]:
    return (holder.id, {}) if holder.visible else (None, {field: "import.out_of_scope"})


def _merged(vocabulary: Mapping[str, Mapping[str, str]], words: Mapping[str, Mapping[str, str]]
            ) -> dict[str, dict[str, str]]:
    """The translated labels (from the job's payload) over the target's own words for its choice fields."""
    merged = {field: {normalise_label(word): code for word, code in table.items()} for field, table in words.items()}
    for field, table in vocabulary.items():
        merged.setdefault(field, {}).update(table)
    return merged
