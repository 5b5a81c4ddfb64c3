"""Form field checks every document form shares; each records a message code under the field's name."""

from datetime import date

Errors = dict[str, str]


def check_length(value: str, name: str, limit: int, errors: Errors, *, required: bool) -> None:
    """`required` when empty (and required), `too_long` beyond `limit` characters."""
    if required and not value:
        errors[name] = "required"
    elif len(value) > limit:
        errors[name] = "too_long"


def parse_date(raw: str, name: str, errors: Errors, *, required: bool) -> date | None:
    """A YYYY-MM-DD date between 2000 and 2100, or None (with `required` or `date.invalid` recorded when due)."""
    value = raw.strip()
    if not value:
        if required:
            errors[name] = "required"
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors[name] = "date.invalid"
        return None
    if not 2000 <= parsed.year <= 2100:
        errors[name] = "date.invalid"
        return None
    return parsed
