"""Contract errors."""

from domain.shared.errors import DomainError


class InvalidTransition(DomainError):
    """The contract's status does not allow the action; `code` names the rule for the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
