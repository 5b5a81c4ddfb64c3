"""Supplier invoices (供应商发票) and their three-way match against order and receipts."""

from enum import StrEnum


class InvoiceStatus(StrEnum):
    """An invoice is matched (ready to pay) when every line is within tolerance; otherwise it waits in the
    exception queue until finance accepts it (with a reason: ready to pay) or rejects it."""

    MATCHED = "matched"
    EXCEPTION = "exception"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def ready_to_pay(self) -> bool:
        return self in (InvoiceStatus.MATCHED, InvoiceStatus.ACCEPTED)
