"""'Why can I see this?' in words: the reasons of an AccessExplanation as translated sentences."""

from collections.abc import Iterable

from flask_babel import gettext as _

from domain.administration.access_check import explain_customer_access
from domain.customers.services import CustomerDetail
from domain.identity.permissions import Role
from domain.identity.visibility import AccessExplanation, Basis
from web import i18n
from web.deps import deps
from web.guard import current_actor


def role_label(role: Role) -> str:
    """A built-in role's translated name, or a custom role's own name."""
    return str(i18n.ROLE_NAMES[role.key]) if role.builtin and role.key in i18n.ROLE_NAMES else role.name


def customer_why(detail: CustomerDetail) -> list[str]:
    """The reasons the current user sees this customer, for the panel on its page."""
    explanation = explain_customer_access(detail.customer, detail.owner_name, actor=current_actor(),
                                          uow=deps().reader())
    return own_reasons(explanation)


def own_reasons(why: AccessExplanation) -> list[str]:
    """Second person, for the record's own page (which the user can only open when it is visible)."""
    permission = str(i18n.PERMISSIONS.get(why.permission.value, why.permission.value))
    lines = [_("Permission “%(permission)s” comes from your role %(roles)s.", permission=permission,
               roles=_roles(why.read_roles))]
    scope_roles = _roles(why.scope_roles)
    if why.basis is Basis.ALL:
        lines.append(_("Your role %(roles)s sees all records.", roles=scope_roles))
    elif why.basis is Basis.OWNER:
        lines.append(_("You own this record (your role %(roles)s sees its own records).", roles=scope_roles))
    elif why.basis is Basis.DEPARTMENT:
        lines.append(_("It belongs to %(department)s, which is in your department subtree (your role %(roles)s "
                       "sees its department subtree).", department=why.facts.department_name or "",
                       roles=scope_roles))
    return lines


def user_reasons(why: AccessExplanation, user: str) -> list[str]:
    """Third person, for an administrator asking about another user."""
    facts, roles = why.facts, _roles(why.scope_roles)
    permission = str(i18n.PERMISSIONS.get(why.permission.value, why.permission.value))
    department = facts.department_name or _("no department")
    reasons = {
        Basis.NO_PERMISSION: _("No role of %(user)s grants “%(permission)s”.", user=user, permission=permission),
        Basis.NO_SCOPE: _("No role of %(user)s gives a record scope for these records.", user=user),
        Basis.NOT_OWNER: _("The scope is “own records” (from %(roles)s) and %(user)s is not the owner; "
                           "the owner is %(owner)s.", roles=roles, user=user, owner=facts.owner_name),
        Basis.NO_DEPARTMENT: _("The scope is “department subtree” (from %(roles)s), but %(user)s belongs to no "
                               "department, so it covers only their own records; the owner is %(owner)s.",
                               roles=roles, user=user, owner=facts.owner_name),
        Basis.OUTSIDE_DEPARTMENT: _("The scope is “department subtree” (from %(roles)s) and the record belongs to "
                                    "%(department)s, outside the department subtree of %(user)s.", roles=roles,
                                    department=department, user=user),
        Basis.ALL: _("The role %(roles)s sees all records.", roles=roles),
        Basis.OWNER: _("%(user)s owns it (the role %(roles)s sees own records).", user=user, roles=roles),
        Basis.DEPARTMENT: _("It belongs to %(department)s, inside the department subtree of %(user)s (the role "
                            "%(roles)s sees the department subtree).", department=department, user=user, roles=roles),
    }
    if not why.visible:
        return [reasons[why.basis]]
    granted = _("“%(permission)s” is granted by %(roles)s.", permission=permission, roles=_roles(why.read_roles))
    return [granted, reasons[why.basis]]


def _roles(roles: Iterable[Role]) -> str:
    return ", ".join(f"“{role_label(role)}”" for role in roles) or "—"
