"""Import errors."""

from domain.shared.errors import DomainError


class BatchNotReady(DomainError):
    """The batch is not in a state that allows this step (busy with a job, not checked, already undone)."""
