"""A contract's party: a customer (sales contract) or a supplier (purchase contract), and who may choose which."""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from domain.contracts.errors import InvalidTransition
from domain.contracts.models import (
    Contract,
    ContractKind,
    ContractListQuery,
    ContractSummary,
    ContractTerms,
    SupplierParty,
)
from domain.contracts.validation import party_kind
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.paging import Page
from domain.suppliers.models import SupplierStatus
from domain.unit_of_work import UnitOfWork

# Choosing a party needs the right to see that kind of company; for customers their record scope applies too.
PARTY_READ = {ContractKind.SALES: Permission.CUSTOMER_READ, ContractKind.PURCHASE: Permission.SUPPLIER_READ}
CHOICES_LIMIT = 20


@dataclass(frozen=True)
class SupplierContracts:
    supplier: SupplierParty
    page: Page[ContractSummary]
    may_draft: bool  # whether the actor may draft a new contract with this supplier


def usable_kinds(actor: Actor) -> tuple[ContractKind, ...]:
    """The kinds of contract the actor may draft: contract.create and the right to see that kind of party."""
    if not actor.can(Permission.CONTRACT_CREATE):
        return ()
    return tuple(kind for kind in ContractKind if actor.can(PARTY_READ[kind]))


def may_choose(kind: ContractKind, actor: Actor) -> bool:
    """Whether the actor may pick a party of this kind (a new contract, or a change of party by amendment)."""
    return actor.can(PARTY_READ[kind])


def check_party(terms: ContractTerms, actor: Actor, uow: UnitOfWork) -> None:
    """The party must be a live customer in the actor's scope, or a supplier that is not blacklisted."""
    require(actor, PARTY_READ[terms.kind])
    if terms.kind is ContractKind.PURCHASE:
        supplier = uow.contract_parties.supplier(terms.party_id)
        if supplier is None:
            raise ValidationFailed({"supplier_id": "contract.supplier_unknown"})
        _refuse_blacklisted(supplier)
        return
    customer = uow.customers.get(terms.party_id, actor)
    if customer is None:
        raise ValidationFailed({"customer_id": "contract.customer_unknown"})
    if customer.archived_at is not None:
        raise ValidationFailed({"customer_id": "contract.customer_archived"})


def check_party_change(contract: Contract, terms: ContractTerms, actor: Actor, uow: UnitOfWork) -> None:
    """Edits and amendments keep the kind; a new party must be one the actor may choose."""
    if terms.kind is not contract.kind:
        raise ValidationFailed({contract.kind.party_field: "contract.kind_fixed"})
    if terms.party_id != contract.party_id:
        check_party(terms, actor, uow)


def ensure_party_usable(contract: Contract, uow: UnitOfWork) -> None:
    """Submitting or renewing a purchase contract: its supplier must not have been blacklisted meanwhile."""
    if contract.kind is ContractKind.PURCHASE:
        supplier = uow.contract_parties.supplier(contract.party_id)
        if supplier is None or supplier.status is SupplierStatus.BLACKLISTED:
            raise InvalidTransition("contract.supplier_blacklisted")


def party_name(contract: Contract, uow: UnitOfWork) -> str:
    """The name of a contract's party, for a contract the actor already sees."""
    return uow.contract_parties.names(contract.kind, {contract.party_id}).get(contract.party_id, "")


def named_party(raw: Mapping[str, str], *, actor: Actor, uow: UnitOfWork) -> str:
    """The name of the party a submitted form names, if the actor may choose it; else "" (never says why)."""
    kind, value = party_kind(raw), raw.get(party_kind(raw).party_field, "").strip()
    if not (value.isdigit() and len(value) < 12 and may_choose(kind, actor)):
        return ""
    with uow:
        if kind is ContractKind.PURCHASE:
            supplier = uow.contract_parties.supplier(int(value))
            return supplier.name if supplier else ""
        customer = uow.customers.get(int(value), actor)
        return customer.name if customer else ""


def supplier_choices(text: str, *, actor: Actor, uow: UnitOfWork) -> list[SupplierParty]:
    """Suppliers for the party picker (supplier.read); blacklisted ones are listed but cannot be chosen."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        return uow.contract_parties.suppliers(text, CHOICES_LIMIT)


def choose_supplier(supplier_id: int, *, actor: Actor, uow: UnitOfWork) -> SupplierParty:
    """The supplier a contract is to be with; NotFound if there is none, ValidationFailed if it is blacklisted."""
    require(actor, Permission.SUPPLIER_READ)
    with uow:
        supplier = uow.contract_parties.supplier(supplier_id)
    if supplier is None:
        raise NotFound()
    _refuse_blacklisted(supplier)
    return supplier


def supplier_contracts(supplier_id: int, query: ContractListQuery, *, actor: Actor,
                       uow: UnitOfWork) -> SupplierContracts:
    """One page of the supplier's contracts in the actor's contract scope, newest first; NotFound if no supplier."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        supplier = uow.contract_parties.supplier(supplier_id)
        if supplier is None:
            raise NotFound()
        page = uow.contracts.search(replace(query, supplier_id=supplier_id, customer_id=None, kind=None), actor)
    may_draft = ContractKind.PURCHASE in usable_kinds(actor) and supplier.status is not SupplierStatus.BLACKLISTED
    return SupplierContracts(supplier, page, may_draft)


def _refuse_blacklisted(supplier: SupplierParty) -> None:
    if supplier.status is SupplierStatus.BLACKLISTED:
        raise ValidationFailed({"supplier_id": "contract.supplier_blacklisted"})
