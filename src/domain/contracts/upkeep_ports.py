"""Ports for contract attachments and renewal reminders."""

from datetime import date, datetime
from typing import Protocol

from domain.contracts.attachments import Attachment
from domain.contracts.models import Contract
from domain.contracts.reminders import Approaching, ContractDue
from domain.identity.models import Actor


class ContractAttachmentRepository(Protocol):
    """Attachment rows; the caller has checked the contract is in the actor's scope."""

    def add(self, attachment: Attachment) -> int: ...
    def get(self, attachment_id: int) -> Attachment | None: ...
    def for_contract(self, contract_id: int) -> list[Attachment]:
        """The contract's attachments not removed, by amendment, then upload time, with the uploader's name."""
        ...
    def mark_removed(self, attachment_id: int, at: datetime) -> None: ...


class ContractReminderRepository(Protocol):
    """Renewal reminders. The daily run's reads take no actor (the system runs them); the owner's reads do."""

    def approaching(self, today: date, until: date) -> list[Approaching]:
        """Active contracts whose end date is from `today` to `until`."""
        ...
    def record(self, contract_id: int, days_before: int, at: datetime) -> bool:
        """Store the reminder unless it exists; False when it did (idempotent, also under concurrent runs)."""
        ...
    def ended_before(self, today: date, after_id: int, limit: int) -> list[Contract]:
        """Active contracts whose end date is before `today`, by id after `after_id`."""
        ...
    def open_for(self, actor: Actor, limit: int) -> list[ContractDue]:
        """The actor's own active contracts in scope with unacknowledged reminders, one row each, by end date."""
        ...
    def count_open(self, actor: Actor) -> int:
        """How many contracts `open_for` would list without a limit."""
        ...
    def acknowledge(self, contract_id: int, user_id: int, at: datetime) -> int:
        """Mark every open reminder of the contract acknowledged; returns how many."""
        ...
    def recently_expired(self, actor: Actor, since: date, limit: int) -> list[ContractDue]:
        """The actor's own expired contracts in scope that ended on or after `since`, latest first."""
        ...
