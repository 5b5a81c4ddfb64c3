"""Invoicing errors."""

from domain.shared.errors import DomainError


class DuplicateInvoice(DomainError):
    """The supplier's invoice number is recorded already; `existing_id` is that invoice."""

    def __init__(self, existing_id: int) -> None:
        super().__init__(str(existing_id))
        self.existing_id = existing_id
