"""Days typed on procurement forms: when goods arrived, when an invoice was issued. Never in the future."""

from datetime import date


def past_day(text: str, today: date) -> tuple[date | None, str | None]:
    """The ISO day typed (YYYY-MM-DD, from 2000 on, not after `today`), or None with the error code."""
    value = (text or "").strip()
    if not value:
        return None, "required"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None, "date.invalid"
    if day.year < 2000:
        return None, "date.invalid"
    if day > today:
        return None, "date.future"
    return day, None
