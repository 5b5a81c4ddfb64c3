"""What orders read from the documents around them: suppliers, approved requisition lines, framework contracts."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.procurement.amounts import PRICE_STEP, estimated_amount
from domain.requisitions.models import RequisitionStatus
from domain.suppliers.models import SupplierStatus


@dataclass(frozen=True)
class SupplierFacts:
    """A supplier as an order sees it; only qualified suppliers get new orders."""

    id: int
    name: str
    status: SupplierStatus
    payment_terms: str = ""
    address: str = ""
    credit_code: str | None = None


@dataclass(frozen=True)
class RequisitionLineFacts:
    """A line of a requisition, with what orders took of it so far (`ordered_quantity`, never above `quantity`)."""

    id: int
    requisition_id: int
    requisition_number: str
    requisition_title: str
    requisition_status: RequisitionStatus
    department_id: int
    department_name: str
    budget_id: int | None  # the requisition's budget line: it moves to the order line
    item: str
    specification: str
    unit: str
    quantity: Decimal
    ordered_quantity: Decimal
    estimated_unit_price: Decimal  # tax included: what the requisition commits per unit
    needed_by: date | None

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.ordered_quantity, Decimal("0.000"))

    @property
    def orderable(self) -> bool:
        return self.requisition_status.orderable and self.remaining > 0

    def share(self, quantity: Decimal) -> Decimal:
        """What the requisition holds on its budget for `quantity` of this line (estimated price, half-up)."""
        return estimated_amount(quantity, self.estimated_unit_price)

    def price_before_tax(self, tax_rate: int) -> Decimal:
        """The estimated price (tax included) without the VAT: where an order line's price starts."""
        return (self.estimated_unit_price * 100 / (100 + tax_rate)).quantize(PRICE_STEP, ROUND_HALF_UP)


@dataclass(frozen=True)
class FrameworkContract:
    """An active purchase contract with a supplier; orders under it may not exceed what is left of its amount."""

    id: int
    number: str
    title: str
    supplier_id: int
    status: str
    amount: Decimal
    currency: str
    used: Decimal  # the gross totals of its orders that are not cancelled (the order asking excluded)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.used

    @property
    def usable(self) -> bool:
        return self.status == "active"
