"""Suppliers (供应商): the companies we buy from."""

from enum import StrEnum


class SupplierStatus(StrEnum):
    """pending → qualified ↔ suspended; any → blacklisted (with a reason). Only qualified suppliers get orders."""

    PENDING = "pending"
    QUALIFIED = "qualified"
    SUSPENDED = "suspended"
    BLACKLISTED = "blacklisted"

    @property
    def orderable(self) -> bool:
        return self is SupplierStatus.QUALIFIED
