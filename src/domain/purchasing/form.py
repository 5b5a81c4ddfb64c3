"""What the order form shows: its choices, the ordering board, and the totals computed as the buyer types."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.identity.access import require, require_any
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.procurement.amounts import InvalidNumber, LineAmounts, totals
from domain.purchasing.budgeting import BudgetEffect, budget_effects
from domain.purchasing.drafting import allowed_budgets
from domain.purchasing.framework import contract_refusal
from domain.purchasing.models import LineInput, OrderLine, PurchaseOrder
from domain.purchasing.services import in_scope, requisition_facts, supplier_of, supplier_refusal
from domain.purchasing.sources import FrameworkContract, RequisitionLineFacts, SupplierFacts
from domain.purchasing.validation import entered_lines, line_error_key, optional_id
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

BOARD_LINES, BOARD_SUPPLIERS = 200, 20
Facts = dict[int, RequisitionLineFacts]


@dataclass(frozen=True)
class OrderForm:
    supplier: SupplierFacts
    budgets: dict[int, str]  # budget lines a direct line may charge (id → code and name)
    contracts: list[FrameworkContract]  # the supplier's active purchase contracts, with what is left of each
    requisition_lines: Facts  # the requisition lines the rows order
    caps: dict[int, Decimal]  # the most this order may take of each of them (what is left + what it holds)


@dataclass(frozen=True)
class Board:
    """The page a buyer starts an order from: lines waiting to be ordered, and suppliers to choose from."""

    lines: list[RequisitionLineFacts]
    suppliers: list[SupplierFacts]


@dataclass(frozen=True)
class Preview:
    rows: list[LineAmounts | None]  # per form row: its amounts, None where it is blank or has errors
    totals: LineAmounts
    errors: dict[str, str]
    budgets: list[BudgetEffect]
    contract: FrameworkContract | None
    contract_refusal: str | None
    supplier_refusal: str | None


def ordering_board(supplier_text: str, *, actor: Actor, uow: UnitOfWork, chosen: int | None = None) -> Board:
    """Requisition lines in the actor's scope with something left to order, and suppliers matching the text
    (the `chosen` one first, so a choice survives a new search)."""
    require(actor, Permission.ORDER_CREATE)
    with uow:
        suppliers = uow.order_sources.suppliers_named(supplier_text.strip()[:100], BOARD_SUPPLIERS)
        picked = uow.order_sources.supplier(chosen) if chosen is not None else None
        if picked is not None and all(s.id != picked.id for s in suppliers):
            suppliers.insert(0, picked)
        return Board(uow.order_sources.orderable_lines(actor, BOARD_LINES), suppliers)


def find_suppliers(text: str, *, actor: Actor, uow: UnitOfWork) -> list[SupplierFacts]:
    """Suppliers whose name contains the text, qualified first (to switch a draft to another supplier)."""
    require_any(actor, Permission.ORDER_CREATE, Permission.ORDER_UPDATE)
    with uow:
        return uow.order_sources.suppliers_named(text.strip()[:100], BOARD_SUPPLIERS)


def order_form(supplier_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock, order_id: int | None = None,
               requisition_line_ids: Sequence[int] = ()) -> OrderForm:
    """The choices of the order form for this supplier (and the draft being edited, if any)."""
    require_any(actor, Permission.ORDER_CREATE, Permission.ORDER_UPDATE)
    with uow:
        order = in_scope(order_id, actor, uow) if order_id is not None else None
        facts = _facts(order, set(requisition_line_ids), actor, uow)
        department_id = order.department_id if order else actor.department_id
        return OrderForm(supplier_of(supplier_id, uow), allowed_budgets(department_id, facts, clock.now(), uow),
                         uow.order_sources.framework_contracts(supplier_id, order_id), facts, _caps(order, facts))


def preview_order(raw: Mapping[str, str], rows: Sequence[Mapping[str, str]], *, actor: Actor, uow: UnitOfWork,
                  order_id: int | None = None) -> Preview:
    """Line amounts and totals (domain.procurement.amounts, half-up per line), what approval would do to the
    budget lines, and what is left of the chosen framework contract, for the form as it stands."""
    require_any(actor, Permission.ORDER_CREATE, Permission.ORDER_UPDATE)
    parsed, errors = entered_lines(rows)
    amounts = [_amounts(entry, errors) if entry else None for entry in parsed]
    total = totals(a for a in amounts if a is not None)
    supplier_id, contract_id = optional_id(raw.get("supplier_id", "")), optional_id(raw.get("contract_id", ""))
    with uow:
        order = in_scope(order_id, actor, uow) if order_id is not None else None
        wanted = {e.requisition_line_id for e in parsed if e and e.requisition_line_id is not None}
        facts = _facts(order, wanted, actor, uow)
        lines = [_priced(e.row, e.requisition_line_id, e.budget_id, e.quantity, a, facts)
                 for e, a in zip(parsed, amounts, strict=True) if e is not None and a is not None]
        contract = uow.order_sources.framework_contract(contract_id, order_id) if contract_id else None
        return Preview(amounts, total, errors, budget_effects(lines, facts, uow), contract,
                       contract_refusal(contract, supplier_id or 0, total.gross) if contract_id else None,
                       supplier_refusal(uow.order_sources.supplier(supplier_id)) if supplier_id else None)


def _amounts(entry: LineInput, errors: dict[str, str]) -> LineAmounts | None:
    try:
        return entry.amounts
    except InvalidNumber as refused:  # beyond the largest amount stored exactly
        errors[line_error_key(entry.row, "unit_price")] = refused.code
        return None


def _priced(row: int, requisition_line_id: int | None, budget_id: int | None, quantity: Decimal,
            amounts: LineAmounts, facts: Facts) -> OrderLine:
    fact = facts.get(requisition_line_id or 0)
    return OrderLine(None, row + 1, "", "", quantity, "", Decimal(0), 0, None,
                     fact.budget_id if fact else budget_id, requisition_line_id if fact else None, amounts.net,
                     amounts.tax, amounts.gross)


def _facts(order: PurchaseOrder | None, wanted: set[int], actor: Actor, uow: UnitOfWork) -> Facts:
    held = requisition_facts(order, uow) if order else {}
    new = wanted - held.keys()
    return held | (uow.order_sources.requisition_lines(new, actor) if new else {})


def _caps(order: PurchaseOrder | None, facts: Facts) -> dict[int, Decimal]:
    caps = {line_id: fact.remaining for line_id, fact in facts.items()}
    for line in order.lines if order else []:
        if line.requisition_line_id in caps:
            caps[line.requisition_line_id] += line.quantity
    return caps

