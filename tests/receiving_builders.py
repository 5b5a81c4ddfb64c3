"""Builders for receiving and invoicing unit tests: orders in the fake order book, actors, form entries."""

from decimal import Decimal

from domain.identity.models import Actor
from domain.invoicing.entry import InvoiceEntry, InvoiceLineEntry
from domain.purchasing.models import OrderStatus
from domain.receiving.entry import LineEntry, ReceiptEntry
from domain.shared.numbering import NumberPattern
from tests.fakes import FakeUnitOfWork
from tests.procurement_fakes import FakeOrder, FakeOrderLine

RECEIPTS = NumberPattern.parse("GR-{year}-{seq:05d}", "goods_receipt")
BUYER = Actor(1, "buyer", "Buyer", frozenset({"buyer"}), 10)
CLERK = Actor(2, "clerk", "Clerk", frozenset({"finance"}), 20)
CONTROLLER = Actor(3, "controller", "Controller", frozenset({"finance"}), 20)
STRANGER = Actor(4, "other", "Other buyer", frozenset({"buyer"}), 30)
EMPLOYEE = Actor(5, "employee", "Employee", frozenset({"employee"}), 10)


def an_order(uow: FakeUnitOfWork, *quantities: str, status: OrderStatus = OrderStatus.SENT,
             order_id: int = 1) -> FakeOrder:
    """An order of the buyer's department with one line per quantity (ids 11, 12, …), ¥10.00 each, 13 % VAT."""
    lines = [FakeOrderLine(order_id * 10 + n, n, f"Item {n}", Decimal(q)) for n, q in enumerate(quantities, 1)]
    return uow.orders_book.add(FakeOrder(order_id, f"PO-2026-{order_id:05d}", status, lines, buyer_id=BUYER.user_id,
                                         department_id=BUYER.department_id))


def receipt(*lines: tuple[int, str, str, str] | tuple[int, str, str, str, str], day: str = "2026-11-20",
            token: str = "") -> ReceiptEntry:
    """A receipt entry from (line id, received, accepted, rejected[, reason]) rows."""
    return ReceiptEntry(day, "", tuple(LineEntry(str(row[0]), *row[1:]) for row in lines), token)


def invoice(*lines: tuple[int, str, str] | tuple[int, str, str, str], number: str = "INV-1",
            day: str = "2026-11-21", total: str = "", token: str = "") -> InvoiceEntry:
    """An invoice entry from (line id, quantity, unit price[, VAT rate]) rows."""
    return InvoiceEntry(number, day, total, tuple(InvoiceLineEntry(str(row[0]), *row[1:]) for row in lines), token)
