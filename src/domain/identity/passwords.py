"""Password and username rules (ASVS 5.0 6.2: length and guessability, never composition)."""

import re
from collections.abc import Iterable

from domain.identity.errors import WeakPassword
from domain.identity.ports import PasswordStrength
from domain.shared.errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn scale: 3 = "safely unguessable", about 10^8 guesses or more
PRODUCT_WORDS = ("houtai", "后台")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    """The normalised username; raises ValidationFailed when it is not 3-64 simple characters."""
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise ValidationFailed({"username": "username.invalid"})
    return name


def check_password(password: str, username: str, *, strength: PasswordStrength, context: Iterable[str] = ()) -> None:
    """Raise WeakPassword unless the password is 12-256 characters and hard to guess.

    Length counts code points and nothing is truncated. `context` adds words an attacker would try
    besides the username and the product name (display name, organisation): a password that is
    common, breached, or mostly made of those words fails with "password.guessable".
    """
    if len(password) < MIN_LENGTH:
        raise WeakPassword("password.too_short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("password.too_long")
    if password.strip().lower() == username.strip().lower():
        raise WeakPassword("password.is_username")
    words = [w.strip() for w in (username, *PRODUCT_WORDS, *context) if w and w.strip()]
    if strength.score(password, words) < MIN_SCORE:
        raise WeakPassword("password.guessable")
