"""The navigation's badges (Approvals, Exceptions, Work) for the layout: read once per request, in one transaction,
only when a page shows them, and never breaking the page."""

import logging

from flask import Flask, g

from domain.navigation import EXCEPTION_COUNT_CAP, NO_BADGES, Badges, navigation_badges
from web.deps import deps

log = logging.getLogger("houtai.web")


def register_badges(app: Flask) -> None:
    app.jinja_env.globals.update(approvals_waiting=lambda: badges().approvals,
                                 invoice_exceptions_badge=exceptions_badge,
                                 open_reminder_count=lambda: badges().reminders)


def badges() -> Badges:
    """The signed-in actor's badges, counted at the first use in this request."""
    if "badges" not in g:
        g.badges = _counted() if g.get("actor") else NO_BADGES
    found: Badges = g.badges
    return found


def exceptions_badge() -> str:
    """The exception queue's count as the navigation shows it: "" for none, "99+" beyond the cap."""
    count = badges().exceptions
    return f"{EXCEPTION_COUNT_CAP - 1}+" if count >= EXCEPTION_COUNT_CAP else str(count or "")


def _counted() -> Badges:
    d = deps()
    try:
        return navigation_badges(actor=g.actor, uow=d.reader(), clock=d.clock)
    except Exception:  # the badges must never break a page, least of all the error page of a database outage
        log.warning("navigation.badges_unavailable", exc_info=True)
        return NO_BADGES
