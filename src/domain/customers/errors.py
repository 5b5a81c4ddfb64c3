"""Customer errors."""

from domain.shared.errors import DomainError


class CustomerArchived(DomainError):
    """An archived customer cannot be changed."""
