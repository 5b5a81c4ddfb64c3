"""SQL repository for budgets and their ledger."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, select, update

from adapters.sqlalchemy.tables import budget_entries, budgets, purchase_orders, requisitions, users
from domain.budgets.models import Budget, BudgetEntry, BudgetListQuery, BudgetPolicy, LedgerLine

HALF_FEN = Decimal("0.005")


class SqlBudgetRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, budget: Budget) -> int:
        values = _values(budget) | {"department_id": budget.department_id, "committed": budget.committed,
                                    "created_by": budget.created_by, "created_at": budget.created_at}
        return int(self._db.execute(insert(budgets).values(values).returning(budgets.c.id)).scalar_one())

    def get(self, budget_id: int) -> Budget | None:
        row = self._db.execute(select(budgets).where(budgets.c.id == budget_id)).first()
        return _budget(row) if row else None

    def update(self, budget: Budget, expected_version: int) -> bool:
        result = self._db.execute(update(budgets).where(
            budgets.c.id == budget.id, budgets.c.version == expected_version).values(_values(budget)))
        return result.rowcount == 1

    def of_department(self, department_id: int, on: date | None = None) -> list[Budget]:
        statement = select(budgets).where(budgets.c.department_id == department_id)
        if on is not None:
            statement = statement.where(budgets.c.active.is_(True), budgets.c.period_start <= on,
                                        budgets.c.period_end >= on)
        return [_budget(row) for row in self._db.execute(statement.order_by(budgets.c.code, budgets.c.id))]

    def all(self, department_ids: list[int] | None = None) -> list[Budget]:
        statement = select(budgets)
        if department_ids is not None:
            statement = statement.where(budgets.c.department_id.in_(department_ids))
        rows = self._db.execute(statement.order_by(budgets.c.period_start.desc(), budgets.c.code, budgets.c.id))
        return [_budget(row) for row in rows]

    def search(self, query: BudgetListQuery) -> list[Budget]:
        statement = select(budgets)
        if query.department_id is not None:
            statement = statement.where(budgets.c.department_id == query.department_id)
        if query.year is not None:
            statement = statement.where(budgets.c.period_start <= date(query.year, 12, 31),
                                        budgets.c.period_end >= date(query.year, 1, 1))
        rows = self._db.execute(statement.order_by(budgets.c.period_start.desc(), budgets.c.code, budgets.c.id)
                                .limit(query.limit))
        return [_budget(row) for row in rows]

    def charge(self, budget_id: int, amount: Decimal, *, limit: bool) -> bool:
        statement = update(budgets).where(budgets.c.id == budget_id).values(committed=budgets.c.committed + amount)
        if limit:
            # Re-evaluated on the row's newest version when concurrent charges queue (PostgreSQL), and run under
            # the write lock (SQLite), so two commitments can never together pass the amount. Half a fen of
            # slack: SQLite adds NUMERIC as doubles, and every real amount is a whole number of fen.
            statement = statement.where(budgets.c.committed + amount <= budgets.c.amount + HALF_FEN)
        return self._db.execute(statement).rowcount == 1

    def add_entry(self, entry: BudgetEntry) -> int:
        return int(self._db.execute(insert(budget_entries).values(
            budget_id=entry.budget_id, document_type=entry.document_type, document_id=entry.document_id,
            line_id=entry.line_id, amount=entry.amount, reason=entry.reason, overridden_by=entry.overridden_by,
            created_by=entry.created_by, created_at=entry.created_at).returning(budget_entries.c.id)).scalar_one())

    def entries(self, budget_id: int, limit: int = 200) -> list[BudgetEntry]:
        rows = self._db.execute(select(budget_entries).where(budget_entries.c.budget_id == budget_id)
                                .order_by(budget_entries.c.id.desc()).limit(limit))
        return [_entry(row) for row in rows]

    def ledger_lines(self, budget_id: int, limit: int = 200) -> list[LedgerLine]:
        rows = self._db.execute(_LEDGER.where(budget_entries.c.budget_id == budget_id)
                                .order_by(budget_entries.c.id.desc()).limit(limit))
        return [LedgerLine(_entry(row), row.document_number or "", row.created_by_name or "",
                           row.overridden_by_name or "") for row in rows]

    def outstanding(self, document_type: str, document_id: int) -> dict[tuple[int, int | None], Decimal]:
        e = budget_entries.c
        rows = self._db.execute(select(e.budget_id, e.line_id, func.sum(e.amount)).where(
            e.document_type == document_type, e.document_id == document_id).group_by(e.budget_id, e.line_id))
        return {(budget_id, line_id): Decimal(total).quantize(Decimal("0.01"))
                for budget_id, line_id, total in rows if total}


_creator, _overrider, _e = users.alias("creator"), users.alias("overrider"), budget_entries.c
_number = func.coalesce(requisitions.c.number, purchase_orders.c.number).label("document_number")
_LEDGER = (select(budget_entries, _number, _creator.c.display_name.label("created_by_name"),
                  _overrider.c.display_name.label("overridden_by_name"))
           .outerjoin(requisitions, and_(_e.document_type == "requisition", requisitions.c.id == _e.document_id))
           .outerjoin(purchase_orders, and_(_e.document_type == "purchase_order",
                                            purchase_orders.c.id == _e.document_id))
           .outerjoin(_creator, _creator.c.id == _e.created_by)
           .outerjoin(_overrider, _overrider.c.id == _e.overridden_by))


def _entry(row: Row[Any]) -> BudgetEntry:
    return BudgetEntry(row.id, row.budget_id, row.document_type, row.document_id, row.line_id, row.amount, row.reason,
                       row.created_at, row.created_by, row.overridden_by)


def _values(budget: Budget) -> dict[str, Any]:
    return {"code": budget.code, "name": budget.name, "period_start": budget.period_start,
            "period_end": budget.period_end, "amount": budget.amount, "policy": budget.policy.value,
            "active": budget.active, "updated_at": budget.updated_at, "version": budget.version}


def _budget(row: Row[Any]) -> Budget:
    return Budget(row.id, row.department_id, row.code, row.name, row.period_start, row.period_end, row.amount,
                  BudgetPolicy(row.policy), row.created_by, row.created_at, row.updated_at, row.committed, row.active,
                  row.version)
