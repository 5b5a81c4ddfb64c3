"""Password and username rules (ASVS 5.0 6.2: length, not composition)."""

import re

from domain.identity.errors import WeakPassword
from domain.shared.errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 256
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    """The normalised username; raises ValidationFailed when it is not 3-64 simple characters."""
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise ValidationFailed({"username": "username.invalid"})
    return name


def check_password(password: str, username: str) -> None:
    """Raise WeakPassword unless the password is 12-256 characters and not the username."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("password.too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("password.too_long")
    if password.strip().lower() == username.strip().lower():
        raise WeakPassword("password.is_username")
