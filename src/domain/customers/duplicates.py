"""Duplicate prevention at entry: customers that are probably the one being typed in."""

from collections.abc import Mapping

from domain.customers.credit_code import normalise_credit_code
from domain.customers.models import DuplicateCandidate
from domain.customers.names import name_key
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.sensitive import SensitiveKind, lookup_kind
from domain.unit_of_work import UnitOfWork

SHOWN = 5
_MIN_KEY = 2  # a one-character key would match half the table


def find_duplicates(
    raw: Mapping[str, str], exclude_id: int | None, *, actor: Actor, uow: UnitOfWork, limit: int = SHOWN
) -> list[DuplicateCandidate]:
    """Up to `limit` live customers in the actor's scope with the same credit code, phone or normalised name.

    Records outside the scope are never reported, not even as "a duplicate exists".
    """
    require(actor, Permission.CUSTOMER_READ)
    key = name_key(raw.get("name", "")[:200])
    code = normalise_credit_code(raw.get("credit_code", "")[:24])
    phone = raw.get("phone", "").strip()[:24]
    key = key if len(key) >= _MIN_KEY else ""
    code_or_none = code if len(code) == 18 else None
    phone_or_none = phone if lookup_kind(phone) is SensitiveKind.PHONE else None
    if not (key or code_or_none or phone_or_none):
        return []
    with uow:
        return uow.customers.duplicates(key, code_or_none, phone_or_none, actor, exclude_id, limit)
