"""Framework contracts (框架合同): an order may draw on an active purchase contract with its supplier, up to what
is left of the contract's amount (the amount less the gross totals of its other orders that are not cancelled)."""

from decimal import Decimal

from domain.purchasing.sources import FrameworkContract
from domain.shared.errors import ValidationFailed
from domain.unit_of_work import UnitOfWork


def contract_refusal(contract: FrameworkContract | None, supplier_id: int, gross: Decimal) -> str | None:
    """Why the order may not draw on the contract (a message code), or None when it may."""
    if contract is None or contract.supplier_id != supplier_id:
        return "order.contract_unknown"
    if not contract.usable:
        return "order.contract_not_active"
    if gross > contract.remaining:
        return "order.contract_exceeded"
    return None


def check_contract(contract_id: int | None, supplier_id: int, gross: Decimal, order_id: int | None,
                   uow: UnitOfWork, *, lock: bool = False) -> FrameworkContract | None:
    """The contract the order draws on, if it may; ValidationFailed (contract_id) otherwise. `lock` holds the
    contract's row to the end of the transaction, so two orders cannot together pass its amount."""
    if contract_id is None:
        return None
    contract = uow.order_sources.framework_contract(contract_id, order_id, lock)
    refusal = contract_refusal(contract, supplier_id, gross)
    if refusal:
        raise ValidationFailed({"contract_id": refusal})
    return contract
