"""Budget refusals."""

from decimal import Decimal

from domain.shared.errors import DomainError


class BudgetExceeded(DomainError):
    """Committing `amount` would take a stop budget below zero and nobody with the override approved it."""

    code = "budget.exceeded"

    def __init__(self, budget_id: int, budget_name: str, remaining: Decimal, amount: Decimal) -> None:
        super().__init__(f"budget {budget_id} has {remaining} left, {amount} asked")
        self.budget_id, self.budget_name, self.remaining, self.amount = budget_id, budget_name, remaining, amount
