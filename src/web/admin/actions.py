"""Actions on one user: each is a POST behind a confirmation page that says what will happen."""

from collections.abc import Callable

from flask import Blueprint, flash, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.administration import services
from domain.identity.access import require_fresh
from domain.identity.models import Actor
from web.admin.errors import register_refusals
from web.admin.users import link_page
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other

bp = Blueprint("user_actions", __name__, url_prefix="/admin/users")
register_refusals(bp)
SENSITIVE = {"reset-password", "reset-mfa"}  # step-up before the confirmation, not after it


def _done(message: Callable[[], str]) -> Callable[[int], HttpResponse]:
    def respond(user_id: int) -> HttpResponse:
        flash(message(), "success")
        return see_other(url_for("users.detail", user_id=user_id))
    return respond


ACTIONS = {
    "disable": (services.disable_user, _done(lambda: _("Account disabled. All its sessions have ended."))),
    "enable": (services.enable_user, _done(lambda: _("Account enabled. The user can sign in again."))),
    "unlock": (services.unlock_user, _done(lambda: _("Account unlocked."))),
    "reset-mfa": (services.reset_mfa, _done(lambda: _("Two-step verification reset. The user's sessions have ended; "
                                                      "they set up a new authenticator at their next sign-in."))),
}
LINKS = {"reset-password": services.reset_password, "activation-link": services.reissue_activation}


@bp.get("/<int:user_id>/<any(disable, enable, unlock, 'reset-mfa', 'reset-password', 'activation-link'):action>")
def confirm(user_id: int, action: str) -> HttpResponse:
    d, actor = deps(), current_actor()
    found = services.get_user(user_id, actor=actor, uow=d.reader(), clock=d.clock)
    if action in SENSITIVE and user_id != actor.user_id:
        require_fresh(actor)
    return render("admin/users/confirm.html", None, detail=found, user=found.user, action=action)


@bp.post("/<int:user_id>/<any(disable, enable, unlock, 'reset-mfa'):action>")
def perform(user_id: int, action: str) -> HttpResponse:
    service, respond = ACTIONS[action]
    _run(service, user_id, current_actor())
    return respond(user_id)


@bp.post("/<int:user_id>/<any('reset-password', 'activation-link'):action>")
def issue_link(user_id: int, action: str) -> HttpResponse:
    d = deps()
    link = LINKS[action](user_id, actor=current_actor(), uow=d.uow(), clock=d.clock)
    return link_page(link)


def _run(service: Callable[..., object], user_id: int, actor: Actor) -> None:
    d = deps()
    service(user_id, actor=actor, uow=d.uow(), clock=d.clock)
