"""The procurement settings page: receipt and match tolerances, changed by holders of procurement.settings."""

from collections.abc import Mapping

from domain.audit.models import AuditEvent, changed_values
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.procurement.amounts import InvalidNumber
from domain.procurement.tolerances import KEYS, Tolerances, parse_percent, tolerances_from
from domain.shared.errors import DomainError, ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


class SettingsChanged(DomainError):
    """Someone saved the settings since the form was opened; `current` is what is stored now."""

    def __init__(self, current: Tolerances) -> None:
        super().__init__(current.fingerprint())
        self.current = current


def current_tolerances(uow: UnitOfWork) -> Tolerances:
    """The tolerances in force, inside the caller's transaction (receipts and invoices read them)."""
    return tolerances_from(uow.procurement_settings.values())


def get_tolerances(*, actor: Actor, uow: UnitOfWork) -> Tolerances:
    """The tolerances, for the settings page."""
    require(actor, Permission.PROCUREMENT_SETTINGS)
    with uow:
        return current_tolerances(uow)


def update_tolerances(raw: Mapping[str, str], seen: str, *, actor: Actor, uow: UnitOfWork,
                      clock: Clock) -> Tolerances:
    """Save the tolerances typed on the form opened when they were `seen` (a fingerprint); SettingsChanged if
    someone saved in between. Audited with the values before and after."""
    require(actor, Permission.PROCUREMENT_SETTINGS)
    wanted = parse_tolerances(raw)
    now = clock.now()
    with uow:
        current = current_tolerances(uow)
        if current.fingerprint() != seen:
            raise SettingsChanged(current)
        before, after = changed_values(current.as_values(), wanted.as_values())
        for key, value in after.items():
            uow.procurement_settings.put(key, value, actor.user_id, now)
        if after:
            uow.audit.append(AuditEvent("procurement.settings_changed", now, actor.user_id, actor.ip,
                                        "procurement_settings", "tolerances", before, after))
            uow.commit()
    return wanted


def parse_tolerances(raw: Mapping[str, str]) -> Tolerances:
    """Tolerances from form text; ValidationFailed names each field that is not a percentage from 0 to 100."""
    values, errors = {}, {}
    for key in KEYS:
        try:
            values[key] = parse_percent(raw.get(key, ""))
        except InvalidNumber as error:
            errors[key] = error.code
    if errors:
        raise ValidationFailed(errors)
    return Tolerances(**values)
