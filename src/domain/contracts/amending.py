"""Amendments (补充协议): once approved, a contract's terms change only as numbered, diffed versions."""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from domain.contracts.amendments import amended, diff
from domain.contracts.lifecycle import Action
from domain.contracts.models import Amendment, Contract, ContractKind, ContractTerms
from domain.contracts.parties import check_party_change
from domain.contracts.services import editable, event, in_scope, save
from domain.contracts.validation import amendment_fields
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AmendmentDetail:
    contract: Contract
    amendment: Amendment
    party_names: dict[str, dict[int, str]]  # party field → id → name, for a change of party


def amend_contract(contract_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor,
                   uow: UnitOfWork, clock: Clock) -> Amendment:
    """Record amendment n+1 of an active contract (reason required, at least one term changed) and apply it."""
    require(actor, Permission.CONTRACT_UPDATE)
    terms, reason = amendment_fields(raw)
    now = clock.now()
    with uow:
        contract = editable(contract_id, expected_version, actor, uow, Action.AMEND)
        changes = diff(ContractTerms.of(contract), terms)
        if not changes:
            raise ValidationFailed({"form": "amendment.no_change"})
        check_party_change(contract, terms, actor, uow)
        updated = amended(contract, terms, now=now)
        save(updated, expected_version, actor, uow)
        amendment = Amendment(None, contract_id, updated.amendment, reason, changes, terms.as_values(), actor.user_id,
                              now, actor.display_name)
        amendment = replace(amendment, id=uow.contracts.add_amendment(amendment))
        after = {c.field: c.after for c in changes} | {"amendment": amendment.number, "reason": reason}
        uow.audit.append(event("contract.amended", updated, actor, now, before={c.field: c.before for c in changes},
                               after=after))
        uow.commit()
    return amendment


def get_amendment(contract_id: int, number: int, *, actor: Actor, uow: UnitOfWork) -> AmendmentDetail:
    """Amendment `number` of a contract in the actor's scope; NotFound otherwise."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        contract = in_scope(contract_id, actor, uow)
        amendment = uow.contracts.amendment(contract_id, number)
        if amendment is None:
            raise NotFound()
        return AmendmentDetail(contract, amendment, _changed_parties(amendment, uow))


def _changed_parties(amendment: Amendment, uow: UnitOfWork) -> dict[str, dict[int, str]]:
    """The names of the parties before and after a change of party, by the party's field."""
    named: dict[str, dict[int, str]] = {}
    for kind in ContractKind:
        ids = {int(v) for c in amendment.changes if c.field == kind.party_field for v in (c.before, c.after) if v}
        named[kind.party_field] = uow.contract_parties.names(kind, ids) if ids else {}
    return named
