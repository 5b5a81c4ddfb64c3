"""Identity errors."""

from domain.shared.errors import DomainError, PermissionDenied


class InvalidCredentials(DomainError):
    """Unknown user, wrong password, disabled or locked account: deliberately one error."""


class InvalidCode(DomainError):
    """The TOTP or recovery code was wrong, expired or already used."""


class ChallengeExpired(DomainError):
    """The password step is too old or failed too often; start again."""


class SetupUnavailable(DomainError):
    """The first-administrator setup link is unknown, used or expired, or an account exists."""


class WeakPassword(DomainError):
    """The password breaks the policy; `reason` is an error code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SegregationOfDuties(PermissionDenied):
    """Whoever created a document may not approve it (four-eyes rule, SECURITY AC6)."""

    code = "sod.creator_cannot_approve"
