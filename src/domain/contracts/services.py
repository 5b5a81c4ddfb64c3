"""Contract records: list, read, draft and edit. Every use case checks the permission and the record scope.

A contract is with a customer (sales) or a supplier (purchase); `parties` holds the rules for choosing either.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from domain.audit.models import AuditEvent, Values, changed_values
from domain.contracts.lifecycle import Action, ensure, transition
from domain.contracts.lists import CONTRACT_LIST
from domain.contracts.models import (
    Amendment,
    Contract,
    ContractListQuery,
    ContractStatus,
    ContractSummary,
    ContractTerms,
)
from domain.contracts.parties import check_party, check_party_change, party_name
from domain.contracts.validation import draft_fields
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission, Scope
from domain.identity.teams import visible_owners
from domain.lists.models import SavedView
from domain.lists.saved_views import visible_views
from domain.shared import numbering
from domain.shared.errors import NotFound, StaleVersion, ValidationFailed
from domain.shared.numbering import NumberPattern
from domain.shared.paging import Page
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ContractDetail:
    contract: Contract
    party_name: str  # the customer's or the supplier's
    owner_name: str
    amendments: list[Amendment]
    predecessor: Contract | None  # only when the actor may see it
    successor: Contract | None


@dataclass(frozen=True)
class ContractList:
    page: Page[ContractSummary]
    owners: list[tuple[int, str]]  # choices of the owner filter; empty when the actor sees only their own
    views: list[SavedView] = field(default_factory=list)  # saved views of the contract list the actor may use


def list_contracts(query: ContractListQuery, *, actor: Actor, uow: UnitOfWork, with_owner_filter: bool = True,
                   with_views: bool = False) -> ContractList:
    """One keyset page of the contracts the actor may see, the owners they may filter by, and their views."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        page = uow.contracts.search(query, actor)
        owners = visible_owners(actor, "contract", uow) if with_owner_filter else []
        views = visible_views(CONTRACT_LIST, actor, uow) if with_views else []
    return ContractList(page, owners, views)


def get_contract(contract_id: int, *, actor: Actor, uow: UnitOfWork) -> ContractDetail:
    """A contract in the actor's scope with its party, owner, amendments and renewal links; NotFound otherwise."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        contract = in_scope(contract_id, actor, uow)
        successor_id = uow.contracts.successor_id(contract_id)
        return ContractDetail(
            contract, party_name(contract, uow),
            uow.users.names({contract.owner_id}).get(contract.owner_id, ""), uow.contracts.amendments(contract_id),
            uow.contracts.get(contract.predecessor_id, actor) if contract.predecessor_id else None,
            uow.contracts.get(successor_id, actor) if successor_id else None)


def assignable_owners(*, actor: Actor, uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of the users the actor may make owner of a contract: themselves, their team, or anyone."""
    with uow:
        return visible_owners(actor, "contract", uow) or [(actor.user_id, actor.display_name)]


def create_contract(raw: Mapping[str, str], *, actor: Actor, uow: UnitOfWork, clock: Clock,
                    pattern: NumberPattern, form_token: str = "") -> Contract:
    """Draft a sales or purchase contract with a party the actor may choose; the number comes from the pattern.

    A repeated `form_token` (double click, Back and submit again) returns the draft it made already.
    """
    require(actor, Permission.CONTRACT_CREATE)
    terms, owner_id = draft_fields(raw)
    now = clock.now()
    with uow:
        existing = uow.contracts.get_by_form_token(form_token) if form_token else None
        if existing is not None and existing.created_by == actor.user_id:
            return existing
        check_party(terms, actor, uow)
        department_id = _check_owner(owner_id, actor, uow)
        contract = new_draft(next_number(pattern, now, uow), terms, owner_id, department_id, actor, now)
        contract.form_token = form_token or None
        contract.id = uow.contracts.add(contract)
        uow.audit.append(event("contract.created", contract, actor, now, after=audited(contract)))
        uow.commit()
    return contract


def update_contract(contract_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor,
                    uow: UnitOfWork, clock: Clock) -> Contract:
    """Save edits of a draft made on `expected_version`; StaleVersion if someone saved in between."""
    require(actor, Permission.CONTRACT_UPDATE)
    terms, owner_id = draft_fields(raw)
    now = clock.now()
    with uow:
        contract = editable(contract_id, expected_version, actor, uow, Action.EDIT)
        check_party_change(contract, terms, actor, uow)
        department_id = contract.department_id if owner_id == contract.owner_id else _check_owner(owner_id, actor, uow)
        edited = replace(transition(contract, Action.EDIT, now=now), **_terms(terms), owner_id=owner_id,
                         department_id=department_id)
        before, after = changed_values(audited(contract), audited(edited))
        if not after:
            return contract
        save(edited, expected_version, actor, uow)
        uow.audit.append(event("contract.updated", edited, actor, now, before=before, after=after))
        uow.commit()
    return edited


def contract_by_form_token(form_token: str, *, actor: Actor, uow: UnitOfWork) -> Contract | None:
    """The draft the actor's create form made already (a parallel double submit), or None."""
    require(actor, Permission.CONTRACT_CREATE)
    with uow:
        found = uow.contracts.get_by_form_token(form_token) if form_token else None
    return found if found is not None and found.created_by == actor.user_id else None


def next_number(pattern: NumberPattern, now: datetime, uow: UnitOfWork) -> str:
    """The next contract number; drawn inside the caller's transaction, so it is unique and gapless."""
    return numbering.next_number(pattern, now, uow.sequences)


def new_draft(number: str, terms: ContractTerms, owner_id: int, department_id: int | None, actor: Actor,
              now: datetime, predecessor_id: int | None = None) -> Contract:
    return Contract(None, number, **_terms(terms), owner_id=owner_id, department_id=department_id,
                    status=ContractStatus.DRAFT, created_by=actor.user_id, created_at=now, updated_at=now,
                    predecessor_id=predecessor_id)


def in_scope(contract_id: int, actor: Actor, uow: UnitOfWork) -> Contract:
    contract = uow.contracts.get(contract_id, actor)
    if contract is None:
        raise NotFound()
    return contract


def editable(contract_id: int, expected_version: int, actor: Actor, uow: UnitOfWork, action: Action) -> Contract:
    """The contract in scope, if `action` is allowed in its status and nobody saved since `expected_version`."""
    contract = in_scope(contract_id, actor, uow)
    ensure(contract.status, action)
    if contract.version != expected_version:
        raise StaleVersion(contract.version)
    return contract


def save(contract: Contract, expected_version: int, actor: Actor | None, uow: UnitOfWork) -> None:
    if not uow.contracts.update(contract, expected_version):
        current = uow.contracts.get(contract.id or 0, actor) if actor else uow.contracts.get_unscoped(contract.id or 0)
        raise StaleVersion(current.version if current else expected_version)


def audited(contract: Contract) -> Values:
    return ContractTerms.of(contract).as_values() | {"number": contract.number, "owner_id": contract.owner_id,
                                                    "status": contract.status.value}


def event(action: str, contract: Contract, actor: Actor | None, now: datetime, before: Values | None = None,
          after: Values | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id if actor else None, actor.ip if actor else None, "contract",
                      str(contract.id), before, after)


def _terms(terms: ContractTerms) -> dict[str, Any]:
    return {name: getattr(terms, name) for name in ContractTerms.__dataclass_fields__}


def _check_owner(owner_id: int, actor: Actor, uow: UnitOfWork) -> int | None:
    """The owner's department; the owner must be the actor, or someone in the actor's contract scope."""
    active, department_id = uow.customers.owner_department(owner_id)
    if not active:
        raise ValidationFailed({"owner_id": "choice.invalid"})
    scope = actor.scope("contract")
    if owner_id == actor.user_id or scope is Scope.ALL:
        return department_id
    if scope is Scope.DEPARTMENT and uow.customers.department_of(department_id, actor):
        return department_id
    raise ValidationFailed({"owner_id": "contract.owner_not_allowed"})
