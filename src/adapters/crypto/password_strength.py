"""Guessability by zxcvbn, offline: its bundled frequency lists hold common and breached passwords,
names and words, and it also spots keyboard walks, dates, repeats and sequences."""

import re
from collections.abc import Sequence

from zxcvbn import zxcvbn

# zxcvbn's matching grows much faster than the length (256 repeated characters take over a second), so it
# scores a prefix. A strong prefix makes the whole strong; a weak one is refused, which errs on the safe side.
SCORED_LENGTH = 100
MIN_WORD = 3  # shorter context words would cut letters out of every password


class ZxcvbnStrength:
    def __init__(self, site_words: Sequence[str] = ()) -> None:
        self._site_words = tuple(site_words)

    def score(self, password: str, context: Sequence[str]) -> int:
        words = _variants([*context, *self._site_words])
        scored = password[:SCORED_LENGTH]
        score = _score(scored, words)
        rest = _without(scored, words)
        if rest != scored:  # an attacker who knows the context words tries them with anything around them
            score = min(score, _score(rest, words) if rest.strip() else 0)
        return score


def _score(password: str, words: list[str]) -> int:
    return int(zxcvbn(password, user_inputs=words, max_length=SCORED_LENGTH)["score"])


def _variants(context: Sequence[str]) -> list[str]:
    """Each context phrase as given, without spaces, and word by word."""
    found: set[str] = set()
    for phrase in (c.strip().lower() for c in context):
        found.update({phrase, phrase.replace(" ", ""), *phrase.split()})
    return sorted((w for w in found if len(w) >= MIN_WORD), key=len, reverse=True)


def _without(password: str, words: list[str]) -> str:
    if not words:
        return password
    return re.sub("|".join(re.escape(w) for w in words), "", password, flags=re.IGNORECASE)
