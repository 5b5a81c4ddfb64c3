"""Amendments (补充协议) as pure functions: the field-by-field diff between two versions of the terms."""

from dataclasses import replace
from datetime import datetime

from domain.contracts.models import TERM_FIELDS, Contract, ContractTerms, FieldChange


def diff(previous: ContractTerms, amended: ContractTerms) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in TERM_FIELDS order, with JSON-safe previous and new values."""
    before, after = previous.as_values(), amended.as_values()
    return tuple(FieldChange(name, before[name], after[name]) for name in TERM_FIELDS if before[name] != after[name])


def amended(contract: Contract, terms: ContractTerms, *, now: datetime) -> Contract:
    """The contract under the amended terms: the next amendment number and version."""
    return replace(contract, **{name: getattr(terms, name) for name in TERM_FIELDS}, amendment=contract.amendment + 1,
                   updated_at=now, version=contract.version + 1)
