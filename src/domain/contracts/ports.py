"""Contract ports."""

from datetime import date
from typing import Protocol

from domain.contracts.models import Amendment, Contract, ContractKind, ContractListQuery, ContractSummary, SupplierParty
from domain.identity.models import Actor
from domain.shared.paging import Page


class ContractRepository(Protocol):
    """Contracts and their amendments; every read for a person is limited to their record scope for contracts."""

    def add(self, contract: Contract) -> int: ...
    def get_by_form_token(self, form_token: str) -> Contract | None:
        """The contract a create form made already (double submit), or None."""
        ...
    def get(self, contract_id: int, actor: Actor) -> Contract | None:
        """The contract if it is in the actor's scope, else None."""
        ...
    def get_unscoped(self, contract_id: int) -> Contract | None:
        """The contract whoever asks: only for approval outcomes and scheduled system runs, never for a request."""
        ...
    def update(self, contract: Contract, expected_version: int) -> bool:
        """Write the contract if it is still at `expected_version`; False if someone saved in between."""
        ...
    def search(self, query: ContractListQuery, actor: Actor) -> Page[ContractSummary]:
        """One keyset page, newest first, of the contracts in the actor's scope that match the query."""
        ...
    def successor_id(self, contract_id: int) -> int | None:
        """The contract that renews this one, if any."""
        ...
    def ended_before(self, day: date, limit: int) -> list[int]:
        """Active contracts whose end date lies before `day` (the expiry run's work list), oldest end first."""
        ...
    def add_amendment(self, amendment: Amendment) -> int: ...
    def amendments(self, contract_id: int) -> list[Amendment]:
        """The contract's amendments, newest first, with their authors' names."""
        ...
    def amendment(self, contract_id: int, number: int) -> Amendment | None: ...


class PartyDirectory(Protocol):
    """The companies a contract may be with, read straight from the customer and supplier tables."""

    def names(self, kind: ContractKind, ids: set[int]) -> dict[int, str]:
        """Party names for contracts the actor already sees (the party is part of the contract)."""
        ...
    def supplier(self, supplier_id: int) -> SupplierParty | None: ...
    def suppliers(self, text: str, limit: int) -> list[SupplierParty]:
        """Suppliers whose name contains `text` or whose credit code is `text`, by name (the party picker)."""
        ...
