"""Drafting orders: directly, from approved requisition lines, and editing drafts.

A draft is numbered when it is created (PO-2026-00042, drawn inside the creating transaction). Its supplier must
be qualified; lines that order requisition lines reserve their quantities at once (domain.purchasing.reservations)
and take their unit and budget line from the requisition.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from domain.audit.models import changed_values
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.procurement.amounts import InvalidNumber
from domain.purchasing import reservations
from domain.purchasing.framework import check_contract
from domain.purchasing.lifecycle import Action, transition
from domain.purchasing.models import LineInput, OrderHeader, OrderLine, OrderStatus, PurchaseOrder
from domain.purchasing.services import audited, changeable, event, orderable_supplier, save, supplier_refusal
from domain.purchasing.sources import RequisitionLineFacts
from domain.purchasing.validation import line_error_key, optional_id, order_fields
from domain.shared import numbering
from domain.shared.errors import ValidationFailed
from domain.shared.numbering import NumberPattern
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

DEFAULT_TAX_RATE = 13  # goods; the buyer changes it per line
Facts = dict[int, RequisitionLineFacts]


def create_order(raw: Mapping[str, str], rows: Sequence[Mapping[str, str]], *, actor: Actor, uow: UnitOfWork,
                 clock: Clock, pattern: NumberPattern, form_token: str = "") -> PurchaseOrder:
    """Draft an order with the lines the buyer typed. A repeated `form_token` returns the draft it made already."""
    require(actor, Permission.ORDER_CREATE)
    header, entered = order_fields(raw, rows)
    with uow:
        existing = mine_by_token(form_token, actor, uow)
        if existing is not None:
            return existing
        order = _draft(header, entered, actor, uow, clock.now(), pattern, form_token)
        uow.commit()
    return order


def order_requisition_lines(supplier: str, line_ids: Sequence[str], *, actor: Actor, uow: UnitOfWork, clock: Clock,
                            pattern: NumberPattern, form_token: str = "") -> PurchaseOrder:
    """Draft an order for the supplier with the chosen requisition lines, each for all that remains of it."""
    require(actor, Permission.ORDER_CREATE)
    supplier_id, wanted = optional_id(supplier), {i for i in map(optional_id, line_ids) if i is not None}
    errors = {"supplier_id": "order.supplier_required"} if supplier_id is None else {}
    if not wanted:
        errors["lines"] = "order.pick_lines"
    if errors:
        raise ValidationFailed(errors)
    with uow:
        existing = mine_by_token(form_token, actor, uow)
        if existing is not None:
            return existing
        facts = _orderable(wanted, actor, uow)
        if set(facts) != wanted:
            raise ValidationFailed({"lines": "order.requisition_line_unavailable"})
        supplier_facts = orderable_supplier(supplier_id or 0, uow)
        chosen = sorted(facts.values(), key=lambda f: (f.requisition_number, f.id))
        header = OrderHeader(supplier_facts.id, _title(chosen), "", supplier_facts.payment_terms, "")
        order = _draft(header, [_from_requisition(row, fact) for row, fact in enumerate(chosen)], actor, uow,
                       clock.now(), pattern, form_token)
        uow.commit()
    return order


def update_order(order_id: int, raw: Mapping[str, str], rows: Sequence[Mapping[str, str]], expected_version: int,
                 *, actor: Actor, uow: UnitOfWork, clock: Clock) -> PurchaseOrder:
    """Save edits of a draft made on `expected_version` (StaleVersion if someone saved in between); quantities
    taken from requisition lines are reserved or given back by the difference."""
    require(actor, Permission.ORDER_UPDATE)
    header, entered = order_fields(raw, rows)
    now = clock.now()
    with uow:
        order = changeable(order_id, expected_version, actor, uow, Action.EDIT)
        stored = {line.id: line for line in order.lines}
        entered = [_identified(line, stored) for line in entered]
        held = {line.requisition_line_id for line in order.lines if line.requisition_line_id}
        facts = _facts(entered, held, actor, uow)
        edited = _with_terms(transition(order, Action.EDIT, now=now), header, entered, facts, actor, uow)
        before, after = changed_values(audited(order), audited(edited))
        if not after:
            return order
        save(edited, expected_version, uow)
        uow.purchase_orders.replace_lines(edited)
        _reserve(order.lines, edited, facts, entered, actor, uow, now)
        uow.audit.append(event("purchase_order.updated", edited, actor, now, before=before, after=after))
        uow.commit()
    return edited


def mine_by_token(form_token: str, actor: Actor, uow: UnitOfWork) -> PurchaseOrder | None:
    """The draft the actor's create form made already (a repeated or parallel submit), or None."""
    found = uow.purchase_orders.get_by_form_token(form_token) if form_token else None
    return found if found is not None and found.created_by == actor.user_id else None


def order_by_form_token(form_token: str, *, actor: Actor, uow: UnitOfWork) -> PurchaseOrder | None:
    """The draft a parallel submit of the same create form made (after a Conflict), or None."""
    require(actor, Permission.ORDER_CREATE)
    with uow:
        return mine_by_token(form_token, actor, uow)


def allowed_budgets(department_id: int | None, facts: Mapping[int, RequisitionLineFacts], now: datetime,
                    uow: UnitOfWork) -> dict[int, str]:
    """Budget lines a direct line may charge: the department's active ones for today, and those of the
    requisitions the order draws on. (id → name)"""
    budgets = uow.budgets.of_department(department_id, now.date()) if department_id is not None else []
    names = {b.id or 0: f"{b.code} · {b.name}" for b in budgets}
    for budget_id in {f.budget_id for f in facts.values() if f.budget_id is not None} - names.keys():
        budget = uow.budgets.get(budget_id or 0)
        if budget is not None:
            names[budget.id or 0] = f"{budget.code} · {budget.name}"
    return names


def _draft(header: OrderHeader, entered: list[LineInput], actor: Actor, uow: UnitOfWork, now: datetime,
           pattern: NumberPattern, form_token: str) -> PurchaseOrder:
    facts = _facts(entered, set(), actor, uow)
    order = PurchaseOrder(None, numbering.next_number(pattern, now, uow.sequences), header.supplier_id, "",
                          actor.user_id, actor.department_id, OrderStatus.DRAFT, "", "", "", actor.user_id, now, now,
                          form_token=form_token or None)
    order = _with_terms(order, header, entered, facts, actor, uow)
    order.id = uow.purchase_orders.add(order)
    uow.audit.append(event("purchase_order.created", order, actor, now, after=audited(order)))
    _reserve([], order, facts, entered, actor, uow, now)
    return order


def _with_terms(order: PurchaseOrder, header: OrderHeader, entered: list[LineInput], facts: Facts, actor: Actor,
                uow: UnitOfWork) -> PurchaseOrder:
    """The order with the header and lines; ValidationFailed names every line, budget or contract refused."""
    refusal = supplier_refusal(uow.order_sources.supplier(header.supplier_id))
    errors = {"supplier_id": refusal} if refusal else {}
    budgets = allowed_budgets(order.department_id, facts, order.updated_at, uow)
    lines = [line for position, entry in enumerate(entered, 1)
             if (line := _line(position, entry, facts, budgets, errors)) is not None]
    if errors:
        raise ValidationFailed(errors)
    edited = replace(order, supplier_id=header.supplier_id, title=header.title, contract_id=header.contract_id,
                     delivery_address=header.delivery_address, payment_terms=header.payment_terms,
                     notes=header.notes).with_lines(lines)
    check_contract(header.contract_id, header.supplier_id, edited.gross_total, order.id, uow)
    return edited


def _line(position: int, entry: LineInput, facts: Facts, budgets: Mapping[int, str],
          errors: dict[str, str]) -> OrderLine | None:
    fact = facts.get(entry.requisition_line_id or 0)
    if entry.requisition_line_id is not None and fact is None:
        errors[line_error_key(entry.row, "item")] = "order.requisition_line_unavailable"
        return None
    if fact is not None:
        entry = replace(entry, unit=fact.unit, budget_id=fact.budget_id)
    elif entry.budget_id is not None and entry.budget_id not in budgets:
        errors[line_error_key(entry.row, "budget_id")] = "choice.invalid"
        return None
    try:
        return OrderLine.of(position, entry)
    except InvalidNumber as refused:
        errors[line_error_key(entry.row, "unit_price")] = refused.code
        return None


def _identified(entry: LineInput, stored: Mapping[int | None, OrderLine]) -> LineInput:
    """A row keeps the requisition line of the stored line it edits; an id that is not this order's is dropped."""
    line = stored.get(entry.line_id) if entry.line_id is not None else None
    if line is None:
        return replace(entry, line_id=None)
    return replace(entry, requisition_line_id=line.requisition_line_id)


def _facts(entered: list[LineInput], held: set[int], actor: Actor, uow: UnitOfWork) -> Facts:
    """The requisition lines of the rows: those the order holds already whoever asks, new ones only if the actor
    may see them and they still have something to order."""
    wanted = {entry.requisition_line_id for entry in entered if entry.requisition_line_id is not None}
    known = uow.order_sources.requisition_lines(held, None) if held else {}
    return known | _orderable(wanted - held, actor, uow)


def _orderable(line_ids: set[int], actor: Actor, uow: UnitOfWork) -> Facts:
    found = uow.order_sources.requisition_lines(line_ids, actor) if line_ids else {}
    return {line_id: fact for line_id, fact in found.items() if fact.orderable}


def _reserve(before: list[OrderLine], order: PurchaseOrder, facts: Facts, entered: list[LineInput], actor: Actor,
             uow: UnitOfWork, now: datetime) -> None:
    rows = {e.requisition_line_id: e.row for e in reversed(entered) if e.requisition_line_id is not None}
    reservations.reconcile(_taken(before), _taken(order.lines), facts, rows=rows, order_number=order.number,
                           actor=actor, uow=uow, now=now)


def _taken(lines: list[OrderLine]) -> reservations.Quantities:
    return reservations.quantities((line.requisition_line_id, line.quantity) for line in lines)


def _from_requisition(row: int, fact: RequisitionLineFacts) -> LineInput:
    return LineInput(None, fact.id, fact.item, fact.specification, fact.remaining, fact.unit,
                     fact.price_before_tax(DEFAULT_TAX_RATE), DEFAULT_TAX_RATE, fact.needed_by, fact.budget_id, row)


def _title(chosen: list[RequisitionLineFacts]) -> str:
    titles = list(dict.fromkeys(fact.requisition_title for fact in chosen))
    title = titles[0] if len(titles) == 1 else "; ".join(dict.fromkeys(f.requisition_number for f in chosen))
    return title[:200]
