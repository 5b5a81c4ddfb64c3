"""Calendar dates typed into forms (YYYY-MM-DD, as `<input type="date">` sends them)."""

from datetime import date


def parse_day(value: str, field: str, errors: dict[str, str], *, years: tuple[int, int] = (2000, 2100),
              code: str = "date.invalid") -> date | None:
    """The date in `value` (None when empty); records `code` under `field` when it is no date or out of `years`."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors[field] = code
        return None
    if not years[0] <= parsed.year <= years[1]:
        errors[field] = code
    return parsed
