"""SQL reads of contract parties: customer and supplier names, and suppliers for the party picker."""

from typing import Any

from sqlalchemy import Connection, Row, or_, select

from adapters.sqlalchemy.tables import customers, suppliers
from domain.contracts.models import ContractKind, SupplierParty
from domain.suppliers.models import SupplierStatus

_SUPPLIER = select(suppliers.c.id, suppliers.c.name, suppliers.c.status, suppliers.c.credit_code)


class SqlPartyDirectory:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def names(self, kind: ContractKind, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        table = suppliers if kind is ContractKind.PURCHASE else customers
        return {row.id: row.name for row in self._db.execute(select(table.c.id, table.c.name)
                                                             .where(table.c.id.in_(ids)))}

    def supplier(self, supplier_id: int) -> SupplierParty | None:
        row = self._db.execute(_SUPPLIER.where(suppliers.c.id == supplier_id)).first()
        return _to_party(row) if row else None

    def suppliers(self, text: str, limit: int) -> list[SupplierParty]:
        statement = _SUPPLIER
        if text:
            statement = statement.where(or_(suppliers.c.name.icontains(text, autoescape=True),
                                            suppliers.c.credit_code == text.upper()))
        rows = self._db.execute(statement.order_by(suppliers.c.name, suppliers.c.id).limit(limit))
        return [_to_party(row) for row in rows]


def _to_party(row: Row[Any]) -> SupplierParty:
    return SupplierParty(row.id, row.name, SupplierStatus(row.status), row.credit_code)
