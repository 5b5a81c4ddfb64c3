"""Access checks every service uses: deny by default, and step-up for sensitive actions."""

from domain.identity.errors import SegregationOfDuties
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.shared.errors import PermissionDenied, ReauthenticationRequired


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied unless the actor holds `permission` (deny by default)."""
    if not actor.can(permission):
        raise PermissionDenied(permission.value)


def require_any(actor: Actor, *permissions: Permission) -> None:
    """Raise PermissionDenied unless the actor holds at least one of `permissions`."""
    if not any(actor.can(permission) for permission in permissions):
        raise PermissionDenied("|".join(permission.value for permission in permissions))


def require_fresh(actor: Actor) -> None:
    """Raise ReauthenticationRequired unless the actor proved password + TOTP within the step-up window."""
    if not actor.fresh:
        raise ReauthenticationRequired()


def require_sensitive(actor: Actor, permission: Permission) -> None:
    """A permission check followed by step-up: role changes, MFA reset, reveal, bulk export."""
    require(actor, permission)
    require_fresh(actor)


def require_not_creator(actor: Actor, created_by: int) -> None:
    """Segregation of duties: raise SegregationOfDuties when the actor created the document they would approve."""
    if actor.user_id == created_by:
        raise SegregationOfDuties(SegregationOfDuties.code)
