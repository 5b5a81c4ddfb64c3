"""Approval errors; codes map to messages in web/i18n.py."""

from domain.shared.errors import DomainError, ValidationFailed


class NoApprover(ValidationFailed):
    """A step of the matching rule finds nobody (other than the requester) to approve: the submit is refused."""

    code = "approval.no_approver"

    def __init__(self, step: int) -> None:
        super().__init__({"approval": self.code})
        self.step = step


class AlreadyPending(ValidationFailed):
    """The document waits for approval already; it cannot be submitted twice."""

    code = "approval.already_pending"

    def __init__(self) -> None:
        super().__init__({"approval": self.code})


class AlreadyDecided(DomainError):
    """Someone decided or closed the task meanwhile (a sibling approved an "any of" step, or a rejection)."""
