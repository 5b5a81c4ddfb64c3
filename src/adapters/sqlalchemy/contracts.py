"""SQL repository for contracts and their amendments. The record scope is part of every contract query."""

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    case,
    func,
    insert,
    or_,
    select,
    update,
)

from adapters.sqlalchemy.contract_parties import party_named
from adapters.sqlalchemy.keyset import newest_first
from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import contract_amendments, contracts, customers, suppliers, users
from domain.contracts.models import (
    Amendment,
    Contract,
    ContractKind,
    ContractListQuery,
    ContractStatus,
    ContractSummary,
    FieldChange,
)
from domain.identity.models import Actor
from domain.shared.paging import Page

# One row per contract: the party's name comes from whichever table holds it (primary-key lookups, 50 per page).
_KIND = case((contracts.c.supplier_id.is_(None), ContractKind.SALES.value), else_=ContractKind.PURCHASE.value)
_SUMMARY = select(contracts.c.id, contracts.c.number, contracts.c.title,
                  func.coalesce(customers.c.name, suppliers.c.name).label("party_name"),
                  contracts.c.amount, contracts.c.currency, contracts.c.status,
                  users.c.display_name.label("owner_name"), contracts.c.end_on, contracts.c.created_at,
                  _KIND.label("kind")
                  ).select_from(contracts.outerjoin(customers, customers.c.id == contracts.c.customer_id)
                                .outerjoin(suppliers, suppliers.c.id == contracts.c.supplier_id)
                                .join(users, users.c.id == contracts.c.owner_id))


def contract_scope(actor: Actor) -> ColumnElement[bool]:
    """The rows of `contracts` the actor may see."""
    return record_scope(actor, "contract", contracts.c.owner_id, contracts.c.department_id)


class SqlContractRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, contract: Contract) -> int:
        values = _values(contract) | {"created_by": contract.created_by, "created_at": contract.created_at,
                                      "form_token": contract.form_token}
        return int(self._db.execute(insert(contracts).values(values).returning(contracts.c.id)).scalar_one())

    def get_by_form_token(self, form_token: str) -> Contract | None:
        row = self._db.execute(select(contracts).where(contracts.c.form_token == form_token)).first()
        return to_contract(row) if row else None

    def get(self, contract_id: int, actor: Actor) -> Contract | None:
        row = self._db.execute(select(contracts).where(contracts.c.id == contract_id, contract_scope(actor))).first()
        return to_contract(row) if row else None

    def get_unscoped(self, contract_id: int) -> Contract | None:
        row = self._db.execute(select(contracts).where(contracts.c.id == contract_id)).first()
        return to_contract(row) if row else None

    def update(self, contract: Contract, expected_version: int) -> bool:
        result = self._db.execute(update(contracts).where(
            contracts.c.id == contract.id, contracts.c.version == expected_version).values(_values(contract)))
        return result.rowcount == 1

    def search(self, query: ContractListQuery, actor: Actor) -> Page[ContractSummary]:
        statement = _filtered(_SUMMARY.where(contract_scope(actor)), query)
        if query.text:
            statement = statement.where(_text_match(query.text, party_named(self._db, query.text)))
        return newest_first(self._db, statement, contracts.c.created_at, contracts.c.id, query.after, query.before,
                            query.per_page, lambda row: ContractSummary(*row))

    def successor_id(self, contract_id: int) -> int | None:
        return self._db.execute(select(contracts.c.id).where(contracts.c.predecessor_id == contract_id)).scalar()

    def ended_before(self, day: date, limit: int) -> list[int]:
        return list(self._db.execute(select(contracts.c.id).where(
            contracts.c.status == ContractStatus.ACTIVE.value, contracts.c.end_on < day
        ).order_by(contracts.c.end_on, contracts.c.id).limit(limit)).scalars())

    def add_amendment(self, amendment: Amendment) -> int:
        return int(self._db.execute(insert(contract_amendments).values(
            contract_id=amendment.contract_id, number=amendment.number, reason=amendment.reason,
            changes=[{"field": c.field, "before": c.before, "after": c.after} for c in amendment.changes],
            snapshot=amendment.snapshot, created_by=amendment.created_by, created_at=amendment.created_at,
        ).returning(contract_amendments.c.id)).scalar_one())

    def amendments(self, contract_id: int) -> list[Amendment]:
        rows = self._db.execute(_AMENDMENTS.where(contract_amendments.c.contract_id == contract_id)
                                .order_by(contract_amendments.c.number.desc()))
        return [_to_amendment(row) for row in rows]

    def amendment(self, contract_id: int, number: int) -> Amendment | None:
        row = self._db.execute(_AMENDMENTS.where(contract_amendments.c.contract_id == contract_id,
                                                 contract_amendments.c.number == number)).first()
        return _to_amendment(row) if row else None


_AMENDMENTS = select(contract_amendments, users.c.display_name).join(
    users, users.c.id == contract_amendments.c.created_by)


def _filtered(statement: Select[Any], query: ContractListQuery) -> Select[Any]:
    if query.status:
        statement = statement.where(contracts.c.status == query.status.value)
    if query.owner_id:
        statement = statement.where(contracts.c.owner_id == query.owner_id)
    if query.customer_id:
        statement = statement.where(contracts.c.customer_id == query.customer_id)
    if query.supplier_id:
        statement = statement.where(contracts.c.supplier_id == query.supplier_id)
    if query.kind:  # IS NOT NULL as written here: the partial index of purchase contracts matches it
        party = contracts.c.supplier_id if query.kind is ContractKind.PURCHASE else contracts.c.customer_id
        statement = statement.where(party.is_not(None))
    return statement


def _text_match(term: str, party_named: ColumnElement[bool]) -> ColumnElement[bool]:
    """Number (exact), title, or either party's name."""
    return or_(contracts.c.number == term.upper(), contracts.c.title.icontains(term, autoescape=True), party_named)





def _to_amendment(row: Row[Any]) -> Amendment:
    changes = tuple(FieldChange(c["field"], c["before"], c["after"]) for c in row.changes)
    return Amendment(row.id, row.contract_id, row.number, row.reason, changes, dict(row.snapshot), row.created_by,
                     row.created_at, row.display_name)


def _values(contract: Contract) -> dict[str, Any]:
    return {"number": contract.number, "title": contract.title, "customer_id": contract.customer_id,
            "supplier_id": contract.supplier_id,
            "amount": contract.amount, "currency": contract.currency, "signed_on": contract.signed_on,
            "start_on": contract.start_on, "end_on": contract.end_on, "owner_id": contract.owner_id,
            "department_id": contract.department_id, "payment_terms": contract.payment_terms,
            "notes": contract.notes, "status": contract.status.value, "amendment": contract.amendment,
            "predecessor_id": contract.predecessor_id, "end_reason": contract.end_reason,
            "updated_at": contract.updated_at, "version": contract.version}


def to_contract(row: Row[Any]) -> Contract:
    return Contract(row.id, row.number, row.title, row.customer_id, row.amount, row.currency, row.signed_on,
                    row.start_on, row.end_on, row.owner_id, row.department_id, row.payment_terms, row.notes,
                    ContractStatus(row.status), row.created_by, row.created_at, row.updated_at, row.amendment,
                    row.predecessor_id, row.end_reason, row.version, supplier_id=row.supplier_id)
