"""What a role may do (RBAC) and how far it sees (record scope). Pure data.

Roles live in the database (seeded by migration 0002 from DEFAULT_ROLES, editable by
administrators); an Actor carries the union of its roles' grants, loaded on every request.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Permission(StrEnum):
    CUSTOMER_READ = "customer.read"
    CUSTOMER_CREATE = "customer.create"
    CUSTOMER_UPDATE = "customer.update"
    CUSTOMER_ARCHIVE = "customer.archive"
    CUSTOMER_ASSIGN = "customer.assign"
    CUSTOMER_REVEAL = "customer.reveal"
    CUSTOMER_EXPORT = "customer.export"
    CUSTOMER_IMPORT = "customer.import"
    CUSTOMER_MERGE = "customer.merge"
    FOLLOWUP_CREATE = "followup.create"
    CONTRACT_READ = "contract.read"
    CONTRACT_CREATE = "contract.create"
    CONTRACT_UPDATE = "contract.update"
    CONTRACT_TERMINATE = "contract.terminate"
    APPROVAL_RULES = "approval.rules"
    AUDIT_READ = "audit.read"
    AUDIT_EXPORT = "audit.export"
    USER_MANAGE = "user.manage"
    DEPARTMENT_MANAGE = "department.manage"
    ROLE_MANAGE = "role.manage"
    SESSION_MANAGE = "session.manage"
    SUPPLIER_READ = "supplier.read"
    SUPPLIER_CREATE = "supplier.create"
    SUPPLIER_UPDATE = "supplier.update"
    SUPPLIER_QUALIFY = "supplier.qualify"  # qualify, suspend, blacklist (with reason), restore
    SUPPLIER_REVEAL = "supplier.reveal"  # bank account and contact data in clear
    SUPPLIER_IMPORT = "supplier.import"
    SUPPLIER_EXPORT = "supplier.export"
    REQUISITION_READ = "requisition.read"
    REQUISITION_CREATE = "requisition.create"  # raise, edit own drafts, submit
    REQUISITION_CLOSE = "requisition.close"  # close what will not be ordered (releases its budget)
    BUDGET_READ = "budget.read"
    BUDGET_MANAGE = "budget.manage"
    BUDGET_OVERRIDE = "budget.override"  # commit beyond a stop budget (audited)
    ORDER_READ = "purchase_order.read"
    ORDER_CREATE = "purchase_order.create"
    ORDER_UPDATE = "purchase_order.update"  # edit drafts, submit, send, cancel, close
    RECEIPT_CREATE = "receipt.create"
    INVOICE_READ = "invoice.read"
    INVOICE_CREATE = "invoice.create"
    INVOICE_RESOLVE = "invoice.resolve"  # the three-way-match exception queue
    PURCHASE_EXPORT = "purchase.export"  # requisition, order, receipt and invoice lists
    PROCUREMENT_SETTINGS = "procurement.settings"  # match and receipt tolerances

    @property
    def module(self) -> str:
        return MODULE_OF[self.value.split(".")[0]]


MODULE_OF = {"customer": "customers", "followup": "customers", "contract": "contracts", "approval": "approvals",
             "audit": "audit", "user": "administration", "department": "administration", "role": "administration",
             "session": "administration", "supplier": "suppliers", "requisition": "procurement",
             "budget": "procurement", "purchase_order": "procurement", "receipt": "procurement",
             "invoice": "procurement", "purchase": "procurement", "procurement": "procurement"}
MODULES = ("customers", "contracts", "suppliers", "procurement", "approvals", "administration", "audit")


class Scope(StrEnum):
    """How many records of an entity a role sees: its own, its department subtree's, or all."""

    OWN = "own"
    DEPARTMENT = "department"
    ALL = "all"


SCOPE_ORDER = {Scope.OWN: 0, Scope.DEPARTMENT: 1, Scope.ALL: 2}
# Entities with record rules. Receipts and supplier invoices follow their order's scope; suppliers are the
# company's shared vendor master and have none.
ENTITIES = ("customer", "contract", "requisition", "purchase_order")


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    permissions: frozenset[Permission]
    scopes: Mapping[str, Scope] = field(default_factory=dict)
    builtin: bool = False


_SALES = frozenset({Permission.CUSTOMER_READ, Permission.CUSTOMER_CREATE, Permission.CUSTOMER_UPDATE,
                    Permission.CUSTOMER_REVEAL, Permission.CUSTOMER_EXPORT, Permission.FOLLOWUP_CREATE,
                    Permission.CONTRACT_READ, Permission.CONTRACT_CREATE, Permission.CONTRACT_UPDATE})
_READ_ALL = frozenset({Permission.CUSTOMER_READ, Permission.CONTRACT_READ, Permission.SUPPLIER_READ,
                       Permission.REQUISITION_READ, Permission.BUDGET_READ, Permission.ORDER_READ,
                       Permission.INVOICE_READ})
_ALL = {"customer": Scope.ALL, "contract": Scope.ALL, "requisition": Scope.ALL, "purchase_order": Scope.ALL}
_BUYING = frozenset({Permission.SUPPLIER_READ, Permission.SUPPLIER_CREATE, Permission.SUPPLIER_UPDATE,
                     Permission.REQUISITION_READ, Permission.REQUISITION_CLOSE, Permission.BUDGET_READ,
                     Permission.ORDER_READ, Permission.ORDER_CREATE, Permission.ORDER_UPDATE,
                     Permission.RECEIPT_CREATE, Permission.INVOICE_READ, Permission.PURCHASE_EXPORT})
_REQUESTING = frozenset({Permission.REQUISITION_READ, Permission.REQUISITION_CREATE})
# Purchase contracts (migration 0010): buyers draft their own, procurement managers run their department's.
_CONTRACTING = frozenset({Permission.CONTRACT_READ, Permission.CONTRACT_CREATE, Permission.CONTRACT_UPDATE})

DEFAULT_ROLES: dict[str, Role] = {role.key: role for role in (
    Role("administrator", "Administrator", frozenset(Permission), _ALL, True),
    Role("sales_manager", "Sales manager",
         _SALES | {Permission.CUSTOMER_ARCHIVE, Permission.CUSTOMER_ASSIGN, Permission.CUSTOMER_IMPORT,
                   Permission.CUSTOMER_MERGE, Permission.CONTRACT_TERMINATE},
         {"customer": Scope.DEPARTMENT, "contract": Scope.DEPARTMENT}, True),
    Role("sales_rep", "Sales rep", _SALES, {"customer": Scope.OWN, "contract": Scope.OWN}, True),
    Role("buyer", "Buyer", _BUYING | _REQUESTING | _CONTRACTING,
         {"requisition": Scope.DEPARTMENT, "purchase_order": Scope.DEPARTMENT, "contract": Scope.OWN}, True),
    Role("procurement_manager", "Procurement manager",
         _BUYING | _REQUESTING | _CONTRACTING | {
             Permission.SUPPLIER_QUALIFY, Permission.SUPPLIER_REVEAL, Permission.SUPPLIER_IMPORT,
             Permission.SUPPLIER_EXPORT, Permission.BUDGET_OVERRIDE, Permission.CONTRACT_TERMINATE},
         {"requisition": Scope.ALL, "purchase_order": Scope.ALL, "contract": Scope.DEPARTMENT}, True),
    Role("employee", "Employee", _REQUESTING, {"requisition": Scope.OWN}, True),
    Role("finance", "Finance",
         _READ_ALL | {Permission.SUPPLIER_REVEAL, Permission.BUDGET_MANAGE, Permission.INVOICE_CREATE,
                      Permission.INVOICE_RESOLVE, Permission.PURCHASE_EXPORT, Permission.PROCUREMENT_SETTINGS},
         _ALL, True),
    Role("auditor", "Auditor", _READ_ALL | {Permission.AUDIT_READ, Permission.AUDIT_EXPORT}, _ALL, True),
)}


def combined_permissions(roles: Iterable[Role]) -> frozenset[Permission]:
    """Union of the permissions of `roles`."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= role.permissions
    return frozenset(granted)


def combined_scopes(roles: Iterable[Role]) -> dict[str, Scope]:
    """Per entity, the widest scope any of `roles` grants; entities absent are not visible at all."""
    widest: dict[str, Scope] = {}
    for role in roles:
        for entity, scope in role.scopes.items():
            if entity not in widest or SCOPE_ORDER[scope] > SCOPE_ORDER[widest[entity]]:
                widest[entity] = scope
    return widest


def default_grants(role_keys: Iterable[str]) -> tuple[frozenset[Permission], dict[str, Scope]]:
    """The grants of the named default roles (tests and fakes; the app reads roles from the database)."""
    roles = [DEFAULT_ROLES[key] for key in role_keys if key in DEFAULT_ROLES]
    return combined_permissions(roles), combined_scopes(roles)
