"""Demo procurement data: suppliers, budgets, requisitions, purchase orders, goods receipts, supplier invoices.

One consistent history over the last four years, deterministic for a seed (dates are relative to today):
a procurement centre with buyers and managers, requesting departments with employees and finance (none of
them can sign in, like the customer seed's owners), suppliers with sealed bank accounts, a budget per
department and year whose ledger holds what the documents committed and released, requisitions turned into
orders, orders whose statuses follow their age, receipts and invoices whose quantities agree with the order
lines. Amounts come from domain.procurement.amounts; numbers follow the configured patterns and the number
sequences continue after them. Rows get explicit ids and go in with executemany in batches (ANALYZE at the
end). The seed refuses to run on a database that already holds procurement data: it is a whole world, not
an increment. What is bought and said, and how often what happens, is in adapters/seed_catalogue.py.
"""

import heapq
import random
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time as clock_time, timedelta
from decimal import ROUND_CEILING, Decimal
from itertools import pairwise
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table, bindparam, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.crypto.fields import FieldCrypto
from adapters.seed import (
    CITIES,
    FORMS_CN,
    FORMS_EN,
    SYLLABLES,
    WORDS_EN,
    credit_code,
    demo_staff,
    person_name,
)
from adapters.seed_catalogue import (
    BANKS_CN,
    BANKS_EN,
    BLACKLISTINGS,
    CANCEL_REASONS,
    CANCELLED_FROM,
    CATALOGUE,
    CATEGORIES,
    CATEGORY_SHARE,
    DELIVERIES,
    FINANCE_TEAM,
    INVOICE_PROBLEM,
    ORDER_LINES,
    ORDER_STATUS_MONTHS,
    ORDER_STATUS_OLD,
    ORDER_STATUS_RECENT,
    PAYMENT_TERMS,
    PROCUREMENT_TEAMS,
    PURPOSES,
    REJECTION_REASONS,
    REQUEST_CATEGORIES,
    REQUESTING_TEAMS,
    REQUISITION_LINES,
    REQUISITION_OLD,
    REQUISITION_RECENT,
    RESOLUTIONS_ACCEPTED,
    RESOLUTIONS_REJECTED,
    ROADS,
    SHORT_CLOSE_REASONS,
    SITES,
    SUPPLIER_STATUS,
    SUSPENSIONS,
    TEAM_CATEGORIES,
    TEAM_SHARE,
    TRADES,
    Item,
)
from adapters.sqlalchemy.tables import (
    budget_entries,
    budgets,
    goods_receipt_lines,
    goods_receipts,
    number_sequences,
    purchase_order_lines,
    purchase_orders,
    requisition_lines,
    requisitions,
    supplier_contacts,
    supplier_documents,
    supplier_invoice_lines,
    supplier_invoices,
    suppliers,
)
from domain.customers.models import REGIONS
from domain.customers.names import name_key
from domain.invoicing.matching import LineFacts, match_line
from domain.invoicing.models import InvoiceStatus
from domain.procurement.amounts import LineAmounts, estimated_amount, line_amounts, money, totals
from domain.procurement.tolerances import Tolerances
from domain.purchasing.models import OrderStatus
from domain.requisitions.models import RequisitionStatus
from domain.shared.numbering import NumberPattern
from domain.shared.sensitive import SensitiveKind
from domain.suppliers.models import SupplierStatus

BATCH = 5000  # orders per flush (with their lines, receipts, invoices and ledger entries)
YEARS = 4  # the history spans this many years up to today
LINK_SHARE = 0.25  # chance that an order goes to an approved requisition waiting for one
ZERO = Decimal("0.00")  # money
NONE = Decimal(0)  # a quantity
PRIVATE = "_seed"  # a row's key for the seeder's own bookkeeping, dropped before the insert
T = TypeVar("T")

class SeedRefused(Exception):
    """The database already holds procurement data: the demo world is seeded once, on an empty procurement side."""


def refuse_if_seeded(connection: Connection) -> None:
    """Raise SeedRefused when any supplier, requisition or purchase order exists."""
    for table, what in ((purchase_orders, "purchase orders"), (requisitions, "requisitions"), (suppliers, "suppliers")):
        if connection.execute(select(table.c.id).limit(1)).first() is not None:
            raise SeedRefused(f"The database already holds {what}: the procurement demo is only seeded into a "
                              "database without procurement data. Use a fresh database (another HOUTAI_VAR or "
                              "DATABASE_URL), or leave out --orders.")


def seed_procurement(engine: Engine, count: int, seed: int, crypto: FieldCrypto,
                     patterns: Mapping[str, NumberPattern], now: datetime | None = None) -> str:
    """Insert `count` purchase orders and the world around them; returns a one-line report."""
    started = time.perf_counter()
    with engine.begin() as connection:
        refuse_if_seeded(connection)
        seeder = _Seeder(connection, random.Random(seed), crypto, patterns, now or datetime.now(UTC), count)
        seeder.run()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    elapsed = time.perf_counter() - started
    return seeder.report(elapsed)


# --- the seeder -------------------------------------------------------------------------------------------------

@dataclass
class _Supplier:
    id: int
    chinese: bool
    category: str
    status: SupplierStatus
    created_at: datetime
    weight: float  # how much business it gets
    on_time: float  # share of deliveries on or before the promised day
    reject_rate: float  # share of receipt lines with rejected goods


@dataclass
class _Pool:
    """The suppliers of one category in creation order, with cumulative weights: pick one created before a time."""

    members: list[_Supplier] = field(default_factory=list)
    created: list[datetime] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def add(self, supplier: _Supplier) -> None:
        self.members.append(supplier)
        self.created.append(supplier.created_at)
        self.cumulative.append((self.cumulative[-1] if self.cumulative else 0.0) + supplier.weight)

    def pick(self, rng: random.Random, before: datetime) -> _Supplier | None:
        known = bisect_left(self.created, before)
        if not known:
            return None
        chosen = bisect_right(self.cumulative, rng.random() * self.cumulative[known - 1])
        return self.members[min(chosen, known - 1)]


@dataclass
class _ReqLine:
    id: int
    item: Item
    quantity: Decimal
    estimated_price: Decimal  # tax included
    amount: Decimal
    planned: Decimal  # what the requisition's story puts on an order
    ordered: Decimal = NONE  # on orders not cancelled
    held: Decimal = ZERO  # budget this line still holds


@dataclass
class _Requisition:
    id: int
    row: dict[str, Any]
    category: str
    lines: list[_ReqLine]
    outcome: str  # draft / submitted / rejected / wait (approved, not ordered yet) / order / partial / close
    approved_at: datetime | None


@dataclass
class _Story:
    """What happened to one order, and when."""

    status: OrderStatus
    updated: datetime
    approved: datetime | None = None
    sent: datetime | None = None
    cancelled: datetime | None = None
    receipts: int = 0  # how many deliveries were made (before a replacement of rejected goods)
    short: bool = False  # not everything was delivered (partly received, or closed early)
    invoiced: float = 0.0  # chance that what was received is invoiced
    reason: str | None = None
    version: int = 1


class _Numbers:
    """Document numbers per kind from the configured patterns, continuing the stored sequences."""

    def __init__(self, connection: Connection, patterns: Mapping[str, NumberPattern]) -> None:
        self.patterns = patterns
        self.counters: Counter[str] = Counter(dict(connection.execute(
            select(number_sequences.c.key, number_sequences.c.last_value)).tuples().all()))
        self.touched: set[str] = set()

    def take(self, kind: str, moment: datetime) -> str:
        pattern = self.patterns[kind]
        key = pattern.sequence_key(moment.year)
        self.counters[key] += 1
        self.touched.add(key)
        return pattern.format(moment.year, self.counters[key])

    def store(self, connection: Connection) -> None:
        """Upsert the counters handed out, so the next number the app draws follows the seeded ones."""
        greatest = func.max if connection.dialect.name == "sqlite" else func.greatest
        dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        for key in sorted(self.touched):
            statement = dialect_insert(number_sequences).values(key=key, last_value=self.counters[key])
            connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={
                "last_value": greatest(number_sequences.c.last_value, statement.excluded.last_value)}))


class _Inserter:
    """executemany of many rows alike: the statement compiled once, each value through its column type's own
    bind processor (as SQLAlchemy would), without the per-row parameter bookkeeping that dominates a big seed."""

    def __init__(self, connection: Connection) -> None:
        self.db = connection
        self.plans: dict[tuple[str, tuple[str, ...]], tuple[str, list[str], list[tuple[int, Any]]]] = {}

    def __call__(self, table: Table, rows: list[dict[str, Any]]) -> None:
        sql, order, processors = self._plan(table, tuple(rows[0]))
        columns: list[Iterable[Any]] = list(zip(*map(itemgetter(*order), rows), strict=True))
        for index, process in processors:
            columns[index] = map(process, columns[index])
        params: list[Any] = list(zip(*columns, strict=True))
        if not self.db.dialect.positional:
            params = [dict(zip(order, values, strict=True)) for values in params]
        self.db.exec_driver_sql(sql, params)

    def _plan(self, table: Table, keys: tuple[str, ...]) -> tuple[str, list[str], list[tuple[int, Any]]]:
        """The INSERT for these columns, their order in it, and the bind processors to apply by position."""
        plan = self.plans.get((table.name, keys))
        if plan is None:
            dialect = self.db.dialect
            compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
            order = list(compiled.positiontup or ()) if compiled.positional else list(keys)
            processors = [(index, table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
                          for index, key in enumerate(order)]
            plan = (compiled.string, order, [(index, p) for index, p in processors if p is not None])
            self.plans[(table.name, keys)] = plan
        return plan


class _Seeder:
    def __init__(self, connection: Connection, rng: random.Random, crypto: FieldCrypto,
                 patterns: Mapping[str, NumberPattern], now: datetime, count: int) -> None:
        self.db, self.rng, self.crypto, self.now, self.count = connection, rng, crypto, now, count
        self.insert = _Inserter(connection)
        self.start = now - timedelta(days=365 * YEARS)
        self.today = now.date()
        self.numbers = _Numbers(connection, patterns)
        self.next_id: dict[str, int] = {}
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.stats: Counter[str] = Counter()
        self.budget_ids: dict[tuple[int, int], int] = {}  # (department, year) → budget
        self.committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
        self.pools: dict[tuple[str, bool], _Pool] = {}  # (category, qualified only) → pool
        self.queue: list[tuple[datetime, int]] = []  # approved requisitions waiting for an order
        self.requisitions: list[_Requisition] = []
        self.invoice_seq = 0

    # -- orchestration --------------------------------------------------------------------------------------------
    def run(self) -> None:
        self._staff()
        self._suppliers(max(30, min(2000, self.count // 100)))
        self._budgets()
        self._requisitions(max(1, self.count // 10))
        for index in range(self.count):
            self._order(index)
            if len(self.buffers["purchase_orders"]) >= BATCH:
                self._flush()
        self._flush()
        self._finish_requisitions()
        self._number_receipts()
        self._settle_budgets()
        self.numbers.store(self.db)
        if self.db.dialect.name == "postgresql":
            for name in self.next_id:  # rows got explicit ids: move each serial past them
                self.db.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                     f"(SELECT coalesce(max(id), 1) FROM {name}))"))

    def report(self, elapsed: float) -> str:
        s = self.stats
        return (f"Seeded procurement in {elapsed:.1f} s: {s['suppliers']:,} suppliers, {s['budgets']:,} budgets, "
                f"{s['requisitions']:,} requisitions ({s['requisition_lines']:,} lines), {s['orders']:,} purchase "
                f"orders ({s['order_lines']:,} lines), {s['receipts']:,} goods receipts ({s['rejected_lines']:,} lines "
                f"with rejections), {s['invoices']:,} supplier invoices ({s['exceptions']:,} in the exception queue) "
                f"({s['orders'] / max(elapsed, 1e-9):,.0f} orders/s).")

    def _id(self, table: Table) -> int:
        if table.name not in self.next_id:
            self.next_id[table.name] = (self.db.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        value = self.next_id[table.name]
        self.next_id[table.name] = value + 1
        return value

    def _add(self, table: Table, row: dict[str, Any]) -> None:
        self.buffers[table.name].append(row)

    def _flush(self) -> None:
        for table in (supplier_contacts, supplier_documents, purchase_orders, purchase_order_lines, goods_receipts,
                      goods_receipt_lines, supplier_invoices, supplier_invoice_lines, budget_entries):
            rows = self.buffers.pop(table.name, None)
            if rows:
                for row in rows:
                    row.pop(PRIVATE, None)
                self.insert(table, rows)

    def _moment(self, fraction: float) -> datetime:
        """The moment `fraction` into the history (0: four years ago, 1: now)."""
        return self.start + (self.now - self.start) * fraction

    def _after(self, moment: datetime, low_hours: float, high_hours: float) -> datetime:
        """A moment some hours after `moment`, but never in the future."""
        return max(moment, min(moment + timedelta(hours=self.rng.uniform(low_hours, high_hours)), self.now))

    def _on_day(self, day: date) -> datetime:
        """A working-hours moment on `day` (Beijing 09:00-18:00), never in the future."""
        return min(datetime.combine(day, clock_time(1), UTC) + timedelta(minutes=self.rng.randint(0, 540)), self.now)

    # -- people ---------------------------------------------------------------------------------------------------
    def _staff(self) -> None:
        buying = demo_staff(self.db, self.rng, "demo-proc", "采购中心 Procurement", PROCUREMENT_TEAMS, 5,
                            lambda _team, member: "procurement_manager" if member == 0 else "buyer")
        asking = demo_staff(self.db, self.rng, "demo-ops", "运营中心 Operations", REQUESTING_TEAMS, 5,
                            lambda team, _member: "finance" if team == FINANCE_TEAM else "employee")
        self.team_depts = sorted({p.department_id for p in buying})
        self.buyers = {d: [p for p in buying if p.department_id == d and p.role == "buyer"] for d in self.team_depts}
        self.managers = {d: next(p.id for p in buying if p.department_id == d and p.role == "procurement_manager")
                         for d in self.team_depts}
        self.request_depts = sorted({p.department_id for p in asking})
        self.requesters = {d: [p for p in asking if p.department_id == d] for d in self.request_depts}
        self.finance = [p.id for p in self.requesters[self.request_depts[FINANCE_TEAM]]]
        self.approver = self.managers[self.team_depts[0]]

    # -- suppliers ------------------------------------------------------------------------------------------------
    def _suppliers(self, count: int) -> None:
        for category in CATEGORIES:
            for qualified_only in (True, False):
                self.pools[(category, qualified_only)] = _Pool()
        # Most suppliers exist before the history starts; the rest join along the way (not in the last weeks).
        joined = sorted([self._moment(-0.25 + 0.25 * i / count) for i in range(int(count * 0.7))]
                        + [self._moment(self.rng.uniform(0.0, 0.97)) for _ in range(count - int(count * 0.7))])
        codes: set[str] = set(self.db.execute(select(suppliers.c.credit_code).where(
            suppliers.c.credit_code.is_not(None))).scalars())
        names: set[str] = set()
        rows = []
        for created in joined:
            category, status = CATEGORY_SHARE.pick(self.rng), SUPPLIER_STATUS.pick(self.rng)
            supplier = _Supplier(self._id(suppliers), self.rng.random() < 0.8, category, status, created,
                                 1.0 / (1 + self.rng.random() * 30) ** 1.2, self.rng.uniform(0.62, 0.99),
                                 self.rng.choice((0.004, 0.01, 0.02, 0.04, 0.09)))
            rows.append(self._supplier_row(supplier, self._supplier_name(category, supplier.chinese, names), codes))
            self._supplier_extras(supplier)
            if status is not SupplierStatus.PENDING:
                self.pools[(category, False)].add(supplier)
                if status is SupplierStatus.QUALIFIED:
                    self.pools[(category, True)].add(supplier)
        self.insert(suppliers, rows)
        self._flush()
        self.stats["suppliers"] = count

    def _supplier_name(self, category: str, chinese: bool, taken: set[str]) -> str:
        trades_cn, trades_en = TRADES[category]
        rng = self.rng
        while True:
            if chinese:
                name = rng.choice(CITIES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(trades_cn) \
                    + rng.choice(FORMS_CN)
            else:
                name = f"{rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)} {rng.choice(trades_en)} {rng.choice(FORMS_EN)}"
            if name_key(name) not in taken:
                taken.add(name_key(name))
                return name

    def _supplier_row(self, supplier: _Supplier, name: str, codes: set[str]) -> dict[str, Any]:
        rng, chinese = self.rng, supplier.chinese
        city = rng.choice(CITIES)
        if chinese:
            account = " ".join(f"{rng.randint(0, 9999):04d}" for _ in range(4)) + f" {rng.randint(0, 999):03d}"
            bank = f"{rng.choice(BANKS_CN)}{city}分行"
        else:
            account = f"DE{rng.randint(10, 99)} " + " ".join(f"{rng.randint(0, 9999):04d}" for _ in range(4)) \
                + f" {rng.randint(0, 99):02d}"
            bank = rng.choice(BANKS_EN)
        reasons = {SupplierStatus.SUSPENDED: SUSPENSIONS,
                   SupplierStatus.BLACKLISTED: BLACKLISTINGS}.get(supplier.status)
        return {
            "id": supplier.id, "name": name, "name_key": name_key(name),
            "credit_code": credit_code(rng, codes) if chinese or rng.random() < 0.2 else None,
            "category": supplier.category, "status": supplier.status.value,
            "status_reason": rng.choice(reasons) if reasons else None,
            "region": rng.choice(REGIONS[:17] if chinese else REGIONS[17:]),
            "address": f"{city}市{rng.choice(ROADS)}{rng.randint(1, 999)}号" if chinese
            else f"{rng.randint(1, 250)} {rng.choice(WORDS_EN)} Street",
            "payment_terms": rng.choice(PAYMENT_TERMS), "notes": "", "bank_name": bank,
            "bank_account_enc": self.crypto.seal(account),
            "bank_account_index": self.crypto.index_of(SensitiveKind.BANK_ACCOUNT, account),
            "created_by": self.approver, "created_at": supplier.created_at, "updated_at": supplier.created_at,
            "version": 1,
        }

    def _supplier_extras(self, supplier: _Supplier) -> None:
        """One or two contacts (sealed like customer contacts); a licence and sometimes a certificate (no file)."""
        rng = self.rng
        for position in range(rng.choice((1, 1, 2))):
            if supplier.chinese:
                person, title = person_name(rng), rng.choice(("销售经理", "客户经理", "财务", "总经理"))
                phone, email = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}", None
            else:
                first = rng.choice(("Anna", "Ben", "Chloe", "David", "Eva", "Felix", "Grace", "Hugo"))
                person, title = f"{first} {rng.choice(WORDS_EN)}", rng.choice(("Account Manager", "Sales Director"))
                phone = f"+49 {rng.randint(30, 89)} {rng.randint(1000000, 9999999)}"
                email = f"{first.lower()}.{position}@supplier{supplier.id}.example.com"
            self._add(supplier_contacts, {
                "supplier_id": supplier.id, "name": person, "title": title,
                "phone_enc": self.crypto.seal(phone), "phone_index": self.crypto.index_of(SensitiveKind.PHONE, phone),
                "email_enc": self.crypto.seal(email), "email_index": self.crypto.index_of(SensitiveKind.EMAIL, email),
                "notes": "", "created_at": supplier.created_at, "updated_at": supplier.created_at, "version": 1})
        if supplier.chinese:
            self._document(supplier, "business_licence", "营业执照 Business licence", None)
        if rng.random() < 0.4:
            self._document(supplier, "quality_cert", "ISO 9001 质量管理体系认证证书 ISO 9001 certificate",
                           self.today + timedelta(days=rng.randint(-60, 3 * 365)))

    def _document(self, supplier: _Supplier, kind: str, title: str, expires: date | None) -> None:
        issued = expires - timedelta(days=3 * 365) if expires else supplier.created_at.date()
        self._add(supplier_documents, {
            "supplier_id": supplier.id, "kind": kind, "title": title,
            "number": str(self.rng.randint(10 ** 9, 10 ** 10 - 1)), "issued_on": issued, "expires_on": expires,
            "uploaded_by": self.approver, "uploaded_at": supplier.created_at})

    # -- budgets --------------------------------------------------------------------------------------------------
    def _budgets(self) -> None:
        rows = []
        for year in range(self.start.year, self.now.year + 1):
            opened = datetime(year - 1, 12, 15, 2, tzinfo=UTC)
            for dept in (*self.request_depts, *self.team_depts):
                budget_id = self._id(budgets)
                self.budget_ids[(dept, year)] = budget_id
                stop = dept in self.request_depts[4:]  # administration and finance may not overspend (see below)
                rows.append({"id": budget_id, "department_id": dept, "code": f"{year}-PUR",
                             "name": f"{year} 年度采购预算 Purchasing {year}", "period_start": date(year, 1, 1),
                             "period_end": date(year, 12, 31), "amount": ZERO, "committed": ZERO,
                             "policy": "stop" if stop else "warn", "active": True, "created_by": self.finance[0],
                             "created_at": opened, "updated_at": opened, "version": 1})
        self.insert(budgets, rows)
        self.stats["budgets"] = len(rows)

    def _entry(self, budget_id: int | None, document: tuple[str, int], line_id: int, amount: Decimal, reason: str,
               by: int, at: datetime) -> None:
        if budget_id is None or not amount:
            return
        self.committed[budget_id] += amount
        self._add(budget_entries, {"budget_id": budget_id, "document_type": document[0], "document_id": document[1],
                                   "line_id": line_id, "amount": amount, "reason": reason, "created_by": by,
                                   "created_at": at})

    def _settle_budgets(self) -> None:
        """Committed is the ledger's sum; amounts leave some headroom (the current year is partly spent), though a
        few warn budgets ended up slightly overspent. Stop budgets never are."""
        elapsed = Decimal(max((self.now - datetime(self.now.year, 1, 1, tzinfo=UTC)).days, 30)) / 365
        values = []
        for (dept, year), budget_id in self.budget_ids.items():
            used = self.committed[budget_id]
            planned = used / elapsed if year == self.now.year else used
            headroom = self.rng.randint(103 if dept in self.request_depts[4:] else 97, 125)
            amount = max(Decimal(100000), (planned * headroom / 100).quantize(Decimal("1E4"), ROUND_CEILING))
            values.append({"key": budget_id, "amount": amount, "committed": used})
        self.db.execute(update(budgets).where(budgets.c.id == bindparam("key")).values(
            amount=bindparam("amount"), committed=bindparam("committed")), values)

    # -- requisitions ---------------------------------------------------------------------------------------------
    def _requisitions(self, count: int) -> None:
        rows, line_rows = [], []
        for index in range(count):
            requisition = self._requisition(index, count)
            self.requisitions.append(requisition)
            rows.append(requisition.row)
            needed = requisition.row["created_at"].date() + timedelta(days=self.rng.randint(10, 60))
            line_rows += [{"id": line.id, "requisition_id": requisition.id, "position": position,
                           "item": line.item.zh, "specification": line.item.spec, "quantity": line.quantity,
                           "unit": line.item.unit_zh, "estimated_unit_price": line.estimated_price,
                           "amount": line.amount, "needed_by": needed, "ordered_quantity": NONE}
                          for position, line in enumerate(requisition.lines, 1)]
        for table, batch in ((requisitions, rows), (requisition_lines, line_rows)):
            for start in range(0, len(batch), BATCH):
                self.insert(table, batch[start:start + BATCH])
        self._flush()
        self.stats["requisitions"], self.stats["requisition_lines"] = len(rows), len(line_rows)

    def _requisition(self, index: int, count: int) -> _Requisition:
        rng = self.rng
        created = self._moment((index + rng.random() * 0.9) / count)
        team = rng.randrange(len(REQUESTING_TEAMS) - 1)  # finance raises none
        dept, category = self.request_depts[team], rng.choice(REQUEST_CATEGORIES[team])
        requester = rng.choice(self.requesters[dept]).id
        recent = (self.now - created).days < 30
        outcome = (REQUISITION_RECENT if recent else REQUISITION_OLD).pick(rng)
        lines = [self._requisition_line(rng.choice(CATALOGUE[category]), outcome, position)
                 for position in range(REQUISITION_LINES.pick(rng))]
        if not any(line.planned for line in lines) and outcome == "partial":  # nothing divisible: order it all
            lines[0].planned = lines[0].quantity
        submitted = self._after(created, 0.1, 10) if outcome != "draft" else None
        decided = self._after(submitted, 1, 72) if submitted and outcome != "submitted" else None
        approved = decided if decided and outcome != "rejected" else None
        budget = self.budget_ids[(dept, created.year)]
        requisition_id = self._id(requisitions)
        row = {"id": requisition_id, "number": self.numbers.take("requisition", created),
               "title": f"{lines[0].item.zh}等 {len(lines)} 项" if len(lines) > 1 else lines[0].item.zh,
               "purpose": rng.choice(PURPOSES), "department_id": dept, "requester_id": requester, "budget_id": budget,
               "currency": "CNY", "estimated_total": sum((line.amount for line in lines), ZERO),
               "status": RequisitionStatus.DRAFT.value, "submitted_at": submitted, "decided_at": decided,
               "closed_reason": None, "created_by": requester, "created_at": created,
               "updated_at": decided or submitted or created,
               "version": 1 + (submitted is not None) + (decided is not None)}
        requisition = _Requisition(requisition_id, row, category, lines, outcome, approved)
        if approved:
            for line in lines:
                line.held = line.amount
                self._entry(budget, ("requisition", requisition_id), line.id, line.amount, "approved", self.approver,
                            approved)
            if outcome in ("order", "partial"):
                heapq.heappush(self.queue, (self._after(approved, 2, 120), len(self.requisitions)))
        return requisition

    def _requisition_line(self, item: Item, outcome: str, position: int) -> _ReqLine:
        quantity = self._quantity(item)
        estimated = (self._price(item) * (100 + item.tax_rate) * self.rng.randint(95, 115) / 10000).quantize(
            _step(item.price_places))
        if outcome == "order":
            planned = quantity
        elif outcome == "partial":  # the first line partly, the others fully, partly or not at all
            part = self._part(quantity, item.quantity_places)
            planned = part if position == 0 else self.rng.choice((quantity, part, NONE))
        else:
            planned = NONE
        return _ReqLine(self._id(requisition_lines), item, quantity, estimated, estimated_amount(quantity, estimated),
                        planned)

    def _finish_requisitions(self) -> None:
        """Statuses from what was really ordered (cancelled orders give their quantities back); closing releases."""
        values, line_values = [], []
        for requisition in self.requisitions:
            status = self._requisition_status(requisition)
            row = requisition.row
            if status is RequisitionStatus.CLOSED:
                row["updated_at"] = self._after(row["updated_at"], 24 * 20, 24 * 60)
                row["version"] += 1
                for line in requisition.lines:
                    self._entry(row["budget_id"], ("requisition", requisition.id), line.id, -line.held, "closed",
                                self.approver, row["updated_at"])
            values.append({"key": requisition.id, "status": status.value, "updated_at": row["updated_at"],
                           "version": row["version"], "reason": SHORT_CLOSE_REASONS[1]
                           if status is RequisitionStatus.CLOSED else None})
            line_values += [{"key": line.id, "ordered": line.ordered} for line in requisition.lines if line.ordered]
        self.db.execute(update(requisitions).where(requisitions.c.id == bindparam("key")).values(
            status=bindparam("status"), closed_reason=bindparam("reason"), updated_at=bindparam("updated_at"),
            version=bindparam("version")), values)
        if line_values:
            self.db.execute(update(requisition_lines).where(requisition_lines.c.id == bindparam("key")).values(
                ordered_quantity=bindparam("ordered")), line_values)
        self._flush()

    def _requisition_status(self, requisition: _Requisition) -> RequisitionStatus:
        if requisition.outcome in ("draft", "submitted", "rejected"):
            return RequisitionStatus(requisition.outcome)
        lines = requisition.lines
        if all(line.ordered >= line.quantity for line in lines):
            return RequisitionStatus.ORDERED
        if requisition.outcome == "close" or (self.now - requisition.row["created_at"]).days > 90:
            return RequisitionStatus.CLOSED  # the rest is no longer needed
        return RequisitionStatus.PARTLY_ORDERED if any(line.ordered for line in lines) else RequisitionStatus.APPROVED

    # -- purchase orders ------------------------------------------------------------------------------------------
    def _order(self, index: int) -> None:
        rng = self.rng
        created = self._moment((index + rng.random() * 0.9) / self.count)
        requisition = self._ready_requisition(created)
        if requisition is not None:
            category = requisition.category
            team = next(t for t, categories in enumerate(TEAM_CATEGORIES) if category in categories)
        else:
            team = TEAM_SHARE.pick(rng)
            category = rng.choice(TEAM_CATEGORIES[team])
        dept = self.team_depts[team]
        buyer = rng.choice(self.buyers[dept]).id
        age = (self.now - created).days
        supplier = self._supplier_for(category, created, age)
        story = self._story(self._order_status(age), created)
        order_id = self._id(purchase_orders)
        lines = self._order_lines(order_id, supplier, requisition, category, dept, created, story)
        if story.receipts:
            self._deliveries(order_id, [line for line, _source in lines], supplier, story, buyer)
        if requisition is not None and story.status is not OrderStatus.CANCELLED:
            for line, source in lines:
                if source is not None:
                    source.ordered += line["quantity"]
            requisition.row["updated_at"] = max(requisition.row["updated_at"], created)
            requisition.row["version"] += 1
        rows = [line for line, _source in lines]
        sums = totals(LineAmounts(line["net_amount"], line["tax_amount"], line["gross_amount"]) for line in rows)
        first = rows[0]["item"]
        title = first if len(rows) == 1 else f"{first}等 {len(rows)} 项" if supplier.chinese else \
            f"{first} and {len(rows) - 1} more"
        self._add(purchase_orders, {
            "id": order_id, "number": self.numbers.take("purchase_order", created), "supplier_id": supplier.id,
            "title": title, "buyer_id": buyer, "department_id": dept, "contract_id": None, "currency": "CNY",
            "net_total": sums.net, "tax_total": sums.tax, "gross_total": sums.gross, "status": story.status.value,
            "delivery_address": rng.choice(SITES), "payment_terms": rng.choice(PAYMENT_TERMS), "notes": "",
            "sent_at": story.sent, "closed_reason": story.reason, "created_by": buyer, "created_at": created,
            "updated_at": story.updated, "version": story.version})
        self._order_ledger(order_id, lines, requisition, story, buyer, self.managers[dept])
        self.stats["orders"] += 1
        self.stats["order_lines"] += len(rows)

    def _ready_requisition(self, moment: datetime) -> _Requisition | None:
        if self.queue and self.queue[0][0] <= moment and self.rng.random() < LINK_SHARE:
            return self.requisitions[heapq.heappop(self.queue)[1]]
        return None

    def _supplier_for(self, category: str, moment: datetime, age: int) -> _Supplier:
        """Recent orders go to qualified suppliers only; older ones also to suppliers suspended or blacklisted since."""
        supplier = self.pools[(category, age < 240)].pick(self.rng, moment) or \
            self.pools[(category, True)].pick(self.rng, self.now)
        if supplier is None:  # a tiny seed may lack a category: any qualified supplier will do
            supplier = next(p.members[0] for (_, qualified), p in self.pools.items() if qualified and p.members)
        return supplier

    def _order_status(self, age: int) -> OrderStatus:
        table = ORDER_STATUS_OLD if age > 120 else ORDER_STATUS_MONTHS if age > 30 else ORDER_STATUS_RECENT
        return table.pick(self.rng)

    def _story(self, status: OrderStatus, created: datetime) -> _Story:
        """The order's way to `status`: submitted, decided, sent, cancelled from some step, deliveries planned."""
        s, rng = OrderStatus, self.rng
        story = _Story(status, created)
        reached = status
        if status is s.CANCELLED:
            reached = CANCELLED_FROM.pick(rng)
        if reached is not s.DRAFT:
            story.updated = self._after(created, 0.1, 8)  # submitted
            story.version += 1
        if reached not in (s.DRAFT, s.PENDING_APPROVAL):
            story.updated = self._after(story.updated, 1, 72)  # approved or rejected
            story.version += 1
            story.approved = story.updated if reached is not s.REJECTED else None
        if story.approved and reached is not s.APPROVED:
            story.sent = story.updated = self._after(story.updated, 1, 48)
            story.version += 1
        if status is s.CANCELLED:
            story.cancelled = story.updated = self._after(story.updated, 2, 24 * 20)
            story.version += 1
            story.reason = rng.choice(CANCEL_REASONS)
        elif status in (s.PARTLY_RECEIVED, s.RECEIVED, s.CLOSED):
            story.receipts = DELIVERIES.pick(rng)
            story.short = status is s.PARTLY_RECEIVED or (status is s.CLOSED and rng.random() < 0.06)
            story.invoiced = {s.PARTLY_RECEIVED: 0.4, s.RECEIVED: 0.7, s.CLOSED: 1.0}[status]
        return story

    def _order_lines(self, order_id: int, supplier: _Supplier, requisition: _Requisition | None, category: str,
                     dept: int, created: datetime, story: _Story) -> list[tuple[dict[str, Any], _ReqLine | None]]:
        rng = self.rng
        if requisition is not None:
            sources: list[tuple[Item, Decimal, _ReqLine | None]] = [
                (line.item, line.planned, line) for line in requisition.lines if line.planned]
            budget = requisition.row["budget_id"]
        else:
            items = rng.sample(CATALOGUE[category], min(len(CATALOGUE[category]),
                                                        ORDER_LINES.pick(rng)))
            sources = [(item, self._quantity(item), None) for item in items]
            budget = self.budget_ids[(dept, created.year)] if rng.random() < 0.6 else None
        promised = (story.sent or story.approved or created).date()
        lines = []
        for position, (item, quantity, source) in enumerate(sources, 1):
            price = self._price(item)
            amounts = line_amounts(quantity, price, item.tax_rate)
            lead = rng.randint(30, 90) if category in ("equipment", "construction") else rng.randint(5, 30)
            lines.append(({
                "id": self._id(purchase_order_lines), "order_id": order_id, "position": position,
                "requisition_line_id": source.id if source else None, "budget_id": budget,
                "item": item.zh if supplier.chinese else item.en, "specification": item.spec, "quantity": quantity,
                "unit": item.unit_zh if supplier.chinese else item.unit_en, "unit_price": price,
                "tax_rate": item.tax_rate, "net_amount": amounts.net, "tax_amount": amounts.tax,
                "gross_amount": amounts.gross, "delivery_on": promised + timedelta(days=lead),
                "received_quantity": NONE, "accepted_quantity": NONE, "invoiced_quantity": NONE,
                PRIVATE: item.quantity_places}, source))
        for row, _source in lines:
            self._add(purchase_order_lines, row)
        return lines

    def _order_ledger(self, order_id: int, lines: list[tuple[dict[str, Any], _ReqLine | None]],
                      requisition: _Requisition | None, story: _Story, buyer: int, manager: int) -> None:
        """As the app books it: on approval each line takes over its requisition line's share and commits its
        gross; a cancel releases the order and reinstates the requisition's share; closing gives back what was
        never accepted."""
        if story.approved is None:
            return
        order = ("purchase_order", order_id)
        for line, source in lines:
            share = ZERO
            if source is not None and requisition is not None:
                share = min(source.held, money(line["quantity"] * source.estimated_price))
                source.held -= share
                self._entry(requisition.row["budget_id"], ("requisition", requisition.id), source.id, -share,
                            "ordered", manager, story.approved)
            self._entry(line["budget_id"], order, line["id"], line["gross_amount"], "ordered", manager, story.approved)
            if story.cancelled and requisition is not None and source is not None:
                source.held += share
                self._entry(requisition.row["budget_id"], ("requisition", requisition.id), source.id, share,
                            "reinstated", buyer, story.cancelled)
            if story.cancelled:
                self._entry(line["budget_id"], order, line["id"], -line["gross_amount"], "cancelled", buyer,
                            story.cancelled)
            elif story.status is OrderStatus.CLOSED:
                kept = line_amounts(min(line["accepted_quantity"], line["quantity"]), line["unit_price"],
                                    line["tax_rate"]).gross
                self._entry(line["budget_id"], order, line["id"], kept - line["gross_amount"], "closed", buyer,
                            story.updated)

    # -- receipts and invoices ------------------------------------------------------------------------------------
    def _deliveries(self, order_id: int, lines: list[dict[str, Any]], supplier: _Supplier, story: _Story,
                    buyer: int) -> None:
        """Receipts (with rejections, and replacements when the order was completed), then invoices and closing."""
        rng = self.rng
        targets = self._targets(lines, story.short)
        if not any(targets):  # one line of one unit cannot be delivered in part: it was delivered in full
            story.short, targets = False, [line["quantity"] for line in lines]
            if story.status is OrderStatus.PARTLY_RECEIVED:
                story.status = OrderStatus.RECEIVED
        assert story.sent is not None
        late = rng.random() > supplier.on_time
        day = max(story.sent.date(), lines[0]["delivery_on"] + timedelta(
            days=rng.randint(1, 20) if late else rng.randint(-4, 0)))
        rejected: list[Decimal] = [NONE] * len(lines)
        receipts = []
        for split in self._splits(targets, story.receipts, lines):
            day = min(day, self.today)
            receipts.append(self._receipt(order_id, lines, split, day, supplier, buyer, rejected))
            day += timedelta(days=rng.randint(3, 20))
        if not story.short and any(rejected):  # the supplier replaced what was rejected
            receipts.append(self._receipt(order_id, lines, rejected, min(day, self.today), None, buyer, None))
        story.updated = max(story.updated, receipts[-1]["created_at"])
        story.version += len(receipts)
        self._invoices(order_id, lines, receipts, supplier, story)
        if story.status is OrderStatus.CLOSED:
            story.updated = self._after(story.updated, 24, 24 * 30)
            story.version += 1
            story.reason = rng.choice(SHORT_CLOSE_REASONS[:1]) if story.short else None

    def _targets(self, lines: list[dict[str, Any]], short: bool) -> list[Decimal]:
        """What gets delivered of each line: everything, or (short) part of the first and whatever of the rest."""
        if not short:
            return [line["quantity"] for line in lines]
        first, *others = lines
        return [self._part(first["quantity"], first[PRIVATE]), *(self.rng.choice(
            (line["quantity"], self._part(line["quantity"], line[PRIVATE]), NONE)) for line in others)]

    def _splits(self, targets: list[Decimal], count: int, lines: list[dict[str, Any]]) -> list[list[Decimal]]:
        """`targets` per line split over `count` deliveries (parts on the line's quantity step); empty ones dropped."""
        parts = [self._split(target, count, line[PRIVATE]) for target, line in zip(targets, lines, strict=True)]
        splits = [[line_parts[k] for line_parts in parts] for k in range(count)]
        return [split for split in splits if any(split)]

    def _receipt(self, order_id: int, lines: list[dict[str, Any]], quantities: list[Decimal], day: date,
                 supplier: _Supplier | None, buyer: int, rejected: list[Decimal] | None) -> dict[str, Any]:
        """One goods receipt; `supplier` given: some lines have rejected goods, added up in `rejected`."""
        receipt_id = self._id(goods_receipts)
        created = self._on_day(day)
        row: dict[str, Any] = {
            "id": receipt_id, "number": f"seed-{receipt_id}", "order_id": order_id, "received_on": day,
            "received_by": buyer, "notes": "" if supplier else "补发 Replacement of rejected goods",
            "created_at": created, PRIVATE: [NONE] * len(lines)}  # what each line accepted
        self._add(goods_receipts, row)
        for index, (line, quantity) in enumerate(zip(lines, quantities, strict=True)):
            if not quantity:
                continue
            refused = NONE
            if supplier is not None and rejected is not None and self.rng.random() < supplier.reject_rate:
                refused = self._part(quantity, line[PRIVATE]) or quantity
                rejected[index] += refused
                self.stats["rejected_lines"] += 1
            accepted = quantity - refused
            line["received_quantity"] += quantity
            line["accepted_quantity"] += accepted
            row[PRIVATE][index] = accepted
            self._add(goods_receipt_lines, {
                "receipt_id": receipt_id, "order_line_id": line["id"], "received_quantity": quantity,
                "accepted_quantity": accepted, "rejected_quantity": refused,
                "rejection_reason": self.rng.choice(REJECTION_REASONS) if refused else ""})
        self.stats["receipts"] += 1
        return row

    def _invoices(self, order_id: int, lines: list[dict[str, Any]], receipts: list[dict[str, Any]],
                  supplier: _Supplier, story: _Story) -> None:
        """What was accepted is invoiced (one invoice, or one per receipt); a few invoices need finance's decision."""
        rng = self.rng
        if rng.random() >= story.invoiced:
            return
        groups = [receipts] if len(receipts) == 1 or rng.random() < 0.8 else [[r] for r in receipts]
        accepted = [NONE] * len(lines)  # by the receipts invoiced so far
        for group in groups:
            quantities = [sum((r[PRIVATE][i] for r in group), NONE) for i in range(len(lines))]
            accepted = [before + now for before, now in zip(accepted, quantities, strict=True)]
            if any(quantities):
                day = min(max(r["received_on"] for r in group) + timedelta(days=rng.randint(0, 20)), self.today)
                self._invoice(order_id, lines, quantities, accepted, supplier, day)

    def _invoice(self, order_id: int, lines: list[dict[str, Any]], quantities: list[Decimal],
                 accepted: list[Decimal], supplier: _Supplier, day: date, problem: str | None = None) -> None:
        """One invoice billing `quantities`; `problem` (drawn when None) puts a price or quantity above the order
        on one line. Each line is matched as the app matches it; a mismatch waits in the queue or was decided."""
        rng = self.rng
        problem = problem or INVOICE_PROBLEM.pick(rng)
        flawed = next(i for i, quantity in enumerate(quantities) if quantity)
        bills = []
        for index, (line, quantity) in enumerate(zip(lines, quantities, strict=True)):
            if not quantity:
                continue
            price, billed = line["unit_price"], quantity
            if index == flawed and problem == "price_over":
                price = (price * rng.randint(103, 112) / 100).quantize(line["unit_price"])
            elif index == flawed and problem == "quantity_over":
                billed = quantity + _step(line[PRIVATE]) * rng.randint(1, 5)
            bills.append((line, billed, price, *_match(billed, price, line, accepted[index])))
        status = InvoiceStatus.MATCHED
        if any(match != "matched" for _line, _billed, _price, match, _detail in bills):
            status = InvoiceStatus.EXCEPTION if (self.today - day).days < 45 else rng.choice(
                (InvoiceStatus.ACCEPTED, InvoiceStatus.ACCEPTED, InvoiceStatus.REJECTED))
        created = self._on_day(day + timedelta(days=rng.randint(0, 3)))
        invoice_id = self._id(supplier_invoices)
        amounts = []
        for line, billed, price, match, detail in bills:
            amount = line_amounts(billed, price, line["tax_rate"])
            amounts.append(amount)
            if status is not InvoiceStatus.REJECTED:
                line["invoiced_quantity"] += billed
            self._add(supplier_invoice_lines, {
                "invoice_id": invoice_id, "order_line_id": line["id"], "quantity": billed, "unit_price": price,
                "tax_rate": line["tax_rate"], "net_amount": amount.net, "tax_amount": amount.tax,
                "gross_amount": amount.gross, "match_status": match, "match_detail": detail})
        sums = totals(amounts)
        resolved = status in (InvoiceStatus.ACCEPTED, InvoiceStatus.REJECTED)
        resolved_at = self._after(created, 24, 24 * 10) if resolved else None
        reasons = RESOLUTIONS_ACCEPTED if status is InvoiceStatus.ACCEPTED else RESOLUTIONS_REJECTED
        self.invoice_seq += 1
        self._add(supplier_invoices, {
            "id": invoice_id, "number": f"{25_000_000 + self.invoice_seq:08d}", "supplier_id": supplier.id,
            "order_id": order_id, "invoice_date": day, "currency": "CNY", "net_total": sums.net,
            "tax_total": sums.tax, "gross_total": sums.gross, "status": status.value,
            "resolution_reason": rng.choice(reasons) if resolved else None,
            "resolved_by": rng.choice(self.finance) if resolved else None, "resolved_at": resolved_at,
            "recorded_by": rng.choice(self.finance), "created_at": created, "updated_at": resolved_at or created,
            "version": 2 if resolved else 1})
        self.stats["invoices"] += 1
        self.stats["exceptions"] += status is InvoiceStatus.EXCEPTION
        if status is InvoiceStatus.REJECTED:  # the supplier sent a corrected invoice
            self._invoice(order_id, lines, quantities, accepted, supplier, min(day + timedelta(days=12), self.today),
                          "matched")

    def _number_receipts(self) -> None:
        """Receipt numbers in the order receipts were made (their ids follow the orders)."""
        rows = self.db.execute(select(goods_receipts.c.id, goods_receipts.c.created_at).where(
            goods_receipts.c.number.like("seed-%")).order_by(goods_receipts.c.created_at, goods_receipts.c.id)).all()
        values = [{"key": row.id, "number": self.numbers.take("goods_receipt", row.created_at)} for row in rows]
        if values:
            self.db.execute(update(goods_receipts).where(goods_receipts.c.id == bindparam("key")).values(
                number=bindparam("number")), values)

    # -- numbers of things ----------------------------------------------------------------------------------------
    def _quantity(self, item: Item) -> Decimal:
        return Decimal(self.rng.randint(*item.quantity)).scaleb(-item.quantity_places)

    def _price(self, item: Item) -> Decimal:
        return Decimal(self.rng.randint(*item.price)).scaleb(-item.price_places)

    def _part(self, quantity: Decimal, places: int) -> Decimal:
        """A part strictly between 0 and `quantity` on its step, or 0 when there is none."""
        steps = int(quantity.scaleb(places))
        return Decimal(self.rng.randint(1, steps - 1)).scaleb(-places) if steps > 1 else NONE

    def _split(self, quantity: Decimal, count: int, places: int) -> list[Decimal]:
        steps = int(quantity.scaleb(places))
        cuts = sorted(self.rng.randint(0, steps) for _ in range(count - 1))
        return [Decimal(high - low).scaleb(-places) for low, high in pairwise([0, *cuts, steps])]


def _match(quantity: Decimal, unit_price: Decimal, line: dict[str, Any], accepted: Decimal) -> tuple[str, Any]:
    """An invoice line's three-way match and its detail, as recording the invoice would store it (default
    tolerances)."""
    found = match_line(quantity, unit_price, line["tax_rate"],
                       LineFacts(accepted, line["invoiced_quantity"], line["unit_price"], line["tax_rate"]),
                       Tolerances())
    return found.status.value, found.detail


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _step(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)
