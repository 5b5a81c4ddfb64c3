"""A document lifecycle as data: which action moves which status where, and the message code of each refusal."""

from collections.abc import Mapping
from typing import Generic, TypeVar

from domain.shared.errors import InvalidTransition

S = TypeVar("S")
A = TypeVar("A")


class StateMachine(Generic[S, A]):
    """Transitions (status, action) → status; an action refused in a status raises InvalidTransition(code)."""

    def __init__(self, transitions: Mapping[tuple[S, A], S], refusals: Mapping[A, str]) -> None:
        self.transitions = dict(transitions)
        self.refusals = dict(refusals)

    def allowed(self, status: S, action: A) -> bool:
        """Whether `action` may be taken in `status`."""
        return (status, action) in self.transitions

    def ensure(self, status: S, action: A) -> None:
        """Raise InvalidTransition, with the refusal's message code, unless `action` is allowed in `status`."""
        if not self.allowed(status, action):
            raise InvalidTransition(self.refusals[action])

    def next_status(self, status: S, action: A) -> S:
        """The status `action` leads to from `status`; raises InvalidTransition when it is not allowed."""
        self.ensure(status, action)
        return self.transitions[(status, action)]
