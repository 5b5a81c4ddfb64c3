"""Errors every context may raise; the web layer maps them to status codes."""


class DomainError(Exception):
    """Base class: a rule of the business refused the request."""


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists."""


class PermissionDenied(DomainError):
    """The actor lacks the permission the action needs."""


class ValidationFailed(DomainError):
    """Input broke field rules; `errors` maps a field name to an error code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{field}: {code}" for field, code in errors.items()))
        self.errors = errors


class StaleVersion(DomainError):
    """Someone else saved the record since this edit started (optimistic locking)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"record is at version {current_version}")
        self.current_version = current_version


class InvalidTransition(DomainError):
    """The document's status does not allow the action; `code` names the rule for the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Conflict(DomainError):
    """A uniqueness rule was broken by a concurrent write."""


class ReauthenticationRequired(DomainError):
    """A sensitive action needs password + TOTP again (step-up); the sign-in is older than the window."""
