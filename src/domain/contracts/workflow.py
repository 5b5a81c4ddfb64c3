"""Contract lifecycle use cases: submit for approval, approval outcomes, reopen, terminate, renew, expire."""

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from domain.approvals import engine
from domain.approvals.models import ApprovalSubject, Outcome, register_document
from domain.contracts.errors import InvalidTransition
from domain.contracts.lifecycle import Action, transition
from domain.contracts.models import Contract, ContractTerms
from domain.contracts.parties import ensure_party_usable
from domain.contracts.services import editable, event, new_draft, next_number, save
from domain.contracts.validation import renewal_dates, termination_reason
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.shared.numbering import NumberPattern
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


def submit_contract(contract_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork,
                    clock: Clock) -> Contract:
    """Draft → pending approval, and start the approval in the same transaction (never with a blacklisted supplier)."""
    require(actor, Permission.CONTRACT_UPDATE)
    now = clock.now()
    with uow:
        contract = editable(contract_id, expected_version, actor, uow, Action.SUBMIT)
        ensure_party_usable(contract, uow)
        submitted = _move(contract, Action.SUBMIT, actor, uow, now)
        outcome = engine.start_approval(_subject(submitted, actor), actor=actor, uow=uow, now=now)
        current = uow.contracts.get_unscoped(contract_id)
        if outcome is not Outcome.PENDING and current and current.version == submitted.version:
            submitted = _decide(current, outcome, actor, uow, now)  # decided at once, and the engine left it to us
        uow.commit()
    return submitted


class ContractApprovals:
    """Applies approval outcomes: approved → active (amount and party frozen), rejected → rejected."""

    def on_decided(self, document_id: int, outcome: Outcome, *, actor: Actor, uow: UnitOfWork,
                   now: datetime, override: bool = False) -> None:
        contract = uow.contracts.get_unscoped(document_id)
        if contract is None:
            raise NotFound()
        _decide(contract, outcome, actor, uow, now)

    def link(self, document_id: int) -> str:
        return f"/contracts/{document_id}"

    def notice(self, document_id: int, uow: UnitOfWork) -> str | None:
        return None


register_document("contract", ContractApprovals())


def reopen_contract(contract_id: int, expected_version: int, *, actor: Actor, uow: UnitOfWork,
                    clock: Clock) -> Contract:
    """Rejected → draft, so the owner can edit it and submit it again."""
    require(actor, Permission.CONTRACT_UPDATE)
    now = clock.now()
    with uow:
        reopened = _move(editable(contract_id, expected_version, actor, uow, Action.REOPEN), Action.REOPEN, actor,
                         uow, now)
        uow.commit()
    return reopened


def terminate_contract(contract_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor,
                       uow: UnitOfWork, clock: Clock) -> Contract:
    """Active → terminated; the reason is required and kept with the contract."""
    require(actor, Permission.CONTRACT_TERMINATE)
    reason = termination_reason(raw)
    now = clock.now()
    with uow:
        contract = editable(contract_id, expected_version, actor, uow, Action.TERMINATE)
        terminated = _move(contract, Action.TERMINATE, actor, uow, now, reason)
        uow.commit()
    return terminated


def renew_contract(contract_id: int, raw: Mapping[str, str], expected_version: int, *, actor: Actor,
                   uow: UnitOfWork, clock: Clock, pattern: NumberPattern) -> Contract:
    """Active → renewed, and a successor draft with the same terms and party for the new period, linked to this one.

    A purchase contract whose supplier has been blacklisted is not renewed.
    """
    require(actor, Permission.CONTRACT_CREATE)
    require(actor, Permission.CONTRACT_UPDATE)
    start_on, end_on = renewal_dates(raw)
    now = clock.now()
    with uow:
        contract = editable(contract_id, expected_version, actor, uow, Action.RENEW)
        ensure_party_usable(contract, uow)
        terms = replace(ContractTerms.of(contract), signed_on=None, start_on=start_on, end_on=end_on)
        successor = new_draft(next_number(pattern, now, uow), terms, contract.owner_id, contract.department_id,
                              actor, now, predecessor_id=contract.id)
        successor.id = uow.contracts.add(successor)
        _move(contract, Action.RENEW, actor, uow, now, successor=successor.number)
        uow.audit.append(event("contract.created", successor, actor, now, after=terms.as_values() | {
            "number": successor.number, "predecessor": contract.number}))
        uow.commit()
    return successor


def expire_contract(contract_id: int, *, uow: UnitOfWork, now: datetime) -> Contract:
    """Active → expired once its end date has passed (the scheduled run; audited without an actor)."""
    with uow:
        contract = uow.contracts.get_unscoped(contract_id)
        if contract is None:
            raise NotFound()
        if contract.end_on is None or contract.end_on >= now.date():
            raise InvalidTransition("contract.not_ended")
        expired = _move(contract, Action.EXPIRE, None, uow, now)
        uow.commit()
    return expired


def _decide(contract: Contract, outcome: Outcome, actor: Actor, uow: UnitOfWork, now: datetime) -> Contract:
    if outcome is Outcome.PENDING:
        return contract
    return _move(contract, Action.APPROVE if outcome is Outcome.APPROVED else Action.REJECT, actor, uow, now)


def _move(contract: Contract, action: Action, actor: Actor | None, uow: UnitOfWork, now: datetime, reason: str = "",
          successor: str | None = None) -> Contract:
    """Apply a transition, save it against the contract's version, and audit it in the same transaction."""
    moved = transition(contract, action, now=now, reason=reason)
    save(moved, contract.version, actor, uow)
    after = {"status": moved.status.value} | ({"reason": reason} if reason else {}) | (
        {"successor": successor} if successor else {})
    uow.audit.append(event(f"contract.{_PAST[action]}", moved, actor, now, before={"status": contract.status.value},
                           after=after))
    return moved


_PAST = {Action.SUBMIT: "submitted", Action.APPROVE: "approved", Action.REJECT: "rejected", Action.REOPEN: "reopened",
         Action.TERMINATE: "terminated", Action.RENEW: "renewed", Action.EXPIRE: "expired"}


def _subject(contract: Contract, actor: Actor) -> ApprovalSubject:
    return ApprovalSubject("contract", contract.id or 0, f"{contract.number} {contract.title}", contract.amount,
                           contract.currency, contract.department_id, actor.user_id)
