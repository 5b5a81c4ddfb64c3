"""Administration errors."""

from domain.shared.errors import DomainError, PermissionDenied


class SelfAdministration(PermissionDenied):
    """Segregation of duties: administrators may not change their own roles, status or second factor here."""


class LastAdministrator(DomainError):
    """The action would leave no active administrator."""


class LinkUnavailable(DomainError):
    """The one-time link is unknown, used, expired or voided, or its account is disabled."""


class AlreadyActivated(DomainError):
    """The account has a password already; issue a password-reset link instead."""
