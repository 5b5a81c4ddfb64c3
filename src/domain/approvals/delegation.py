"""My delegation while away: who receives my approvals from when to when (both days inclusive)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.approvals.records import Delegation, business_day
from domain.audit.models import AuditEvent
from domain.identity.models import Actor
from domain.shared.errors import ValidationFailed
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork

LONGEST = timedelta(days=366)


@dataclass(frozen=True)
class DelegationView:
    """The delegation page: my running or coming delegation, the delegate's name, and whom I may choose."""

    current: Delegation | None
    delegate_name: str | None
    choices: list[tuple[int, str]]
    today: date


def my_delegation(*, actor: Actor, uow: UnitOfWork, clock: Clock) -> DelegationView:
    """The actor's own delegation (running or still to come) and the active colleagues they may choose."""
    today = business_day(clock.now())
    with uow:
        current = uow.delegations.current(actor.user_id, today)
        names = uow.users.names({current.delegate_id}) if current else {}
        choices = [(i, n) for i, n in uow.users.active_user_names() if i != actor.user_id]
    return DelegationView(current, names.get(current.delegate_id) if current else None, choices, today)


def set_delegation(form: Mapping[str, str], *, actor: Actor, uow: UnitOfWork, clock: Clock) -> Delegation:
    """Hand my approvals to an active colleague for a period; replaces a running or coming delegation."""
    now = clock.now()
    today = business_day(now)
    starts_on, ends_on = _day(form, "starts_on"), _day(form, "ends_on")
    with uow:
        delegate_id = _delegate(form.get("delegate_id", ""), actor, uow)
        _check_period(starts_on, ends_on, today)
        _end_current(actor, uow, now, today)
        delegation = Delegation(None, actor.user_id, delegate_id, starts_on, ends_on, now)
        delegation.id = uow.delegations.add(delegation)
        uow.audit.append(_event("delegation.created", actor, now, after={
            "delegation_id": delegation.id, "delegate_id": delegate_id, "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat()}))
        uow.commit()
    return delegation


def end_delegation(*, actor: Actor, uow: UnitOfWork, clock: Clock) -> bool:
    """End my running or coming delegation now; False when there was none."""
    now = clock.now()
    with uow:
        ended = _end_current(actor, uow, now, business_day(now))
        uow.commit()
    return ended


def _end_current(actor: Actor, uow: UnitOfWork, now: datetime, today: date) -> bool:
    current = uow.delegations.current(actor.user_id, today)
    if current is None or current.id is None:
        return False
    uow.delegations.end(current.id, now)
    uow.audit.append(_event("delegation.ended", actor, now, before={
        "delegation_id": current.id, "delegate_id": current.delegate_id, "starts_on": current.starts_on.isoformat(),
        "ends_on": current.ends_on.isoformat()}))
    return True


def _delegate(raw: str, actor: Actor, uow: UnitOfWork) -> int:
    if not raw:
        raise ValidationFailed({"delegate_id": "required"})
    delegate_id = int(raw) if raw.isdigit() and len(raw) < 10 else 0
    if delegate_id == actor.user_id:
        raise ValidationFailed({"delegate_id": "delegation.self"})
    user = uow.users.get(delegate_id)
    if user is None or not user.is_active:
        raise ValidationFailed({"delegate_id": "choice.invalid"})
    return delegate_id


def _check_period(starts_on: date, ends_on: date, today: date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": "delegation.ends_before_start"})
    if ends_on < today:
        raise ValidationFailed({"ends_on": "delegation.in_past"})
    if ends_on - starts_on > LONGEST:
        raise ValidationFailed({"ends_on": "delegation.too_long"})


def _day(form: Mapping[str, str], name: str) -> date:
    raw = form.get(name, "").strip()
    if not raw:
        raise ValidationFailed({name: "required"})
    try:
        day = date.fromisoformat(raw[:10])
    except ValueError:
        raise ValidationFailed({name: "date.invalid"}) from None
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise ValidationFailed({name: "date.invalid"})
    return day


def _event(action: str, actor: Actor, now: datetime, before: dict[str, object] | None = None,
           after: dict[str, object] | None = None) -> AuditEvent:
    return AuditEvent(action, now, actor.user_id, actor.ip, "user", str(actor.user_id), before, after)
