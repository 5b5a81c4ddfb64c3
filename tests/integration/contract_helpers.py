"""Contracts for integration tests, stored through the real repository (the contract pages are built elsewhere)."""

import secrets
from datetime import date
from typing import Any

from sqlalchemy import Engine, select, text

from adapters.sqlalchemy.tables import contracts
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from tests.builders import a_contract


def add_contract(engine: Engine, owner: Actor, **overrides: Any) -> int:
    """An active contract of `owner` (for a customer of theirs), in their department."""
    with engine.begin() as connection:
        customer_id = connection.execute(text(
            "INSERT INTO customers (name, industry, region, stage, owner_id, department_id, created_at, updated_at, "
            "created_by, version) VALUES (:name, 'technology', 'shanghai', 'customer', :owner, :dept, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :owner, 1) RETURNING id"),
            {"name": "客户 " + secrets.token_hex(4), "owner": owner.user_id, "dept": owner.department_id}).scalar()
    values = {"number": "HT-" + secrets.token_hex(4).upper(), "customer_id": customer_id, "owner_id": owner.user_id,
              "department_id": owner.department_id, "created_by": owner.user_id} | overrides
    with SqlUnitOfWork(engine) as uow:
        contract_id = uow.contracts.add(a_contract(**values))
        uow.commit()
    return contract_id


def status_of(engine: Engine, contract_id: int) -> tuple[str, date | None, int]:
    with engine.connect() as connection:
        row = connection.execute(select(contracts.c.status, contracts.c.end_on, contracts.c.version)
                                 .where(contracts.c.id == contract_id)).one()
    return row.status, row.end_on, row.version
