"""Form values, list query and labels of the supplier pages (validation itself lives in the domain)."""

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l, lazy_pgettext

from domain.suppliers.models import (
    CATEGORIES,
    SENSITIVE_FIELDS,
    DocumentAlert,
    Supplier,
    SupplierListQuery,
    SupplierStatus,
)
from web.customers.forms import secret_differs
from web.i18n import per_language

FIELDS = ("name", "credit_code", "category", "region", "address", "payment_terms", "bank_name", "bank_account",
          "notes", "remove_bank_account", "confirm_duplicate")
STATUSES = {"pending": _l("Pending qualification"), "qualified": _l("Qualified"), "suspended": _l("Suspended"),
            "blacklisted": _l("Blacklisted")}
CATEGORY_NAMES = {
    "raw_materials": _l("Raw materials"), "components": _l("Components and parts"), "equipment": _l("Equipment"),
    "it_software": _l("IT and software"), "services": lazy_pgettext("supplier category", "Services"),
    "logistics": lazy_pgettext("supplier category", "Logistics"), "office_supplies": _l("Office supplies"),
    "construction": lazy_pgettext("supplier category", "Construction"),
    "other": lazy_pgettext("supplier category", "Other"),
}
DOCUMENT_KINDS = {"business_licence": _l("Business licence"), "qualification": _l("Qualification certificate"),
                  "quality_cert": _l("Quality certification (ISO 9001 etc.)"), "tax": _l("Tax registration"),
                  "other": lazy_pgettext("document kind", "Other")}
DOCUMENT_FILTERS = {"expiring": _l("Documents expiring within 60 days"), "expired": _l("Documents expired")}
FIELD_NAMES = {"name": _l("Name"), "credit_code": _l("Unified social credit code"), "category": _l("Category"),
               "region": _l("Region"), "address": _l("Address"), "payment_terms": _l("Payment terms"),
               "bank_name": _l("Bank"), "bank_account": _l("Bank account"), "notes": _l("Notes"),
               "status": _l("Status"), "reason": _l("Reason"), "kind": _l("Kind"), "title": _l("Title"),
               "number": _l("Number"), "issued_on": _l("Issued on"), "expires_on": _l("Expires on"),
               "file": _l("File"), "from": _l("From"), "to": _l("To")}
_TABLES = {"supplier_status_names": STATUSES, "category_names": CATEGORY_NAMES, "document_kind_names": DOCUMENT_KINDS,
           "document_filter_names": DOCUMENT_FILTERS, "supplier_field_names": FIELD_NAMES}


@per_language
def labels() -> dict[str, dict[str, str]]:
    """Translated label tables for the supplier templates (computed once per language)."""
    return {name: {k: str(v) for k, v in table.items()} for name, table in _TABLES.items()}


def supplier_query(args: Mapping[str, str]) -> SupplierListQuery:
    """A SupplierListQuery from request args; unknown or malformed values fall back to defaults."""
    status, category, documents = args.get("status", ""), args.get("category", ""), args.get("documents", "")
    return SupplierListQuery(
        text=args.get("q", "").strip()[:100],
        status=SupplierStatus(status) if status in SupplierStatus.__members__.values() else None,
        category=category if category in CATEGORIES else None,
        documents=DocumentAlert(documents) if documents in DocumentAlert.__members__.values() else None,
        after=args.get("after") or None, before=args.get("before") or None)


def values_of(supplier: Supplier) -> dict[str, str]:
    """The supplier's stored values as form strings; the bank account stays empty (it is write-only)."""
    return {k: "" if v is None or k in SENSITIVE_FIELDS else str(v) for k, v in supplier.fields.as_values().items()}


def masks_of(supplier: Supplier) -> dict[str, str]:
    """The masks of the stored sensitive values, for placeholders and the conflict panel."""
    return {field: supplier.fields.masked(field) for field in SENSITIVE_FIELDS}


def form_values(raw: Mapping[str, str]) -> dict[str, str]:
    """Only the known fields of a submitted form, so nothing else is echoed back."""
    return {k: str(raw.get(k, "")) for k in FIELDS}


def conflicting(raw: Mapping[str, str], current: Supplier) -> dict[str, str]:
    """Fields whose saved value differs from what the form asks for; the bank account as a mask."""
    saved = values_of(current)
    changed = {k: v for k, v in saved.items() if k not in SENSITIVE_FIELDS and str(raw.get(k, "")).strip() != v}
    return changed | {f: current.fields.masked(f) for f, kind in SENSITIVE_FIELDS.items()
                      if secret_differs(raw, f, getattr(current.fields, f), kind)}


def confirmed(raw: Mapping[str, str]) -> bool:
    """The user ticked "this is a different supplier" after the duplicate warning."""
    return raw.get("confirm_duplicate", "") == "1"

