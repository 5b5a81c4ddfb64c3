"""SQL repositories for contract attachments and renewal reminders."""

from collections import defaultdict
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Integer, Row, Select, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sqlalchemy.contracts import contract_scope, to_contract
from adapters.sqlalchemy.scope import bound_scope, scope_shape, scope_values
from adapters.sqlalchemy.tables import contract_attachments, contract_reminders, contracts, users
from domain.contracts.attachments import Attachment
from domain.contracts.models import Contract, ContractStatus
from domain.contracts.reminders import Approaching, ContractDue
from domain.identity.models import Actor

_ACTIVE, _EXPIRED = ContractStatus.ACTIVE.value, ContractStatus.EXPIRED.value


class SqlContractAttachmentRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, attachment: Attachment) -> int:
        a = attachment
        return int(self._db.execute(insert(contract_attachments).values(
            contract_id=a.contract_id, amendment=a.amendment, file_id=a.file_id, filename=a.filename,
            content_type=a.content_type, size=a.size, sha256=a.sha256, uploaded_by=a.uploaded_by,
            uploaded_at=a.uploaded_at, removed_at=a.removed_at).returning(contract_attachments.c.id)).scalar_one())

    def get(self, attachment_id: int) -> Attachment | None:
        row = self._db.execute(_with_uploader().where(contract_attachments.c.id == attachment_id)).first()
        return _to_attachment(row) if row else None

    def for_contract(self, contract_id: int) -> list[Attachment]:
        a = contract_attachments.c
        rows = self._db.execute(_with_uploader().where(a.contract_id == contract_id, a.removed_at.is_(None))
                                .order_by(a.amendment, a.uploaded_at, a.id))
        return [_to_attachment(row) for row in rows]

    def mark_removed(self, attachment_id: int, at: datetime) -> None:
        self._db.execute(update(contract_attachments).where(contract_attachments.c.id == attachment_id)
                         .values(removed_at=at))


def _with_uploader() -> Select[Any]:
    return select(contract_attachments, users.c.display_name.label("uploader_name")).join(
        users, users.c.id == contract_attachments.c.uploaded_by)


def _to_attachment(row: Row[Any]) -> Attachment:
    return Attachment(row.id, row.contract_id, row.amendment, row.file_id, row.filename, row.content_type, row.size,
                      row.sha256, row.uploaded_by, row.uploaded_at, row.removed_at, row.uploader_name)


class SqlContractReminderRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def approaching(self, today: date, until: date) -> list[Approaching]:
        c, r = contracts.c, contract_reminders.c
        rows = self._db.execute(
            select(c.id, c.end_on, r.days_before).outerjoin(contract_reminders, r.contract_id == c.id)
            .where(c.status == _ACTIVE, c.end_on >= today, c.end_on <= until).order_by(c.id))
        ends: dict[int, date] = {}
        marks: dict[int, set[int]] = defaultdict(set)
        for row in rows:
            ends[row.id] = row.end_on
            if row.days_before is not None:
                marks[row.id].add(row.days_before)
        return [Approaching(contract_id, end_on, frozenset(marks[contract_id])) for contract_id, end_on in ends.items()]

    def record(self, contract_id: int, days_before: int, at: datetime) -> bool:
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(contract_reminders).values(contract_id=contract_id, days_before=days_before,
                                                              created_at=at)
        inserted = statement.on_conflict_do_nothing().returning(contract_reminders.c.id)
        return self._db.execute(inserted).first() is not None  # psycopg reports no rowcount for this statement

    def ended_before(self, today: date, after_id: int, limit: int) -> list[Contract]:
        rows = self._db.execute(select(contracts).where(
            contracts.c.status == _ACTIVE, contracts.c.end_on < today, contracts.c.id > after_id)
            .order_by(contracts.c.id).limit(limit))
        return [to_contract(row) for row in rows]

    def open_for(self, actor: Actor, limit: int) -> list[ContractDue]:
        c = contracts.c
        statement = select(c.id, c.number, c.title, c.end_on, func.min(contract_reminders.c.days_before).label("mark"))
        rows = self._db.execute(_open_reminders(statement, actor).group_by(c.id, c.number, c.title, c.end_on)
                                .order_by(c.end_on, c.id).limit(limit))
        return [ContractDue(row.id, row.number, row.title, row.end_on, row.mark) for row in rows]

    def count_open(self, actor: Actor) -> int:
        statement = _open_reminder_count(scope_shape(actor, "contract"))
        return int(self._db.execute(statement, scope_values(actor)).scalar_one())

    def acknowledge(self, contract_id: int, user_id: int, at: datetime) -> int:
        r = contract_reminders.c
        result = self._db.execute(update(contract_reminders).where(
            r.contract_id == contract_id, r.acknowledged_at.is_(None)).values(acknowledged_at=at,
                                                                              acknowledged_by=user_id))
        return int(result.rowcount)

    def recently_expired(self, actor: Actor, since: date, limit: int) -> list[ContractDue]:
        c = contracts.c
        rows = self._db.execute(select(c.id, c.number, c.title, c.end_on).where(
            c.owner_id == actor.user_id, c.status == _EXPIRED, c.end_on >= since, contract_scope(actor))
            .order_by(c.end_on.desc(), c.id.desc()).limit(limit))
        return [ContractDue(row.id, row.number, row.title, row.end_on) for row in rows]


def _open_reminders(statement: Select[Any], actor: Actor) -> Select[Any]:
    """`statement` over contracts ⋈ open reminders, limited to the actor's own active contracts in scope."""
    c, r = contracts.c, contract_reminders.c
    return statement.select_from(contracts.join(contract_reminders, r.contract_id == c.id)).where(
        c.owner_id == actor.user_id, c.status == _ACTIVE, r.acknowledged_at.is_(None), contract_scope(actor))


@cache
def _open_reminder_count(shape: str) -> Select[Any]:
    """The navigation's count (every full page) of one scope shape, built once (see bound_scope)."""
    c, r = contracts.c, contract_reminders.c
    return select(func.count(func.distinct(c.id))).select_from(
        contracts.join(contract_reminders, r.contract_id == c.id)).where(
        c.owner_id == bindparam("scope_user", type_=Integer), c.status == _ACTIVE, r.acknowledged_at.is_(None),
        bound_scope(shape, c.owner_id, c.department_id))
