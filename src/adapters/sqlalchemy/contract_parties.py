"""SQL reads of contract parties: customer and supplier names, suppliers for the party picker, and the party-name
part of the contract list's search."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Row, Table, or_, select, text

from adapters.sqlalchemy.tables import contracts, customers, suppliers
from domain.contracts.models import ContractKind, SupplierParty
from domain.suppliers.models import SupplierStatus

_SUPPLIER = select(suppliers.c.id, suppliers.c.name, suppliers.c.status, suppliers.c.credit_code)
_DENSE_HITS = 2000  # a term naming more parties than this finds a page sooner by walking the list
_CUSTOMER_FTS = text("SELECT rowid FROM customers_fts WHERE customers_fts MATCH :q LIMIT :cap")
_PARTIES: tuple[tuple[Table, Column[Any]], ...] = ((customers, contracts.c.customer_id),
                                                   (suppliers, contracts.c.supplier_id))


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


def party_named(connection: Connection, term: str) -> ColumnElement[bool]:
    """Contracts whose customer or supplier is named like `term`, for a statement that outer-joins both.

    When an index finds the parties a term names (customers: trigram FTS5 on SQLite, pg_trgm on PostgreSQL, from
    three characters; suppliers: a small table), they are matched by id along the list. Shorter terms, and terms
    naming very many parties, are matched on the joined names row by row, which fills a page sooner.
    """
    return or_(*(_named(connection, term, table, party) for table, party in _PARTIES))


def _named(connection: Connection, term: str, table: Table, party: Column[Any]) -> ColumnElement[bool]:
    hits = _hits(connection, term, table)
    if hits is None or len(hits) > _DENSE_HITS:
        return table.c.name.icontains(term, autoescape=True)
    return party.in_(hits)


def _hits(connection: Connection, term: str, table: Table) -> Sequence[int] | None:
    """Up to _DENSE_HITS + 1 ids of the parties `term` names, or None where no index would find them."""
    if table is customers and len(term) < 3:
        return None
    if table is customers and connection.dialect.name == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        return connection.execute(_CUSTOMER_FTS, {"q": phrase, "cap": _DENSE_HITS + 1}).scalars().all()
    named = select(table.c.id).where(table.c.name.icontains(term, autoescape=True)).limit(_DENSE_HITS + 1)
    return connection.execute(named).scalars().all()


def _to_party(row: Row[Any]) -> SupplierParty:
    return SupplierParty(row.id, row.name, SupplierStatus(row.status), row.credit_code)
