"""Purchase orders (采购订单)."""

from enum import StrEnum


class OrderStatus(StrEnum):
    """draft → pending approval → approved → sent → partly received → received → closed; rejected → draft;
    cancelled from draft, rejected, approved or sent while nothing was received."""

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    APPROVED = "approved"
    SENT = "sent"
    PARTLY_RECEIVED = "partly_received"
    RECEIVED = "received"
    CLOSED = "closed"
    CANCELLED = "cancelled"
