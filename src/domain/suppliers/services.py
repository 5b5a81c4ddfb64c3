"""Supplier records: list, read, register, edit, reveal the bank account, duplicates and the scorecard.

Every use case checks the actor's permission first; suppliers have no record scope. Changes are audited in
the same transaction with the bank account masked.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from domain.audit.models import AuditEvent, Values, changed_values
from domain.customers.credit_code import normalise_credit_code
from domain.customers.models import DuplicateCandidate
from domain.customers.names import name_key
from domain.identity.access import require, require_fresh
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.lists.models import Listed
from domain.lists.saved_views import visible_views
from domain.shared.errors import NotFound, StaleVersion
from domain.shared.ports import Clock
from domain.shared.records import at_version, found
from domain.shared.sensitive import keep_unentered
from domain.suppliers.documents import SupplierDocument
from domain.suppliers.errors import CreditCodeTaken, PossibleDuplicates
from domain.suppliers.lists import SUPPLIER_LIST
from domain.suppliers.models import (
    SENSITIVE_FIELDS,
    Supplier,
    SupplierContact,
    SupplierFields,
    SupplierListQuery,
    SupplierStatus,
    SupplierSummary,
)
from domain.suppliers.scorecard import Period, Scorecard, compute
from domain.suppliers.validation import supplier_fields
from domain.unit_of_work import UnitOfWork

SHOWN_DUPLICATES = 5
_MIN_KEY = 2  # a one-character key would match half the table


@dataclass(frozen=True)
class SupplierDetail:
    supplier: Supplier
    creator_name: str
    contacts: list[SupplierContact]
    documents: list[SupplierDocument]


def list_suppliers(query: SupplierListQuery, today: date, *, actor: Actor, uow: UnitOfWork,
                   with_views: bool = False) -> Listed[SupplierSummary]:
    """One keyset page of suppliers, newest first, each marked when a document expires soon or has expired, and
    (`with_views`) the saved views of the supplier list the actor may use, in one read transaction."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        return Listed(uow.suppliers.search(query, today),
                      visible_views(SUPPLIER_LIST, actor, uow) if with_views else [])


def get_supplier(supplier_id: int, *, actor: Actor, uow: UnitOfWork) -> SupplierDetail:
    """A supplier with its contacts and live documents; NotFound for an unknown id."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        supplier = existing(supplier_id, uow)
        creator = uow.users.names({supplier.created_by}).get(supplier.created_by, "")
        return SupplierDetail(supplier, creator, uow.supplier_contacts.for_supplier(supplier_id),
                              uow.supplier_documents.for_supplier(supplier_id))


def supplier_by_form_token(form_token: str, *, actor: Actor, uow: UnitOfWork) -> Supplier | None:
    """The supplier the actor's create form made already (a parallel double submit), or None."""
    require(actor, Permission.SUPPLIER_CREATE)
    with uow:
        return _twin(form_token, actor, uow)


def register_supplier(raw: Mapping[str, str], form_token: str, *, confirmed: bool = False, actor: Actor,
                      uow: UnitOfWork, clock: Clock) -> Supplier:
    """Register a pending supplier; a repeated form token returns the supplier it made already.

    Raises CreditCodeTaken for a credit code another supplier holds, and PossibleDuplicates for a name whose
    normalised key another supplier shares, unless the user `confirmed` that this is a different company.
    """
    require(actor, Permission.SUPPLIER_CREATE)
    fields = supplier_fields(raw)
    now = clock.now()
    with uow:
        twin = _twin(form_token, actor, uow)
        if twin is not None:
            return twin
        try:
            _check_unique(fields, None, confirmed, uow)
        except (CreditCodeTaken, PossibleDuplicates):
            twin = _twin(form_token, actor, uow)  # the same form, submitted twice, committed in between
            if twin is not None:
                return twin
            raise
        supplier = Supplier(None, fields, SupplierStatus.PENDING, actor.user_id, now, now,
                            form_token=form_token or None)
        supplier.id = uow.suppliers.add(supplier)
        uow.audit.append(event("supplier.created", supplier, actor, now,
                               after=fields.audited() | {"status": supplier.status.value}))
        uow.commit()
    return supplier


def update_supplier(supplier_id: int, raw: Mapping[str, str], expected_version: int, *, confirmed: bool = False,
                    actor: Actor, uow: UnitOfWork, clock: Clock) -> Supplier:
    """Save edits made on `expected_version`; StaleVersion if someone saved in between.

    The bank account is write-only: left empty it keeps the stored value, unless `remove_bank_account` is set.
    A new name that matches another supplier's needs `confirmed`, like at registration.
    """
    require(actor, Permission.SUPPLIER_UPDATE)
    entered = supplier_fields(raw)
    now = clock.now()
    with uow:
        supplier = current(supplier_id, expected_version, uow)
        fields = keep_unentered(entered, supplier.fields, raw, SENSITIVE_FIELDS)
        if fields == supplier.fields:
            return supplier
        renamed = name_key(fields.name) != name_key(supplier.name)
        _check_unique(fields, supplier_id, confirmed or not renamed, uow)
        updated = replace(supplier, fields=fields, updated_at=now, version=supplier.version + 1)
        save(updated, expected_version, uow)
        before, after = changed_values(supplier.fields.audited(), fields.audited())
        uow.audit.append(event("supplier.updated", updated, actor, now, before=before, after=after))
        uow.commit()
    return updated


def reveal_supplier_field(supplier_id: int, field: str, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> str:
    """The clear bank account; needs supplier.reveal and a fresh step-up.

    Audited as supplier.revealed with the field name, never the value. NotFound for unknown suppliers,
    fields that are not sensitive, and empty values.
    """
    require(actor, Permission.SUPPLIER_REVEAL)
    if field not in SENSITIVE_FIELDS:
        raise NotFound()
    with uow:
        supplier = existing(supplier_id, uow)
        value = getattr(supplier.fields, field)
        if not value:
            raise NotFound()
        require_fresh(actor)
        uow.audit.append(event("supplier.revealed", supplier, actor, clock.now(), after={"field": field}))
        uow.commit()
    return str(value)


def find_duplicates(raw: Mapping[str, str], exclude_id: int | None, *, actor: Actor,
                    uow: UnitOfWork) -> list[DuplicateCandidate]:
    """Up to five suppliers with the same credit code or normalised name as what is being typed in."""
    require(actor, Permission.SUPPLIER_READ)
    key = name_key(raw.get("name", "")[:200])
    code = normalise_credit_code(raw.get("credit_code", "")[:24])
    key, code_or_none = key if len(key) >= _MIN_KEY else "", code if len(code) == 18 else None
    if not (key or code_or_none):
        return []
    with uow:
        return uow.suppliers.duplicates(key, code_or_none, exclude_id, SHOWN_DUPLICATES)


def supplier_scorecard(supplier_id: int, period: Period, *, actor: Actor, uow: UnitOfWork) -> Scorecard:
    """On-time delivery, rejection rate and price variance of a supplier over `period`; NotFound if unknown."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        existing(supplier_id, uow)
        counts = uow.supplier_scorecards.counts(supplier_id, period.start, period.end)
    return compute(period, counts)


def existing(supplier_id: int, uow: UnitOfWork) -> Supplier:
    return found(uow.suppliers.get(supplier_id))


def current(supplier_id: int, expected_version: int, uow: UnitOfWork) -> Supplier:
    """The supplier, if nobody saved it since `expected_version` (StaleVersion otherwise)."""
    return at_version(existing(supplier_id, uow), expected_version)


def save(supplier: Supplier, expected_version: int, uow: UnitOfWork) -> None:
    if not uow.suppliers.update(supplier, expected_version):
        stored = uow.suppliers.get(supplier.id or 0)
        raise StaleVersion(stored.version if stored else expected_version)


def event(action: str, supplier: Supplier, actor: Actor | None, now: datetime, before: Values | None = None,
          after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id if actor else None, actor.ip if actor else None, "supplier",
                      str(supplier.id), before, after)


def _check_unique(fields: SupplierFields, supplier_id: int | None, confirmed: bool, uow: UnitOfWork) -> None:
    holder = uow.suppliers.credit_code_holder(fields.credit_code) if fields.credit_code else None
    if holder is not None and holder != supplier_id:
        raise CreditCodeTaken(holder)
    key = name_key(fields.name)
    if confirmed or len(key) < _MIN_KEY:
        return
    same_name = uow.suppliers.duplicates(key, None, supplier_id, SHOWN_DUPLICATES)
    if same_name:
        raise PossibleDuplicates(same_name)


def _twin(form_token: str, actor: Actor, uow: UnitOfWork) -> Supplier | None:
    found = uow.suppliers.get_by_form_token(form_token) if form_token else None
    return found if found is not None and found.created_by == actor.user_id else None
