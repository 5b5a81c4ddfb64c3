"""Contract errors."""

from domain.shared.errors import InvalidTransition

__all__ = ["InvalidTransition"]  # contracts refuse actions like every document does
