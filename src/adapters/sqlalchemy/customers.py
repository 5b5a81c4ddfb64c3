"""SQL repositories for customers and follow-ups. The record scope is part of every customer query."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)

from adapters.crypto.fields import FieldCrypto
from adapters.sqlalchemy.bulk import insert_many, update_many
from adapters.sqlalchemy.identity import subtree
from adapters.sqlalchemy.scope import record_scope
from adapters.sqlalchemy.tables import contacts, customers, departments, follow_ups, users
from adapters.sqlalchemy.tags import tagged
from domain.customers.models import (
    Customer,
    CustomerFields,
    CustomerLevel,
    CustomerListQuery,
    CustomerStage,
    CustomerSummary,
    DueFollowUp,
    DuplicateCandidate,
    FollowUp,
    FollowUpKind,
)
from domain.customers.names import name_key
from domain.identity.models import Actor
from domain.shared.paging import Page, decode_cursor, encode_cursor
from domain.shared.sensitive import SensitiveKind, lookup_kind

_SORT_COLUMNS = {"-created": (customers.c.created_at, True), "created": (customers.c.created_at, False),
                 "name": (customers.c.name, False), "-name": (customers.c.name, True)}
_SUMMARY = select(customers.c.id, customers.c.name, customers.c.credit_code, customers.c.stage, customers.c.region,
                  users.c.display_name.label("owner_name"), customers.c.created_at, customers.c.next_action_on
                  ).join(users, users.c.id == customers.c.owner_id)
_DENSE_HITS = 2000  # above this many trigram hits a LIKE walk in index order stops sooner
_FTS_HITS = text("SELECT rowid FROM customers_fts WHERE customers_fts MATCH :q LIMIT :cap")
_INDEX_COLUMNS = {SensitiveKind.PHONE: customers.c.phone_index, SensitiveKind.EMAIL: customers.c.email_index}


def scope_clause(actor: Actor) -> ColumnElement[bool]:
    """The rows of `customers` the actor may see (see adapters.sqlalchemy.scope)."""
    return record_scope(actor, "customer", customers.c.owner_id, customers.c.department_id)


class SqlCustomerRepository:
    """Phone and e-mail are sealed on write and opened only for single records, never for lists."""

    def __init__(self, connection: Connection, crypto: FieldCrypto) -> None:
        self._db = connection
        self._crypto = crypto

    def add(self, customer: Customer) -> int:
        values = self._values(customer) | {"created_at": customer.created_at, "created_by": customer.created_by,
                                      "form_token": customer.form_token}
        return int(self._db.execute(insert(customers).values(values).returning(customers.c.id)).scalar_one())

    def get(self, customer_id: int, actor: Actor) -> Customer | None:
        row = self._db.execute(select(customers).where(customers.c.id == customer_id, scope_clause(actor))).first()
        return self._to_customer(row) if row else None

    def get_many(self, customer_ids: list[int], actor: Actor) -> dict[int, Customer]:
        if not customer_ids:
            return {}
        rows = self._db.execute(select(customers).where(customers.c.id.in_(customer_ids), scope_clause(actor)))
        return {row.id: self._to_customer(row) for row in rows}

    def add_many(self, batch: list[Customer]) -> list[int]:
        return insert_many(self._db, customers, [self._values(c) | {"created_at": c.created_at,
                                                                    "created_by": c.created_by,
                                                                    "form_token": c.form_token} for c in batch])

    def update_many(self, batch: list[Customer], expected_versions: list[int]) -> int:
        return update_many(self._db, customers, [self._values(c) for c in batch], [c.id or 0 for c in batch],
                           expected_versions)

    def get_by_form_token(self, form_token: str) -> Customer | None:
        row = self._db.execute(select(customers).where(customers.c.form_token == form_token)).first()
        return self._to_customer(row) if row else None

    def update(self, customer: Customer, expected_version: int) -> bool:
        result = self._db.execute(update(customers).where(
            customers.c.id == customer.id, customers.c.version == expected_version).values(self._values(customer)))
        return result.rowcount == 1

    def contacts(self, customer_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        if not customer_ids:
            return {}
        rows = self._db.execute(select(customers.c.id, customers.c.phone_enc, customers.c.email_enc)
                                .where(customers.c.id.in_(customer_ids)))
        return {r.id: (self._crypto.open(r.phone_enc), self._crypto.open(r.email_enc)) for r in rows}

    def credit_code_holder(self, credit_code: str) -> int | None:
        return self._db.execute(select(customers.c.id).where(customers.c.credit_code == credit_code)).scalar()

    def owner_department(self, owner_id: int) -> tuple[bool, int | None]:
        row = self._db.execute(select(users.c.is_active, users.c.department_id).where(users.c.id == owner_id)).first()
        return (bool(row.is_active), row.department_id) if row else (False, None)

    def department_of(self, department_id: int | None, actor: Actor) -> bool:
        if department_id is None or actor.department_id is None:
            return False
        found = self._db.execute(subtree(actor.department_id).where(departments.c.id == department_id)).first()
        return found is not None

    def duplicates(self, name_key: str, credit_code: str | None, phone: str | None, actor: Actor,
                   exclude_id: int | None, limit: int) -> list[DuplicateCandidate]:
        phone_index = self._crypto.index_of(SensitiveKind.PHONE, phone)
        by_contact = select(contacts.c.customer_id).where(contacts.c.phone_index == phone_index)
        matches = [customers.c.name_key == name_key if name_key else false(),
                   customers.c.credit_code == credit_code if credit_code else false(),
                   or_(customers.c.phone_index == phone_index, customers.c.id.in_(by_contact)) if phone_index
                   else false()]
        statement = select(customers.c.id, customers.c.name, customers.c.name_key, customers.c.credit_code,
                           customers.c.phone_index).where(
            or_(*matches), customers.c.archived_at.is_(None), scope_clause(actor),
            customers.c.id != (exclude_id or 0)).order_by(customers.c.id).limit(limit)
        return [DuplicateCandidate(row.id, row.name, _reasons(row, name_key, credit_code, phone_index))
                for row in self._db.execute(statement)]

    def refresh_next_action(self, customer_id: int) -> None:
        earliest = select(func.min(follow_ups.c.next_action_on)).where(
            follow_ups.c.customer_id == customer_id, follow_ups.c.done_at.is_(None)).scalar_subquery()
        self._db.execute(update(customers).where(customers.c.id == customer_id).values(next_action_on=earliest))

    def search(self, query: CustomerListQuery, actor: Actor) -> Page[CustomerSummary]:
        column, descending = _SORT_COLUMNS.get(query.sort, _SORT_COLUMNS["-created"])
        statement = _SUMMARY.where(customers.c.archived_at.is_(None), scope_clause(actor))
        statement = self._filtered(statement, query)
        after, before = decode_cursor(query.after), decode_cursor(query.before)
        backwards = before is not None and after is None
        cursor = before if backwards else after
        if cursor is not None:
            key = tuple_(literal(_cursor_value(column, cursor[0]), column.type), literal(cursor[1]))
            newer = descending != backwards  # walking towards smaller keys
            bound = tuple_(column, customers.c.id)
            statement = statement.where(bound < key if newer else bound > key)
        order_desc = descending != backwards
        order = (column.desc(), customers.c.id.desc()) if order_desc else (column.asc(), customers.c.id.asc())
        rows = list(self._db.execute(statement.order_by(*order).limit(query.per_page + 1)))
        return _page(rows, query, column.key, backwards, cursor is not None)

    def _filtered(self, statement: Select[Any], query: CustomerListQuery) -> Select[Any]:
        if query.stage:
            statement = statement.where(customers.c.stage == query.stage.value)
        if query.owner_id:
            statement = statement.where(customers.c.owner_id == query.owner_id)
        if query.tag_id:
            statement = statement.where(customers.c.id.in_(tagged(query.tag_id)))
        if query.text:
            statement = statement.where(self._text_match(query.text))
        return statement

    def _text_match(self, term: str) -> ColumnElement[bool]:
        return or_(self._name_or_code_match(term), self._exact_secret_match(term))

    def _name_or_code_match(self, term: str) -> ColumnElement[bool]:
        code_match = customers.c.credit_code == term.upper()
        if self._db.dialect.name != "sqlite":
            return or_(customers.c.name.icontains(term, autoescape=True), code_match)
        like = or_(customers.c.name.contains(term, autoescape=True), code_match)
        if len(term) < 3:
            return like
        phrase = '"' + term.replace('"', '""') + '"'
        hits = self._db.execute(_FTS_HITS, {"q": phrase, "cap": _DENSE_HITS + 1}).scalars().all()
        return like if len(hits) > _DENSE_HITS else customers.c.id.in_(hits)

    def _exact_secret_match(self, term: str) -> ColumnElement[bool]:
        """A whole phone number or e-mail address, found through its blind index, never by decrypting."""
        kind = lookup_kind(term)
        if kind is None:
            return false()
        return _INDEX_COLUMNS[kind] == self._crypto.index_of(kind, term)

    def _values(self, customer: Customer) -> dict[str, Any]:
        fields = customer.fields
        values = {k: v for k, v in fields.as_values().items() if k not in ("phone", "email")}
        return values | {
            "phone_enc": self._crypto.seal(fields.phone), "email_enc": self._crypto.seal(fields.email),
            "phone_index": self._crypto.index_of(SensitiveKind.PHONE, fields.phone),
            "email_index": self._crypto.index_of(SensitiveKind.EMAIL, fields.email),
            "name_key": name_key(fields.name), "level": fields.level.value if fields.level else None,
            "department_id": customer.department_id, "updated_at": customer.updated_at,
            "version": customer.version, "archived_at": customer.archived_at}

    def _to_customer(self, row: Row[Any]) -> Customer:
        fields = CustomerFields(row.name, row.credit_code, row.industry, row.region, CustomerStage(row.stage),
                                row.owner_id, self._crypto.open(row.phone_enc), self._crypto.open(row.email_enc),
                                CustomerLevel(row.level) if row.level else None)
        return Customer(row.id, fields, row.department_id, row.created_at, row.updated_at, row.created_by,
                        row.version, row.archived_at, row.form_token)


class SqlFollowUpRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, follow_up: FollowUp) -> int:
        return int(self._db.execute(insert(follow_ups).values(
            customer_id=follow_up.customer_id, author_id=follow_up.author_id, kind=follow_up.kind.value,
            content=follow_up.content, next_action_on=follow_up.next_action_on, created_at=follow_up.created_at,
        ).returning(follow_ups.c.id)).scalar_one())

    def for_customer(self, customer_id: int, limit: int = 100) -> list[FollowUp]:
        rows = self._db.execute(_WITH_AUTHOR.where(follow_ups.c.customer_id == customer_id)
                                .order_by(follow_ups.c.created_at.desc(), follow_ups.c.id.desc()).limit(limit))
        return [_follow_up(row) for row in rows]

    def get(self, follow_up_id: int) -> FollowUp | None:
        row = self._db.execute(_WITH_AUTHOR.where(follow_ups.c.id == follow_up_id)).first()
        return _follow_up(row) if row else None

    def complete(self, follow_up_id: int, at: datetime, by: int) -> bool:
        open_one = and_(follow_ups.c.id == follow_up_id, follow_ups.c.done_at.is_(None))
        result = self._db.execute(update(follow_ups).where(open_one).values(done_at=at, done_by=by))
        return result.rowcount == 1

    def due(self, author_id: int, until: date, actor: Actor, after: tuple[date, int] | None,
            limit: int) -> list[DueFollowUp]:
        f = follow_ups.c
        statement = select(f.id, f.customer_id, customers.c.name, f.kind, f.content, f.next_action_on).join(
            customers, customers.c.id == f.customer_id).where(
            f.author_id == author_id, f.done_at.is_(None), f.next_action_on.is_not(None), f.next_action_on <= until,
            customers.c.archived_at.is_(None), scope_clause(actor))
        if after is not None:
            statement = statement.where(tuple_(f.next_action_on, f.id) > tuple_(literal(after[0]), literal(after[1])))
        rows = self._db.execute(statement.order_by(f.next_action_on, f.id).limit(limit))
        return [DueFollowUp(*row) for row in rows]


_WITH_AUTHOR = select(follow_ups, users.c.display_name).join(users, users.c.id == follow_ups.c.author_id)


def _follow_up(row: Row[Any]) -> FollowUp:
    return FollowUp(row.id, row.customer_id, row.author_id, FollowUpKind(row.kind), row.content, row.next_action_on,
                    row.created_at, row.display_name, row.done_at)


def _reasons(row: Row[Any], name_key: str, credit_code: str | None, phone_index: str | None) -> tuple[str, ...]:
    reasons = [("credit_code", bool(credit_code) and row.credit_code == credit_code),
               ("phone", phone_index is not None and row.phone_index == phone_index),
               ("name", bool(name_key) and row.name_key == name_key)]
    return tuple(reason for reason, matched in reasons if matched) or ("contact_phone",)


def _cursor_value(column: Any, value: str | int | None) -> Any:
    if column is customers.c.created_at and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return datetime.min
    return "" if value is None else str(value)


def _page(rows: list[Row[Any]], query: CustomerListQuery, key: str, backwards: bool,
          had_cursor: bool) -> Page[CustomerSummary]:
    more = len(rows) > query.per_page
    rows = rows[: query.per_page]
    if backwards:
        rows.reverse()
    items = [CustomerSummary(id_, name, code, stage, region, owner, created.date(), next_on)
             for id_, name, code, stage, region, owner, created, next_on in rows]
    if not rows:
        return Page(items, None, None)

    def cursor(row: Row[Any]) -> str:
        value = getattr(row, key)
        return encode_cursor((value.isoformat() if isinstance(value, datetime) else value, row.id))

    has_next = had_cursor if backwards else more
    has_prev = more if backwards else had_cursor
    return Page(items, cursor(rows[-1]) if has_next else None, cursor(rows[0]) if has_prev else None)
