"""The supplier list's registration with the list tools: saved views and export (bulk actions: bulk.py).

Views keep the search and the status, category and document filters, and need supplier.read like the list.
The export needs supplier.export plus a fresh sign-in and is audited as supplier.exported. The bank account is
always masked; the supplier's contacts (people, phones, e-mail addresses) are not exported at all. Suppliers
have no record scope: the permission decides.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from domain.identity.permissions import Permission
from domain.lists.models import ListSpec
from domain.lists.specs import BatchRequest, ExportBatch, ExportColumn, ExportSpec
from domain.shared.sensitive import SensitiveKind
from domain.suppliers.models import CATEGORIES, DocumentAlert, SupplierExportRow, SupplierListQuery, SupplierStatus
from domain.unit_of_work import UnitOfWork

SUPPLIER_LIST = ListSpec("suppliers", Permission.SUPPLIER_READ, ("q", "status", "category", "documents"))
COLUMNS = ("name", "credit_code", "category", "status", "status_reason", "region", "address", "payment_terms",
           "bank_name", "bank_account", "documents", "next_expiry", "registered")


def filters_of(query: SupplierListQuery) -> dict[str, Any]:
    """The list query's filters as JSON values (no cursor: an export starts at the top)."""
    return {"text": query.text, "status": query.status.value if query.status else None, "category": query.category,
            "documents": query.documents.value if query.documents else None}


def query_of(filters: Mapping[str, Any], per_page: int) -> SupplierListQuery:
    """The list query back from `filters_of`, values checked again."""
    status, category, documents = (str(filters.get(key)) for key in ("status", "category", "documents"))
    return SupplierListQuery(
        text=str(filters.get("text") or "")[:100],
        status=SupplierStatus(status) if status in SupplierStatus.__members__.values() else None,
        category=category if category in CATEGORIES else None,
        documents=DocumentAlert(documents) if documents in DocumentAlert.__members__.values() else None,
        per_page=per_page)


def read_batch(request: BatchRequest, uow: UnitOfWork) -> ExportBatch:
    """One batch of the filtered supplier list, newest first; document alerts as of the export's day."""
    query = replace(query_of(request.filters, request.size), after=request.after)
    page = uow.suppliers.export_rows(query, request.now.astimezone().date())  # the server's day, as on screen
    return ExportBatch([_row(s, request.labels) for s in page.items], page.next_cursor)


def _row(s: SupplierExportRow, labels: Mapping[str, Any]) -> list[object]:
    return [s.name, s.credit_code, labels["categories"].get(s.category, s.category),
            labels["statuses"].get(s.status, s.status), s.status_reason, labels["regions"].get(s.region, s.region),
            s.address, s.payment_terms, s.bank_name, s.bank_account,
            labels["documents"].get(s.alert.value, "") if s.alert else "",
            s.next_expiry.isoformat() if s.next_expiry else "", s.created_on.isoformat()]


SUPPLIER_EXPORT = ExportSpec(
    SUPPLIER_LIST, "supplier", Permission.SUPPLIER_EXPORT,
    tuple(ExportColumn(key, SensitiveKind.BANK_ACCOUNT if key == "bank_account" else None) for key in COLUMNS),
    filters_of, read_batch)
