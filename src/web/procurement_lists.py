"""The procurement lists plugged into the list tools (saved views, export, bulk actions), for the app factory."""

from web.invoices.list_page import INVOICE_PAGE
from web.orders.list_page import ORDER_PAGE
from web.receipts.list_page import RECEIPT_PAGE
from web.requisitions.list_page import REQUISITION_PAGE
from web.suppliers.list_page import SUPPLIER_PAGE

PROCUREMENT_PAGES = (SUPPLIER_PAGE, REQUISITION_PAGE, ORDER_PAGE, RECEIPT_PAGE, INVOICE_PAGE)
