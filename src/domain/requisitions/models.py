"""Purchase requisitions (采购申请): a department's request to buy."""

from enum import StrEnum


class RequisitionStatus(StrEnum):
    """draft → submitted → approved / rejected (→ draft again) → partly ordered → ordered; closed ends it early."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for approval
    APPROVED = "approved"
    REJECTED = "rejected"
    PARTLY_ORDERED = "partly_ordered"
    ORDERED = "ordered"
    CLOSED = "closed"

    @property
    def orderable(self) -> bool:
        """Lines of approved requisitions may be put on purchase orders until they are fully ordered or closed."""
        return self in (RequisitionStatus.APPROVED, RequisitionStatus.PARTLY_ORDERED)
