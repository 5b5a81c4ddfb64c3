"""Contract ports."""

from typing import Protocol

from domain.contracts.models import Contract
from domain.identity.models import Actor


class ContractRepository(Protocol):
    """Contracts; every read is limited to the actor's record scope for contracts."""

    def add(self, contract: Contract) -> int: ...
    def get(self, contract_id: int, actor: Actor) -> Contract | None:
        """The contract if it is in the actor's scope, else None."""
        ...
    def update(self, contract: Contract, expected_version: int) -> bool:
        """Write the contract if it is still at `expected_version`; False if someone saved in between."""
        ...
