"""Why a user can (or cannot) see a record: for the user's own panel and the administrator's 'view as' check."""

from dataclasses import dataclass

from domain.audit.models import AuditEvent
from domain.customers.models import Customer
from domain.identity.access import require, require_any
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.identity.visibility import AccessExplanation, RecordFacts, explain_access
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AccessAnswer:
    """The answer of a 'view as' check; `explanation` is None when the user's account is deactivated."""

    user_id: int
    user_name: str
    customer_id: int
    customer_name: str
    explanation: AccessExplanation | None

    @property
    def visible(self) -> bool:
        return self.explanation is not None and self.explanation.visible


def explain_customer_access(customer: Customer, owner_name: str, *, actor: Actor, uow: UnitOfWork) -> AccessExplanation:
    """Why the actor sees a customer they have loaded: the roles granting read and scope, and the matching fact."""
    require(actor, Permission.CUSTOMER_READ)
    with uow:
        return _explain(actor, customer, owner_name, uow)


def checkable_users(*, actor: Actor, uow: UnitOfWork) -> list[tuple[int, str]]:
    """(id, name) of the active users an administrator can check access for."""
    require_any(actor, Permission.ROLE_MANAGE, Permission.USER_MANAGE)
    with uow:
        return uow.users.active_user_names()


def check_customer_access(
    user_id: int, customer_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
) -> AccessAnswer:
    """Whether user X can see customer Y and why, from X's stored grants (never the asker's); audited.

    The asker may only ask about customers inside their own scope, so the check reveals nothing new.
    """
    require_any(actor, Permission.ROLE_MANAGE, Permission.USER_MANAGE)
    with uow:
        customer = uow.customers.get(customer_id, actor)
        user = uow.users.get(user_id)
        if customer is None or user is None:
            raise NotFound()
        subject = uow.roles.actor_of(user_id)
        owner_name = uow.users.names({customer.owner_id}).get(customer.owner_id, "")
        explanation = _explain(subject, customer, owner_name, uow) if subject else None
        answer = AccessAnswer(user_id, user.display_name, customer_id, customer.name, explanation)
        uow.audit.append(AuditEvent("access.checked", clock.now(), actor.user_id, actor.ip, "customer",
                                    str(customer_id), after={"user_id": user_id, "visible": answer.visible}))
        uow.commit()
    return answer


def _explain(subject: Actor, customer: Customer, owner_name: str, uow: UnitOfWork) -> AccessExplanation:
    facts = RecordFacts("customer", customer.owner_id, owner_name, customer.department_id,
                        uow.roles.department_name(customer.department_id),
                        uow.customers.department_of(customer.department_id, subject))
    return explain_access(subject, uow.roles.named(subject.roles), facts)
