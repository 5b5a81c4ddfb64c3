"""The daily contract run (renewal reminders, automatic expiry) and the owner's work queue."""

from dataclasses import replace
from datetime import date

from domain.audit.models import AuditEvent
from domain.contracts.models import Contract, ContractStatus
from domain.contracts.reminders import EXPIRED_SHOWN_FOR, HORIZON, DailyReport, WorkQueue, reminder_due
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

QUEUE_LIMIT = 100
EXPIRED_LIMIT = 50
EXPIRY_BATCH = 200


def run_contracts_daily(today: date, *, uow: UnitOfWork, clock: Clock) -> DailyReport:
    """Record the reminders due on `today` and expire active contracts that ended before it.

    Idempotent: a second run on the same day (or a run after downtime) creates only what is missing.
    """
    reminders = record_reminders(today, uow=uow, clock=clock)
    expired, skipped = expire_ended(today, uow=uow, clock=clock)
    return DailyReport(reminders, expired, skipped)


def record_reminders(today: date, *, uow: UnitOfWork, clock: Clock) -> int:
    """Store each approaching contract's due reminder mark (audited, without an actor); returns how many are new."""
    now, recorded = clock.now(), 0
    with uow:
        for contract in uow.contract_reminders.approaching(today, today + HORIZON):
            mark = reminder_due(contract.end_on, today, contract.recorded)
            if mark is not None and uow.contract_reminders.record(contract.contract_id, mark, now):
                uow.audit.append(AuditEvent("contract.reminder_due", now, entity_type="contract",
                                            entity_id=str(contract.contract_id), after={"days_before": mark}))
                recorded += 1
        uow.commit()
    return recorded


def expire_ended(today: date, *, uow: UnitOfWork, clock: Clock) -> tuple[int, int]:
    """Expire active contracts whose end date has passed, one transaction each; returns (expired, skipped)."""
    expired = skipped = after_id = 0
    while True:
        with uow:
            batch = uow.contract_reminders.ended_before(today, after_id, EXPIRY_BATCH)
        for contract in batch:
            done = _expire(contract, uow=uow, clock=clock)
            expired, skipped = expired + done, skipped + (not done)
        if len(batch) < EXPIRY_BATCH:
            return expired, skipped
        after_id = batch[-1].id or 0


def _expire(contract: Contract, *, uow: UnitOfWork, clock: Clock) -> bool:
    now = clock.now()
    expired = replace(contract, status=ContractStatus.EXPIRED, updated_at=now, version=contract.version + 1)
    with uow:
        if not uow.contracts.update(expired, contract.version):
            return False  # someone saved it meanwhile; the next run looks at it again
        uow.audit.append(AuditEvent("contract.expired", now, entity_type="contract", entity_id=str(contract.id),
                                    before={"status": contract.status.value},
                                    after={"status": expired.status.value, "end_on": str(contract.end_on)}))
        uow.commit()
    return True


def work_queue(today: date, *, actor: Actor, uow: UnitOfWork) -> WorkQueue:
    """The actor's own contracts with open renewal reminders and those expired in the last 30 days."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        reminders = uow.contract_reminders.open_for(actor, QUEUE_LIMIT + 1)
        expired = uow.contract_reminders.recently_expired(actor, today - EXPIRED_SHOWN_FOR, EXPIRED_LIMIT)
    return WorkQueue(today, reminders[:QUEUE_LIMIT], expired, len(reminders) > QUEUE_LIMIT)


def acknowledge_reminder(contract_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> None:
    """Take the contract's open reminders off the owner's queue; NotFound unless it is their own and in scope."""
    require(actor, Permission.CONTRACT_READ)
    now = clock.now()
    with uow:
        contract = uow.contracts.get(contract_id, actor)
        if contract is None or contract.owner_id != actor.user_id:
            raise NotFound()
        if not uow.contract_reminders.acknowledge(contract_id, actor.user_id, now):
            return  # acknowledged already (a second click)
        uow.audit.append(AuditEvent("contract.reminder_acknowledged", now, actor.user_id, actor.ip, "contract",
                                    str(contract_id)))
        uow.commit()
