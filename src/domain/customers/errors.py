"""Customer errors."""

from domain.shared.errors import DomainError


class CustomerArchived(DomainError):
    """An archived customer cannot be changed."""


class MergeAlreadyUndone(DomainError):
    """This merge was undone already; undoing it again would move rows that are no longer its own."""

    code = "merge.undone"


class MergeOutdated(DomainError):
    """Rows the merge moved (or the absorbed customer) changed since; moving them back would lose that work."""

    code = "merge.outdated"
