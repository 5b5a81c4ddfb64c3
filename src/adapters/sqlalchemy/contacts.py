"""SQL repository for contacts: phone and e-mail sealed with FieldCrypto, blind-indexed like the customer's."""

from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from adapters.crypto.fields import FieldCrypto
from adapters.sqlalchemy.tables import contacts
from domain.customers.contacts import Contact, ContactFields
from domain.shared.sensitive import SensitiveKind


class SqlContactRepository:
    def __init__(self, connection: Connection, crypto: FieldCrypto) -> None:
        self._db = connection
        self._crypto = crypto

    def add(self, contact: Contact) -> int:
        values = self._values(contact) | {"customer_id": contact.customer_id, "created_at": contact.created_at}
        return int(self._db.execute(insert(contacts).values(values).returning(contacts.c.id)).scalar_one())

    def get(self, contact_id: int, customer_id: int) -> Contact | None:
        row = self._db.execute(select(contacts).where(contacts.c.id == contact_id,
                                                      contacts.c.customer_id == customer_id)).first()
        return self._to_contact(row) if row else None

    def for_customer(self, customer_id: int) -> list[Contact]:
        rows = self._db.execute(select(contacts).where(contacts.c.customer_id == customer_id).order_by(contacts.c.id))
        return [self._to_contact(row) for row in rows]

    def update(self, contact: Contact, expected_version: int) -> bool:
        result = self._db.execute(update(contacts).where(
            contacts.c.id == contact.id, contacts.c.version == expected_version).values(self._values(contact)))
        return result.rowcount == 1

    def delete(self, contact_id: int, expected_version: int) -> bool:
        result = self._db.execute(delete(contacts).where(contacts.c.id == contact_id,
                                                         contacts.c.version == expected_version))
        return result.rowcount == 1

    def _values(self, contact: Contact) -> dict[str, Any]:
        f = contact.fields
        return {"name": f.name, "title": f.title, "notes": f.notes,
                "phone_enc": self._crypto.seal(f.phone), "email_enc": self._crypto.seal(f.email),
                "phone_index": self._crypto.index_of(SensitiveKind.PHONE, f.phone),
                "email_index": self._crypto.index_of(SensitiveKind.EMAIL, f.email),
                "updated_at": contact.updated_at, "version": contact.version}

    def _to_contact(self, row: Row[Any]) -> Contact:
        fields = ContactFields(row.name, row.title, self._crypto.open(row.phone_enc), self._crypto.open(row.email_enc),
                               row.notes)
        return Contact(row.id, row.customer_id, fields, row.created_at, row.updated_at, row.version)
