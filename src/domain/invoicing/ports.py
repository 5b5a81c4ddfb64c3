"""Invoicing ports."""

from decimal import Decimal
from typing import Protocol

from domain.identity.models import Actor
from domain.invoicing.matching import LineFacts
from domain.invoicing.models import (
    InvoiceListQuery,
    InvoiceSummary,
    InvoiceView,
    OrderForInvoice,
    SupplierInvoice,
)
from domain.shared.paging import Page


class InvoiceRepository(Protocol):
    """Supplier invoices and the invoiced quantities of order lines; every read for a person is limited to the
    record scope of the invoice's purchase order."""

    def order_for_invoice(self, order_id: int, actor: Actor, *, lock: bool = False) -> OrderForInvoice | None:
        """The order and its lines if it is in the actor's scope, else None; `lock` holds the order's row until
        commit (a cancel waits for the invoice, or the invoice sees the cancel)."""
        ...
    def invoiceable_orders(self, text: str, actor: Actor, limit: int) -> list[OrderForInvoice]:
        """Orders in scope an invoice may be recorded against, matching an order number or supplier name (without
        their lines): the order picker of a new invoice."""
        ...
    def id_by_number(self, supplier_id: int, number: str) -> int | None:
        """The invoice of this supplier with this number, if recorded already."""
        ...
    def by_form_token(self, form_token: str) -> SupplierInvoice | None:
        """The invoice a form recorded already (double submit), or None."""
        ...
    def add(self, invoice: SupplierInvoice) -> int:
        """Store the invoice with its lines and their matches; returns its id."""
        ...
    def bill_line(self, order_line_id: int, quantity: Decimal) -> LineFacts:
        """Add `quantity` (negative to release) to the line's invoiced quantity in one atomic UPDATE, and return the
        line's facts as that UPDATE left them, with what was invoiced before it: concurrent invoices of one line
        queue on its row, and each is matched against what the earlier ones billed."""
        ...
    def get(self, invoice_id: int, actor: Actor) -> InvoiceView | None:
        """The invoice with names and lines if its order is in the actor's scope, else None."""
        ...
    def resolve(self, invoice: SupplierInvoice, expected_version: int) -> bool:
        """Write the invoice's status and resolution if it is still at `expected_version`; False otherwise."""
        ...
    def search(self, query: InvoiceListQuery, actor: Actor) -> Page[InvoiceSummary]:
        """One keyset page, newest first, of the invoices of orders in the actor's scope that match the query."""
        ...
    def export_rows(self, query: InvoiceListQuery, actor: Actor) -> Page[InvoiceView]:
        """The same page as `search`, each invoice with its names and lines (read for the page at once)."""
        ...
    def exceptions(self, after: str | None, limit: int, actor: Actor) -> list[InvoiceView]:
        """Invoices in exception of orders in the actor's scope, oldest first, after the cursor, with their lines."""
        ...
    def exception_count(self, actor: Actor, cap: int) -> int:
        """How many invoices in the actor's scope wait in exception, counting no further than `cap`."""
        ...
