"""Supplier errors: refusals at entry that the form explains with links to the records concerned."""

from domain.customers.models import DuplicateCandidate
from domain.shared.errors import DomainError, ValidationFailed


class CreditCodeTaken(ValidationFailed):
    """Another supplier is registered under this credit code; `holder_id` names it (the form links to it)."""

    def __init__(self, holder_id: int) -> None:
        super().__init__({"credit_code": "supplier.credit_code_taken"})
        self.holder_id = holder_id


class PossibleDuplicates(DomainError):
    """Suppliers with the same normalised name exist; saving needs the user's confirmation that this is another."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__(", ".join(str(c.id) for c in candidates))
        self.candidates = candidates
