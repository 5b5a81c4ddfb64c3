"""Requisition ports."""

from typing import Protocol

from domain.identity.models import Actor
from domain.requisitions.models import (
    Requisition,
    RequisitionExportRow,
    RequisitionLine,
    RequisitionListQuery,
    RequisitionSummary,
)
from domain.shared.paging import Page


class RequisitionRepository(Protocol):
    """Requisitions with their lines; every read for a person is limited to their requisition record scope."""

    def add(self, requisition: Requisition) -> int:
        """Insert the requisition and its lines; returns its id."""
        ...
    def get_by_form_token(self, form_token: str) -> Requisition | None:
        """The requisition a create form made already (double submit), or None."""
        ...
    def get(self, requisition_id: int, actor: Actor) -> Requisition | None:
        """The requisition with its lines if it is in the actor's scope, else None."""
        ...
    def get_unscoped(self, requisition_id: int, *, with_lines: bool = True) -> Requisition | None:
        """The requisition whoever asks: for approval outcomes and notices, and for approvers (checked by the
        caller), never for a plain request."""
        ...
    def update(self, requisition: Requisition, expected_version: int) -> bool:
        """Write the header (status, total, …) if it is still at `expected_version`; False otherwise."""
        ...
    def replace_lines(self, requisition_id: int, lines: tuple[RequisitionLine, ...]) -> tuple[RequisitionLine, ...]:
        """Replace a draft's lines (they are referenced by nothing before approval); returns them with ids."""
        ...
    def search(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionSummary]:
        """One keyset page, newest first, of the requisitions in the actor's scope that match the query."""
        ...
    def export_rows(self, query: RequisitionListQuery, actor: Actor) -> Page[RequisitionExportRow]:
        """The same page as `search` with the export's columns."""
        ...
