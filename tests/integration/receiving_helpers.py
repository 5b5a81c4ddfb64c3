"""Suppliers and purchase orders for receiving and invoicing tests, stored with plain inserts (the orders slice
builds the real order pages; here an order only needs to exist in a given status)."""

import json
import secrets
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert, select

from adapters.sqlalchemy.tables import purchase_order_lines, purchase_orders, suppliers
from domain.identity.models import Actor
from domain.procurement.amounts import line_amounts
from tests.builders import NOW

Line = tuple[str, str, str, int]  # item, quantity, unit price before tax, VAT rate
# A stored match as JSON text: nothing accepted yet, one invoiced (the route matrix's invoice in exception).
MATRIX_MATCH = json.dumps({
    "quantity": "1", "accepted": "0", "invoiced_before": "0", "invoiced_total": "1", "quantity_limit": "0",
    "quantity_tolerance": "0.00", "unit_price": "1", "order_price": "1", "price_limit": "1.02",
    "price_tolerance": "2.00", "price_difference": "0.0", "tax_rate": 13, "order_tax_rate": 13,
    "issues": ["not_received"]})


def add_supplier(engine: Engine, created_by: Actor, name: str = "苏州精工五金有限公司") -> int:
    with engine.begin() as connection:
        return int(connection.execute(insert(suppliers).values(
            name=name, name_key=name, category="goods", status="qualified", created_by=created_by.user_id,
            created_at=NOW, updated_at=NOW).returning(suppliers.c.id)).scalar_one())


def add_order(engine: Engine, buyer: Actor, supplier_id: int, *lines: Line, status: str = "sent",
              number: str | None = None) -> tuple[int, list[int]]:
    """An order of the buyer (in their department) with the given lines; returns its id and its line ids."""
    with engine.begin() as connection:
        order_id = int(connection.execute(insert(purchase_orders).values(
            number=number or "PO-T-" + secrets.token_hex(4).upper(), supplier_id=supplier_id, buyer_id=buyer.user_id,
            department_id=buyer.department_id, status=status, created_by=buyer.user_id, created_at=NOW,
            updated_at=NOW).returning(purchase_orders.c.id)).scalar_one())
        line_ids = [int(connection.execute(insert(purchase_order_lines).values(
            order_id=order_id, position=position, unit="pcs", **_line(*line)).returning(
            purchase_order_lines.c.id)).scalar_one()) for position, line in enumerate(lines, 1)]
    return order_id, line_ids


def order_state(engine: Engine, order_id: int) -> tuple[str, int, list[tuple[Decimal, Decimal, Decimal]]]:
    """The order's status and version, and per line (received, accepted, invoiced)."""
    with engine.connect() as connection:
        order = connection.execute(select(purchase_orders.c.status, purchase_orders.c.version)
                                   .where(purchase_orders.c.id == order_id)).one()
        lines = connection.execute(select(
            purchase_order_lines.c.received_quantity, purchase_order_lines.c.accepted_quantity,
            purchase_order_lines.c.invoiced_quantity).where(purchase_order_lines.c.order_id == order_id)
            .order_by(purchase_order_lines.c.position))
        return order.status, order.version, [tuple(Decimal(v) for v in row) for row in lines]  # type: ignore[misc]


def _line(item: str, quantity: str, price: str, rate: int) -> dict[str, Any]:
    amounts = line_amounts(Decimal(quantity), Decimal(price), rate)
    return {"item": item, "quantity": Decimal(quantity), "unit_price": Decimal(price), "tax_rate": rate,
            "net_amount": amounts.net, "tax_amount": amounts.tax, "gross_amount": amounts.gross}
