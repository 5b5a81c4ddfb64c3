"""SQL repository for contracts. The record scope is part of every contract query."""

from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, insert, select, update

from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import contracts
from domain.contracts.models import Contract, ContractStatus
from domain.identity.models import Actor


def contract_scope(actor: Actor) -> ColumnElement[bool]:
    """The rows of `contracts` the actor may see."""
    return record_scope(actor, "contract", contracts.c.owner_id, contracts.c.department_id)


class SqlContractRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, contract: Contract) -> int:
        values = _values(contract) | {"created_by": contract.created_by, "created_at": contract.created_at}
        return int(self._db.execute(insert(contracts).values(values).returning(contracts.c.id)).scalar_one())

    def get(self, contract_id: int, actor: Actor) -> Contract | None:
        row = self._db.execute(select(contracts).where(contracts.c.id == contract_id, contract_scope(actor))).first()
        return to_contract(row) if row else None

    def update(self, contract: Contract, expected_version: int) -> bool:
        result = self._db.execute(update(contracts).where(
            contracts.c.id == contract.id, contracts.c.version == expected_version).values(_values(contract)))
        return result.rowcount == 1


def _values(contract: Contract) -> dict[str, Any]:
    return {"number": contract.number, "title": contract.title, "customer_id": contract.customer_id,
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
                    row.predecessor_id, row.end_reason, row.version)
