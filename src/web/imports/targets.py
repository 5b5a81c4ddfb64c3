"""What the import pages say and offer per target: URLs, field names, choice labels, texts, error messages.

Customers keep the URLs and wording they had before suppliers became a second target.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString, lazy_gettext as _l

from domain.imports.customers import CUSTOMERS
from domain.imports.suppliers import SUPPLIERS
from domain.imports.target import ImportTarget
from web import i18n
from web.suppliers.forms import CATEGORY_NAMES, FIELD_NAMES as SUPPLIER_FIELDS
from web.templating import FIELD_NAMES as CUSTOMER_FIELDS

Labels = Mapping[str, LazyString]


@dataclass(frozen=True)
class WebTarget:
    domain: ImportTarget[Any, Any]
    blueprint: str  # endpoint prefix of its pages
    prefix: str  # their URL
    list_endpoint: str  # the list the pages lead back to
    field_names: Labels  # per import field
    choice_labels: Mapping[str, Labels]  # per choice field, code → label (read back from cells in zh and en)
    texts: Labels  # the wording of the pages that names the records
    messages: Labels  # error messages of this target that differ from the shared ones (i18n.ERRORS)


CUSTOMER_IMPORT = WebTarget(
    CUSTOMERS, "imports", "/customers/import", "customers.index",
    {field: CUSTOMER_FIELDS["owner_id" if field == "owner" else field] for field in CUSTOMERS.fields},
    {"industry": i18n.INDUSTRIES, "region": i18n.REGIONS, "stage": i18n.STAGES},
    {"title": _l("Import customers"), "back": _l("Back to customers"),
     "columns_hint": _l("Columns such as 名称 / Name, 统一社会信用代码 / Credit code, 行业 / Industry, 地区 / Region, "
                        "阶段 / Stage, 负责人 / Owner, 电话 / Phone, 邮箱 / E-mail are recognised."),
     "mapping_help": _l("Choose the customer field each column fills. Your choice is remembered for files with the "
                        "same columns."),
     "field_column": _l("Customer field"), "existing": _l("Rows whose customer exists already"),
     "mode_credit_code": _l("Update the customer with the same credit code"),
     "mode_name": _l("Update the customer with exactly the same name"),
     "update_hint": _l("Updates change only the fields whose cells are filled; other rows create new customers."),
     "undo_help": _l("Undo deletes the customers this import created and gives updated customers their earlier "
                     "values. Customers changed since, or with follow-ups or contracts since, are kept."),
     "kept_linked": _l("Kept: follow-ups or contracts added since")},
    {})

SUPPLIER_IMPORT = WebTarget(
    SUPPLIERS, "supplier_imports", "/suppliers/import", "suppliers.index",
    {field: SUPPLIER_FIELDS[field] for field in SUPPLIERS.fields},
    {"category": CATEGORY_NAMES, "region": i18n.REGIONS},
    {"title": _l("Import suppliers"), "back": _l("Back to suppliers"),
     "columns_hint": _l("Columns such as 名称 / Name, 统一社会信用代码 / Credit code, 类别 / Category, "
                        "地区 / Region, 地址 / Address, 付款条件 / Payment terms, 开户行 / Bank, "
                        "银行账号 / Bank account, 备注 / Notes are recognised. Empty categories and regions become "
                        "“Other”."),
     "mapping_help": _l("Choose the supplier field each column fills. Your choice is remembered for files with the "
                        "same columns."),
     "field_column": _l("Supplier field"), "existing": _l("Rows whose supplier exists already"),
     "mode_credit_code": _l("Update the supplier with the same credit code"),
     "mode_name": _l("Update the supplier with exactly the same name"),
     "update_hint": _l("Updates change only the fields whose cells are filled; other rows register new suppliers, "
                       "always as pending qualification."),
     "commit_note": _l("New suppliers start as pending qualification: qualify each one on its page."),
     "errors_note": _l("The file repeats what was uploaded, bank accounts included, so that you can correct it "
                       "and upload it again. Keep it safe and delete it when you are done."),
     "undo_help": _l("Undo deletes the suppliers this import registered and gives updated suppliers their earlier "
                     "values. Suppliers changed since, or with contacts, documents, orders, contracts or invoices "
                     "since, are kept."),
     "kept_linked": _l("Kept: contacts, documents, orders, contracts or invoices added since")},
    {"mapping.name_missing": _l("Choose the column that holds the supplier name; every supplier needs one."),
     "credit_code.taken": _l("A supplier with this credit code is registered already; remove the row, or import "
                             "with “update by credit code”."),
     "import.name_taken": _l("A supplier with this name, or the same name spelt differently (with or without the "
                             "city or legal form), is registered already; remove the row, or use its exact name and "
                             "import with “update by name”."),
     "import.name_ambiguous": _l("Several suppliers have exactly this name; use the credit code as the key "
                                 "instead.")})

WEB_TARGETS = {target.blueprint: target for target in (CUSTOMER_IMPORT, SUPPLIER_IMPORT)}
