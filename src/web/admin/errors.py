"""Refusals of the administration screens, with a message that says what to do instead."""

from flask import Blueprint, Response
from flask_babel import gettext as _

from domain.administration.errors import AlreadyActivated, LastAdministrator, SelfAdministration
from web.errors import audit_denial, error_response


def register_refusals(bp: Blueprint) -> None:
    @bp.errorhandler(SelfAdministration)
    def self_administration(error: SelfAdministration) -> Response:
        audit_denial(str(error))
        return error_response(403, _("You cannot change your own roles, status, password or two-step "
                                     "verification here. Ask another administrator to do it."))

    @bp.errorhandler(LastAdministrator)
    def last_administrator(_error: LastAdministrator) -> Response:
        return error_response(409, _("This is the last active administrator. Make another user administrator "
                                     "first, then try again."))

    @bp.errorhandler(AlreadyActivated)
    def already_activated(_error: AlreadyActivated) -> Response:
        return error_response(409, _("This account has a password already. Use “Reset password” to send a new "
                                     "link instead."))
