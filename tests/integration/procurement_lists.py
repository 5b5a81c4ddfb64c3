"""A purchasing office and its documents for the procurement list tools' tests: suppliers through their service
(the bank account sealed with the app's keys), orders, requisitions, receipts and invoices written to the tables,
and shortcuts for signing in, exporting and reading the audit trail."""

import csv
import io
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, insert, text, update

from adapters.sqlalchemy.tables import goods_receipt_lines, goods_receipts, purchase_orders, supplier_invoices
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from domain.suppliers import services as suppliers
from domain.suppliers.contact_services import add_supplier_contact
from tests.builders import NOW
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.receiving_helpers import Line, add_order
from tests.supplier_builders import supplier_form
from web.deps import Dependencies

D = Decimal


@dataclass
class Purchasing:
    """Company ▸ purchasing (the buyer, the procurement manager) and ▸ plant (a buyer far away); finance and an
    employee at the top."""

    app: Flask
    deps: Dependencies
    engine: Engine
    purchasing: int
    plant: int
    buyer: Actor
    manager: Actor
    far: Actor
    finance: Actor
    employee: Actor

    def client(self, actor: Actor, fresh: bool = True) -> tuple[FlaskClient, str]:
        """A signed-in browser and its CSRF token."""
        client = self.app.test_client()
        sign_in_as(client, self.deps, actor, fresh=fresh)
        return client, csrf_of(client, "/account")

    def supplier(self, name: str, status: str = "qualified", **fields: str) -> int:
        """A supplier registered through its service (bank account sealed), then put into `status`."""
        form = supplier_form(name=name, credit_code="", **fields)
        supplier = suppliers.register_supplier(form, secrets.token_hex(8), confirmed=True, actor=self.manager,
                                               uow=self.deps.uow(), clock=self.deps.clock)
        self.execute("UPDATE suppliers SET status = :s WHERE id = :i", s=status, i=supplier.id)
        return supplier.id or 0

    def contact(self, supplier_id: int, name: str, phone: str, email: str) -> None:
        add_supplier_contact(supplier_id, {"name": name, "title": "", "phone": phone, "email": email, "notes": ""},
                             actor=self.manager, uow=self.deps.uow(), clock=self.deps.clock)

    def order(self, buyer: Actor, supplier_id: int, status: str, *lines: Line, number: str | None = None,
              title: str = "网络设备") -> int:
        """An order with its totals (net, VAT, gross as the lines add up)."""
        order_id, _ = add_order(self.engine, buyer, supplier_id, *(lines or (("交换机", "2", "1000", 13),)),
                                status=status, number=number)
        with self.engine.begin() as connection:
            connection.execute(text(
                "UPDATE purchase_orders SET title = :t, net_total = (SELECT sum(net_amount) FROM purchase_order_lines "
                "WHERE order_id = :o), tax_total = (SELECT sum(tax_amount) FROM purchase_order_lines WHERE order_id "
                "= :o), gross_total = (SELECT sum(gross_amount) FROM purchase_order_lines WHERE order_id = :o) "
                "WHERE id = :o"), {"o": order_id, "t": title})
        return order_id

    def receipt(self, order_id: int, received_by: Actor, *quantities: tuple[str, str, str]) -> int:
        """A receipt of the order's lines in position order: (received, accepted, rejected) each."""
        with self.engine.begin() as connection:
            receipt_id = int(connection.execute(insert(goods_receipts).values(
                number="GR-T-" + secrets.token_hex(3), order_id=order_id, received_on=NOW.date(),
                received_by=received_by.user_id, notes="=cmd", created_at=NOW).returning(goods_receipts.c.id)
            ).scalar_one())
            lines = connection.execute(text("SELECT id FROM purchase_order_lines WHERE order_id = :o ORDER BY "
                                            "position"), {"o": order_id}).scalars()
            for line_id, (received, accepted, rejected) in zip(lines, quantities, strict=False):
                connection.execute(insert(goods_receipt_lines).values(
                    receipt_id=receipt_id, order_line_id=line_id, received_quantity=D(received),
                    accepted_quantity=D(accepted), rejected_quantity=D(rejected),
                    rejection_reason="破损" if D(rejected) else ""))
        return receipt_id

    def invoice(self, order_id: int, recorded_by: Actor, status: str, gross: str = "2260.00") -> int:
        net = (D(gross) / D("1.13")).quantize(D("0.01"))
        with self.engine.begin() as connection:
            supplier_id = connection.execute(text("SELECT supplier_id FROM purchase_orders WHERE id = :o"),
                                             {"o": order_id}).scalar_one()
            return int(connection.execute(insert(supplier_invoices).values(
                number="INV-" + secrets.token_hex(3), supplier_id=supplier_id, order_id=order_id,
                invoice_date=NOW.date(), currency="CNY", net_total=net, tax_total=D(gross) - net,
                gross_total=D(gross), status=status, recorded_by=recorded_by.user_id,
                created_at=NOW, updated_at=NOW, version=1).returning(supplier_invoices.c.id)).scalar_one())

    def set_order(self, order_id: int, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(purchase_orders).where(purchase_orders.c.id == order_id).values(**values))

    def execute(self, sql: str, **params: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(sql), params)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())

    def audit(self, action: str) -> list[tuple[str, dict[str, Any]]]:
        """(entity id, after) of each audit event of `action`, oldest first."""
        return [(row[0], json.loads(row[1]) if isinstance(row[1], str) else row[1])
                for row in self.rows("SELECT entity_id, after FROM audit_events WHERE action = :a ORDER BY id",
                                     a=action)]


def purchasing_office(app: Flask, deps: Dependencies, engine: Engine) -> Purchasing:
    company = add_department(engine, "Company")
    purchasing, plant = add_department(engine, "Purchasing", company), add_department(engine, "Plant", company)
    uow = SqlUnitOfWork(engine)
    return Purchasing(app, deps, engine, purchasing, plant, add_user(uow, "buyer", {"buyer"}, purchasing),
                      add_user(uow, "pm", {"procurement_manager"}, purchasing), add_user(uow, "far", {"buyer"}, plant),
                      add_user(uow, "fay", {"finance"}, company), add_user(uow, "emma", {"employee"}, purchasing))


def export(client: FlaskClient, token: str, url: str, name: str, file_format: str = "csv",
           **filters: str) -> bytes:
    """Start the export of the list at `url` as htmx does, then download the file the progress offers."""
    started = client.post(url + "/export", data={"csrf_token": token, "format": file_format} | filters,
                          headers={"HX-Request": "true", "HX-Target": f"{name}-export"})
    assert started.status_code == 200 and started.text.startswith(f'<div id="{name}-export">'), started.text
    download = client.get(started.text.split('href="', 1)[1].split('"', 1)[0])
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    return bytes(download.data)


def table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
