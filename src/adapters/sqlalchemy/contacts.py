"""SQL repositories for contacts of customers and of suppliers: phone and e-mail sealed with FieldCrypto,
blind-indexed like the customer's. One implementation serves both tables; they differ in the owner column."""

from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Row, Table, delete, insert, select, update

from adapters.crypto.fields import FieldCrypto
from adapters.sqlalchemy.tables import contacts, supplier_contacts
from domain.customers.contacts import Contact, ContactFields
from domain.shared.sensitive import SensitiveKind
from domain.suppliers.models import SupplierContact

C = TypeVar("C", Contact, SupplierContact)


class SqlContactBook(Generic[C]):
    """Contacts in `table`, each belonging to the record named by its `owner` column (and attribute)."""

    def __init__(self, connection: Connection, crypto: FieldCrypto, table: Table, owner: str, make: type[C]) -> None:
        self._db, self._crypto = connection, crypto
        self._table, self._owner = table, owner
        self._make: type[C] = make

    def add(self, contact: C) -> int:
        values = self._values(contact) | {self._owner: getattr(contact, self._owner),
                                          "created_at": contact.created_at}
        return int(self._db.execute(insert(self._table).values(values).returning(self._table.c.id)).scalar_one())

    def get(self, contact_id: int, owner_id: int) -> C | None:
        t = self._table.c
        row = self._db.execute(select(self._table).where(t.id == contact_id, t[self._owner] == owner_id)).first()
        return self._to_contact(row) if row else None

    def of(self, owner_id: int) -> list[C]:
        t = self._table.c
        rows = self._db.execute(select(self._table).where(t[self._owner] == owner_id).order_by(t.id))
        return [self._to_contact(row) for row in rows]

    def update(self, contact: C, expected_version: int) -> bool:
        t = self._table.c
        result = self._db.execute(update(self._table).where(t.id == contact.id, t.version == expected_version)
                                  .values(self._values(contact)))
        return result.rowcount == 1

    def delete(self, contact_id: int, expected_version: int) -> bool:
        t = self._table.c
        result = self._db.execute(delete(self._table).where(t.id == contact_id, t.version == expected_version))
        return result.rowcount == 1

    def _values(self, contact: C) -> dict[str, Any]:
        f = contact.fields
        return {"name": f.name, "title": f.title, "notes": f.notes,
                "phone_enc": self._crypto.seal(f.phone), "email_enc": self._crypto.seal(f.email),
                "phone_index": self._crypto.index_of(SensitiveKind.PHONE, f.phone),
                "email_index": self._crypto.index_of(SensitiveKind.EMAIL, f.email),
                "updated_at": contact.updated_at, "version": contact.version}

    def _to_contact(self, row: Row[Any]) -> C:
        fields = ContactFields(row.name, row.title, self._crypto.open(row.phone_enc), self._crypto.open(row.email_enc),
                               row.notes)
        return self._make(row.id, getattr(row, self._owner), fields, row.created_at, row.updated_at, row.version)


class SqlContactRepository(SqlContactBook[Contact]):
    def __init__(self, connection: Connection, crypto: FieldCrypto) -> None:
        super().__init__(connection, crypto, contacts, "customer_id", Contact)

    def for_customer(self, customer_id: int) -> list[Contact]:
        return self.of(customer_id)


class SqlSupplierContactRepository(SqlContactBook[SupplierContact]):
    def __init__(self, connection: Connection, crypto: FieldCrypto) -> None:
        super().__init__(connection, crypto, supplier_contacts, "supplier_id", SupplierContact)

    def for_supplier(self, supplier_id: int) -> list[SupplierContact]:
        return self.of(supplier_id)
