"""The approval engine's contract with the documents it approves (contracts, requisitions, purchase orders).
The engine (domain/approvals/engine.py) routes a subject through rules;
the document's module registers a handler that applies the outcome to the document."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from domain.identity.models import Actor
from domain.unit_of_work import UnitOfWork


class Outcome(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ApprovalSubject:
    """What the engine needs to know about a document submitted for approval."""

    document_type: str  # "contract", later "requisition", "purchase_order"
    document_id: int
    title: str
    amount: Decimal
    currency: str
    department_id: int | None
    requested_by: int  # the creator/submitter: never allowed to approve it (segregation of duties)


class DocumentHandler(Protocol):
    """Applies an approval outcome to the document, inside the engine's transaction."""

    def on_decided(self, document_id: int, outcome: Outcome, *, actor: Actor, uow: UnitOfWork, now: datetime,
                   override: bool = False) -> None:
        """`override`: the deciding approver chose to go beyond a stop budget (only documents with budgets
        look at it; the budget ledger checks the approver's budget.override permission)."""
        ...
    def link(self, document_id: int) -> str:
        """The document's page, for the inbox and the timeline (a path, e.g. /contracts/42)."""
        ...
    def notice(self, document_id: int, uow: UnitOfWork) -> str | None:
        """A message code the approver should see before deciding, e.g. "budget.exceeded" when approving
        would take a stop budget below zero (the inbox then offers the override to its holders); None if none.
        Called inside an open unit of work."""
        ...


HANDLERS: dict[str, DocumentHandler] = {}


def register_document(document_type: str, handler: DocumentHandler) -> None:
    """Called once by the document's module; the engine looks the handler up by document type."""
    HANDLERS[document_type] = handler
