"""In-memory fakes of every port, for unit tests of domain services (no database, no Flask)."""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Self

from domain.administration.models import ADMINISTRATOR, Department, LinkPurpose, UserListQuery, UserSummary
from domain.administration.role_models import StoredRole
from domain.audit.chain import GENESIS, chained_fields, record_hash
from domain.audit.models import AuditEvent, AuditQuery, AuditRecord, ChainHead
from domain.contracts.attachments import Attachment
from domain.contracts.models import Amendment, Contract, ContractListQuery, ContractStatus, ContractSummary
from domain.contracts.reminders import Approaching, ContractDue
from domain.customers.contacts import Contact
from domain.customers.list_models import SavedView, Tag
from domain.customers.merge_models import Merge, MovedRows
from domain.customers.models import (
    Customer,
    CustomerListQuery,
    CustomerSummary,
    DueFollowUp,
    DuplicateCandidate,
    FollowUp,
)
from domain.customers.names import name_key
from domain.identity.models import Actor, AuthSession, User
from domain.identity.permissions import DEFAULT_ROLES, Role, Scope, combined_permissions, combined_scopes
from domain.imports.models import Holder, ImportBatch, ImportItem, RemovalFacts
from domain.jobs.models import Job, JobStatus
from domain.shared.errors import NotFound
from domain.shared.paging import Page, decode_cursor, encode_cursor
from tests.approval_fakes import FakeApprovalRepository, FakeDelegationRepository
from tests.fake_rows import FakeContactBook, insert_row
from tests.procurement_fakes import (
    FakeBudgetRepository,
    FakeInvoiceRepository,
    FakeOrderBook,
    FakeOrderSources,
    FakePartyDirectory,
    FakeProcurementSettings,
    FakePurchaseOrderRepository,
    FakeReceivingRepository,
    FakeRequisitionRepository,
    FakeSupplierContactRepository,
    FakeSupplierDocumentRepository,
    FakeSupplierRepository,
    FakeSupplierScorecardReader,
)


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakeHasher:
    """Reversible on purpose: tests check behaviour, not hashing strength."""

    def hash(self, password: str) -> str:
        return "hashed:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "hashed:" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


class FakeStrength:
    """Scores by a few known-weak passwords and context words; zxcvbn itself is tested in its adapter's tests."""

    WEAK = ("password", "123456", "qwerty")

    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def score(self, password: str, context: Sequence[str]) -> int:
        self.seen.append((password, tuple(context)))
        lowered = password.lower()
        return 1 if any(w.lower() in lowered for w in (*self.WEAK, *context) if len(w) >= 3) else 4


class FakeCipher:
    def encrypt(self, plaintext: bytes) -> bytes:
        return b"sealed:" + plaintext[::-1]

    def decrypt(self, token: bytes) -> bytes:
        assert token.startswith(b"sealed:")
        return token[len(b"sealed:"):][::-1]


class FakeTotp:
    """Codes are "<step % 1e6>" zero-padded, where a step is 30 s of the clock."""

    def new_secret(self) -> str:
        return "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return f"otpauth://totp/{issuer}:{account}?secret={secret}"

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        step = int(at.timestamp()) // 30
        return next((s for s in (step - 1, step, step + 1) if self.code(s) == code), None)

    @staticmethod
    def code(step: int) -> str:
        return f"{step % 1_000_000:06d}"

    def code_at(self, at: datetime) -> str:
        return self.code(int(at.timestamp()) // 30)


class FakeUserRepository:
    def __init__(self, parents: dict[int, int | None] | None = None) -> None:
        self.users: dict[int, User] = {}
        self.parents = parents or {}  # department id -> parent id
        self.recovery: dict[int, dict[str, datetime | None]] = {}
        self.setup_tokens: dict[str, tuple[datetime, datetime | None]] = {}
        self.password_changed_at: dict[int, datetime] = {}
        self.department_names: dict[int, str] = {}
        self.links: dict[str, tuple[int, LinkPurpose, datetime, datetime | None]] = {}
        self.password_changed: dict[int, datetime] = {}

    def add(self, user: User) -> int:
        return insert_row(self.users, user)

    def get(self, user_id: int) -> User | None:
        user = self.users.get(user_id)
        return replace(user) if user else None

    def get_by_username(self, username: str) -> User | None:
        return next((replace(u) for u in self.users.values() if u.username == username), None)

    def administrator_exists(self) -> bool:
        return any("administrator" in u.roles and u.is_active for u in self.users.values())

    def set_active(self, user_id: int, active: bool) -> None:
        self.users[user_id].is_active = active

    def rehash_password(self, user_id: int, old_hash: str, new_hash: str) -> None:
        if self.users[user_id].password_hash == old_hash:
            self.users[user_id].password_hash = new_hash

    def set_pending_totp(self, user_id: int, sealed_secret: bytes) -> None:
        user = self.users[user_id]
        if user.totp_secret is None and not user.totp_confirmed:
            user.totp_secret = sealed_secret

    def confirm_totp(self, user_id: int) -> None:
        self.users[user_id].totp_confirmed = True

    def names(self, user_ids: set[int]) -> dict[int, str]:
        return {i: u.display_name for i, u in self.users.items() if i in user_ids}

    def active_user_names(self, department_id: int | None = None) -> list[tuple[int, str]]:
        return [(i, u.display_name) for i, u in self.users.items()
                if u.is_active and (department_id is None or self.within(u.department_id, department_id))]

    def within(self, department_id: int | None, root: int | None) -> bool:
        while department_id is not None:
            if department_id == root:
                return True
            department_id = self.parents.get(department_id)
        return False

    def advance_totp_step(self, user_id: int, step: int) -> bool:
        user = self.users[user_id]
        if user.totp_last_step is not None and user.totp_last_step >= step:
            return False
        user.totp_last_step = step
        return True

    def record_login_failure(self, user_id: int, at: datetime, limit: int, lock_for: timedelta) -> bool:
        user = self.users[user_id]
        user.failed_logins += 1
        if user.failed_logins < limit:
            return False
        user.failed_logins, user.locked_until = 0, at + lock_for
        return True

    def reset_login_failures(self, user_id: int) -> None:
        self.users[user_id].failed_logins, self.users[user_id].locked_until = 0, None

    def replace_recovery_codes(self, user_id: int, code_hashes: list[str]) -> None:
        self.recovery[user_id] = dict.fromkeys(code_hashes)

    def use_recovery_code(self, user_id: int, code_hash: str, at: datetime) -> bool:
        codes = self.recovery.get(user_id, {})
        if code_hash not in codes or codes[code_hash] is not None:
            return False
        codes[code_hash] = at
        return True

    def remaining_recovery_codes(self, user_id: int) -> int:
        return sum(1 for used in self.recovery.get(user_id, {}).values() if used is None)

    def set_password(self, user_id: int, password_hash: str, at: datetime) -> None:
        self.users[user_id].password_hash = password_hash
        self.password_changed_at[user_id] = at

    def department_name(self, department_id: int) -> str | None:
        return self.department_names.get(department_id)

    def role_names(self, role_keys: frozenset[str] | None = None) -> dict[str, str]:
        keys = DEFAULT_ROLES.keys() if role_keys is None else role_keys
        return {key: DEFAULT_ROLES[key].name for key in keys if key in DEFAULT_ROLES}

    def add_setup_token(self, token_hash: str, expires_at: datetime) -> None:
        self.setup_tokens[token_hash] = (expires_at, None)

    def consume_setup_token(self, token_hash: str, at: datetime) -> bool:
        expires, used = self.setup_tokens.get(token_hash, (at, at))
        if used is not None or expires <= at:
            return False
        self.setup_tokens[token_hash] = (expires, at)
        return True


    def search(self, query: UserListQuery, now: datetime) -> Page[UserSummary]:
        found = sorted((u for u in self.users.values() if query.text.lower() in (u.username + u.display_name).lower()
                        and (query.role is None or query.role in u.roles)), key=lambda u: (u.display_name, u.id or 0))
        items = [UserSummary(u.id or 0, u.username, u.display_name, None, tuple(sorted(u.roles)), u.is_active,
                             u.is_locked(now), u.totp_confirmed) for u in found[: query.per_page]]
        return Page(items, None, None)

    def update(self, user: User, expected_version: int) -> bool:
        assert user.id is not None
        if self.users[user.id].version != expected_version:
            return False
        self.users[user.id] = replace(self.users[user.id], display_name=user.display_name,
                                      department_id=user.department_id, roles=user.roles, version=user.version)
        return True

    def clear_mfa(self, user_id: int) -> None:
        user = self.users[user_id]
        user.totp_secret, user.totp_confirmed, user.totp_last_step = None, False, None
        self.recovery.pop(user_id, None)

    def active_administrators(self) -> list[int]:
        return [i for i, u in self.users.items() if u.is_active and ADMINISTRATOR in u.roles]

    def last_sign_in(self, user_id: int) -> datetime | None:
        return None

    def add_link(self, token_hash: str, user_id: int, purpose: LinkPurpose, created_by: int, created_at: datetime,
                 expires_at: datetime) -> None:
        self.links = {h: link for h, link in self.links.items()
                      if not (link[0] == user_id and link[1] is purpose and link[3] is None)}
        self.links[token_hash] = (user_id, purpose, expires_at, None)

    def live_link(self, token_hash: str, at: datetime) -> tuple[int, LinkPurpose] | None:
        link = self.links.get(token_hash)
        return (link[0], link[1]) if link and link[3] is None and link[2] > at else None

    def consume_link(self, token_hash: str, at: datetime) -> bool:
        if self.live_link(token_hash, at) is None:
            return False
        user_id, purpose, expires, _ = self.links[token_hash]
        self.links[token_hash] = (user_id, purpose, expires, at)
        return True


class FakeDepartmentRepository:
    """Shares the parent map with FakeUserRepository, so department scopes follow moves."""

    def __init__(self, parents: dict[int, int | None]) -> None:
        self.parents = parents
        self.rows: dict[int, Department] = {}
        for department_id in sorted(parents):
            self.rows[department_id] = Department(department_id, f"Department {department_id}", parents[department_id])
        for department in self.rows.values():
            department.path = self._path(department.id or 0)

    def add(self, name: str, parent_id: int | None) -> Department:
        new_id = max(self.rows, default=0) + 1
        self.parents[new_id] = parent_id
        self.rows[new_id] = Department(new_id, name, parent_id, self._path(new_id))
        return replace(self.rows[new_id])

    def get(self, department_id: int) -> Department | None:
        department = self.rows.get(department_id)
        return replace(department) if department else None

    def all(self) -> list[Department]:
        return [replace(d) for d in self.rows.values()]

    def save(self, department: Department) -> None:
        assert department.id is not None
        stored = self.rows[department.id]
        self.rows[department.id] = replace(department, parent_id=stored.parent_id, path=stored.path)

    def move(self, department: Department, parent: Department | None) -> None:
        assert department.id is not None
        self.parents[department.id] = parent.id if parent else None
        self.rows[department.id].parent_id = self.parents[department.id]
        for row in self.rows.values():
            row.path = self._path(row.id or 0)

    def _path(self, department_id: int) -> str:
        chain: list[int] = []
        current: int | None = department_id
        while current is not None:
            chain.insert(0, current)
            current = self.parents.get(current)
        return "/" + "".join(f"{i}/" for i in chain)


class FakeSessionRepository:
    def __init__(self, users: FakeUserRepository) -> None:
        self.sessions: dict[str, AuthSession] = {}
        self._users = users

    def add(self, session: AuthSession) -> None:
        self.sessions[session.token_hash] = replace(session)

    def load(self, token_hash: str) -> AuthSession | None:
        session = self.sessions.get(token_hash)
        if session is None:
            return None
        user = self._users.users.get(session.user_id or 0)
        actor = Actor(user.id, user.username, user.display_name, user.roles, user.department_id) \
            if user and user.is_active and user.id else None
        return replace(session, actor=actor, data=dict(session.data))

    def delete(self, token_hash: str) -> None:
        self.sessions.pop(token_hash, None)

    def touch(self, token_hash: str, at: datetime) -> None:
        self.sessions[token_hash].last_seen_at = at

    def save_data(self, token_hash: str, data: dict[str, Any]) -> None:
        self.sessions[token_hash].data = dict(data)

    def rekey(self, token_hash: str, new_hash: str) -> None:
        session = self.sessions.pop(token_hash)
        session.token_hash = new_hash
        self.sessions[new_hash] = session

    def mark_authenticated(self, token_hash: str, at: datetime) -> None:
        self.sessions[token_hash].authenticated_at = at

    def count_code_failure(self, token_hash: str) -> int:
        session = self.sessions.get(token_hash)
        if session is None:
            return 0
        session.code_failures += 1
        return session.code_failures

    def delete_idle(self, before: datetime) -> int:
        idle = [h for h, s in self.sessions.items() if s.last_seen_at < before]
        for token_hash in idle:
            del self.sessions[token_hash]
        return len(idle)

    def for_user(self, user_id: int) -> list[AuthSession]:
        mine = [replace(s, data={}) for s in self.sessions.values() if s.user_id == user_id]
        return sorted(mine, key=lambda s: s.last_seen_at, reverse=True)

    def delete_for_user(self, user_id: int, keep: str | None = None) -> int:
        ended = [h for h, s in self.sessions.items() if s.user_id == user_id and h != keep]
        for token_hash in ended:
            del self.sessions[token_hash]
        return len(ended)

    def count_for_user(self, user_id: int) -> int:
        return sum(1 for s in self.sessions.values() if s.user_id == user_id and s.stage.value == "full")


class FakeCustomerRepository:
    """Mirrors the SQL adapter's contract: scope filter, newest first, keyset cursors on (created_at, id)."""

    def __init__(self, users: FakeUserRepository) -> None:
        self.rows: dict[int, Customer] = {}
        self._users = users
        self.refreshed: list[int] = []

    def add(self, customer: Customer) -> int:
        return insert_row(self.rows, customer)

    def get(self, customer_id: int, actor: Actor) -> Customer | None:
        customer = self.rows.get(customer_id)
        return replace(customer) if customer and self._visible(customer, actor) else None

    def get_many(self, customer_ids: list[int], actor: Actor) -> dict[int, Customer]:
        return {i: c for i in customer_ids if (c := self.get(i, actor))}

    def add_many(self, customers: list[Customer]) -> list[int]:
        return [self.add(customer) for customer in customers]

    def update_many(self, customers: list[Customer], expected_versions: list[int]) -> int:
        return sum(self.update(c, v) for c, v in zip(customers, expected_versions, strict=True))

    def get_by_form_token(self, form_token: str) -> Customer | None:
        return next((c for c in self.rows.values() if c.form_token == form_token), None)

    def update(self, customer: Customer, expected_version: int) -> bool:
        assert customer.id is not None
        if self.rows[customer.id].version != expected_version:
            return False
        self.rows[customer.id] = replace(customer)
        return True

    def search(self, query: CustomerListQuery, actor: Actor) -> Page[CustomerSummary]:
        rows = sorted((c for c in self.rows.values() if self._visible(c, actor) and c.archived_at is None
                       and query.text.lower() in c.name.lower()), key=lambda c: (c.created_at, c.id), reverse=True)
        after = decode_cursor(query.after)
        if after:
            rows = [c for c in rows if (c.created_at.isoformat(), c.id or 0) < (str(after[0]), after[1])]
        page = rows[: query.per_page]
        items = [CustomerSummary(c.id or 0, c.name, c.fields.credit_code, c.fields.stage.value, c.fields.region,
                                 self._users.names({c.owner_id}).get(c.owner_id, ""), c.created_at.date())
                 for c in page]
        more = len(rows) > query.per_page
        return Page(items, encode_cursor((page[-1].created_at.isoformat(), page[-1].id or 0)) if more else None,
                    None)

    def contacts(self, customer_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        return {i: (self.rows[i].fields.phone, self.rows[i].fields.email) for i in customer_ids if i in self.rows}

    def credit_code_holder(self, credit_code: str) -> int | None:
        return next((i for i, c in self.rows.items() if c.fields.credit_code == credit_code), None)

    def owner_department(self, owner_id: int) -> tuple[bool, int | None]:
        user = self._users.users.get(owner_id)
        return (user.is_active, user.department_id) if user else (False, None)

    def department_of(self, department_id: int | None, actor: Actor) -> bool:
        return actor.department_id is not None and self._users.within(department_id, actor.department_id)

    def duplicates(self, name_key_: str, credit_code: str | None, phone: str | None, actor: Actor,
                   exclude_id: int | None, limit: int) -> list[DuplicateCandidate]:
        found = []
        for c in self.rows.values():
            reasons = tuple(r for r, hit in (("credit_code", bool(credit_code) and c.fields.credit_code == credit_code),
                                             ("phone", bool(phone) and c.fields.phone == phone),
                                             ("name", bool(name_key_) and name_key(c.name) == name_key_)) if hit)
            if reasons and c.id != exclude_id and c.archived_at is None and self._visible(c, actor):
                found.append(DuplicateCandidate(c.id or 0, c.name, reasons))
        return found[:limit]

    def refresh_next_action(self, customer_id: int) -> None:
        self.refreshed.append(customer_id)

    def _visible(self, customer: Customer, actor: Actor) -> bool:
        scope = actor.scope("customer")
        if scope is Scope.ALL:
            return True
        if customer.owner_id == actor.user_id:
            return scope is not None
        return scope is Scope.DEPARTMENT and self.department_of(customer.department_id, actor)


class FakeFollowUpRepository:
    def __init__(self) -> None:
        self.rows: list[FollowUp] = []

    def add(self, follow_up: FollowUp) -> int:
        self.rows.append(replace(follow_up, id=len(self.rows) + 1))
        return len(self.rows)

    def for_customer(self, customer_id: int, limit: int = 100) -> list[FollowUp]:
        return [f for f in reversed(self.rows) if f.customer_id == customer_id][:limit]

    def get(self, follow_up_id: int) -> FollowUp | None:
        return next((f for f in self.rows if f.id == follow_up_id), None)

    def complete(self, follow_up_id: int, at: datetime, by: int) -> bool:
        index = next(i for i, f in enumerate(self.rows) if f.id == follow_up_id)
        if self.rows[index].done_at is not None:
            return False
        self.rows[index] = replace(self.rows[index], done_at=at)
        return True

    def due(self, author_id: int, until: date, actor: Actor, after: tuple[date, int] | None,
            limit: int) -> list[DueFollowUp]:
        rows = sorted((f.next_action_on, f.id or 0, f) for f in self.rows if f.author_id == author_id
                      and f.done_at is None and f.next_action_on and f.next_action_on <= until)
        return [DueFollowUp(i, f.customer_id, "", f.kind.value, f.content, due) for due, i, f in rows
                if after is None or (due, i) > after][:limit]


class FakeContactRepository(FakeContactBook[Contact]):
    owner = "customer_id"

    def for_customer(self, customer_id: int) -> list[Contact]:
        return self.of_owner(customer_id)


class FakeMergeRepository:
    """Moves the fakes' contacts, follow-ups, contracts and tags (`tags`: customer id → tag ids)."""

    def __init__(self, contacts: FakeContactRepository, follow_ups: FakeFollowUpRepository,
                 contracts: "FakeContractRepository") -> None:
        self._contacts, self._follow_ups, self._contracts = contacts, follow_ups, contracts
        self.tags: dict[int, set[int]] = {}
        self.rows: dict[int, Merge] = {}

    def movable(self, customer_id: int) -> MovedRows:
        return MovedRows({i: c.version for i, c in self._contacts.rows.items() if c.customer_id == customer_id},
                         tuple(f.id or 0 for f in self._follow_ups.rows if f.customer_id == customer_id),
                         {i: c.version for i, c in self._contracts.rows.items() if c.customer_id == customer_id},
                         tuple(sorted(self.tags.get(customer_id, set()))))

    def move(self, rows: MovedRows, from_id: int, to_id: int) -> MovedRows:
        self._relocate(rows, to_id)
        held = self.tags.setdefault(to_id, set())
        moving = tuple(t for t in rows.tags if t not in held)
        shared = tuple(t for t in rows.tags if t in held)
        self.tags[from_id] = self.tags.get(from_id, set()) - set(rows.tags)
        held.update(moving)
        return MovedRows({i: v + 1 for i, v in rows.contacts.items()}, rows.follow_ups,
                         {i: v + 1 for i, v in rows.contracts.items()}, moving, shared)

    def move_back(self, merge: Merge) -> None:
        self._relocate(merge.moved, merge.absorbed_id)
        self.tags[merge.survivor_id] -= set(merge.moved.tags)
        self.tags.setdefault(merge.absorbed_id, set()).update(merge.moved.tags + merge.moved.shared_tags)

    def unchanged_since(self, merge: Merge) -> bool:
        m, s = merge.moved, merge.survivor_id
        return (all(self._contacts.rows.get(i) and self._contacts.rows[i].customer_id == s
                    and self._contacts.rows[i].version == v for i, v in m.contacts.items())
                and all(self._contracts.rows.get(i) and self._contracts.rows[i].customer_id == s
                        and self._contracts.rows[i].version == v for i, v in m.contracts.items())
                and all(any(f.id == i and f.customer_id == s for f in self._follow_ups.rows) for i in m.follow_ups)
                and set(m.tags) <= self.tags.get(s, set()))

    def add(self, merge: Merge) -> int:
        return insert_row(self.rows, merge)

    def get(self, merge_id: int) -> Merge | None:
        return self.rows.get(merge_id)

    def mark_undone(self, merge_id: int, at: datetime, by: int) -> bool:
        if self.rows[merge_id].undone_at is not None:
            return False
        self.rows[merge_id] = replace(self.rows[merge_id], undone_at=at)
        return True

    def into(self, survivor_id: int, limit: int = 20) -> list[Merge]:
        return [m for m in reversed(self.rows.values()) if m.survivor_id == survivor_id][:limit]

    def _relocate(self, rows: MovedRows, to_id: int) -> None:
        for i in rows.contacts:
            c = self._contacts.rows[i]
            self._contacts.rows[i] = replace(c, customer_id=to_id, version=c.version + 1)
        for i in rows.contracts:
            k = self._contracts.rows[i]
            self._contracts.rows[i] = replace(k, customer_id=to_id, version=k.version + 1)
        self._follow_ups.rows = [replace(f, customer_id=to_id) if f.id in rows.follow_ups else f
                                 for f in self._follow_ups.rows]


class FakeRoleRepository:
    """Seeded with the default roles, like migration 0002; holders are counted from the fake users."""

    def __init__(self, users: FakeUserRepository) -> None:
        self.rows: dict[str, tuple[Role, int]] = {key: (role, 1) for key, role in DEFAULT_ROLES.items()}
        self.departments: dict[int, str] = {}
        self._users = users

    def all(self) -> list[StoredRole]:
        keys = sorted(self.rows, key=lambda k: (not self.rows[k][0].builtin, k))
        return [self._stored(key) for key in keys]

    def get(self, key: str) -> StoredRole | None:
        return self._stored(key) if key in self.rows else None

    def named(self, keys: Iterable[str]) -> list[Role]:
        return [self.rows[key][0] for key in sorted(set(keys)) if key in self.rows]

    def add(self, role: Role) -> None:
        self.rows[role.key] = (role, 1)

    def update(self, role: Role, expected_version: int) -> bool:
        if self.rows[role.key][1] != expected_version:
            return False
        self.rows[role.key] = (role, expected_version + 1)
        return True

    def delete(self, key: str) -> None:
        del self.rows[key]

    def actor_of(self, user_id: int) -> Actor | None:
        user = self._users.users.get(user_id)
        if user is None or not user.is_active:
            return None
        held = self.named(user.roles)
        return Actor(user_id, user.username, user.display_name, user.roles, user.department_id, None,
                     combined_permissions(held), combined_scopes(held))

    def department_name(self, department_id: int | None) -> str | None:
        return self.departments.get(department_id) if department_id is not None else None

    def _stored(self, key: str) -> StoredRole:
        role, version = self.rows[key]
        return StoredRole(role, version, sum(1 for u in self._users.users.values() if key in u.roles))


class FakeAuditLog:
    """Chains records like the SQL adapter does, so verification can be tested (and tampered with) in memory."""

    def __init__(self, users: FakeUserRepository | None = None) -> None:
        self.events: list[AuditEvent] = []
        self.records: list[AuditRecord] = []
        self.head_row = ChainHead(0, GENESIS)
        self._users = users

    def append(self, event: AuditEvent) -> None:
        self.events.append(event)
        seq, record_id = self.head_row.seq + 1, len(self.records) + 1
        e = event
        digest = record_hash(chained_fields(seq, self.head_row.hash, e.occurred_at, e.actor_id, e.ip, e.action,
                                            e.entity_type, e.entity_id, e.before, e.after))
        self.records.append(AuditRecord(record_id, seq, self.head_row.hash, digest, replace(e, id=record_id)))
        self.head_row = ChainHead(seq, digest)

    def actions(self) -> list[str]:
        return [e.action for e in self.events]

    def head(self) -> ChainHead:
        return self.head_row

    def chain_after(self, seq: int, limit: int) -> list[AuditRecord]:
        return sorted((r for r in self.records if r.seq > seq), key=lambda r: r.seq)[:limit]

    def search(self, query: AuditQuery) -> Page[AuditRecord]:
        after = decode_cursor(query.after)
        rows = [r for r in self.matching(query, len(self.records)) if after is None or r.id < after[1]]
        page = rows[: query.per_page]
        more = len(rows) > query.per_page
        return Page(page, encode_cursor((None, page[-1].id)) if more else None, None)

    def matching(self, query: AuditQuery, limit: int) -> list[AuditRecord]:
        found = [r for r in sorted(self.records, key=lambda r: r.id, reverse=True) if _audit_match(r.event, query)]
        return found[:limit]

    def get(self, event_id: int) -> AuditRecord | None:
        return next((r for r in self.records if r.id == event_id), None)

    def actor_choices(self) -> list[tuple[int, str]]:
        users = self._users.users.values() if self._users else []
        return sorted(((u.id or 0, u.display_name) for u in users), key=lambda c: c[1])


def _audit_match(e: AuditEvent, query: AuditQuery) -> bool:
    checks = [query.actor_id is None or e.actor_id == query.actor_id,
              not query.action or (e.action.startswith(query.action_prefix) if query.action_prefix
                                   else e.action == query.action),
              not query.entity_type or e.entity_type == query.entity_type,
              not query.entity_id or e.entity_id == query.entity_id,
              query.since is None or e.occurred_at >= query.since,
              query.until is None or e.occurred_at < query.until]
    return all(checks)


class FakeContractRepository:
    """Scope as the SQL adapter applies it: own, department subtree (plus own), all, or none."""

    def __init__(self, users: "FakeUserRepository") -> None:
        self.rows: dict[int, Contract] = {}
        self.amendment_rows: list[Amendment] = []
        self._users = users

    def get_by_form_token(self, form_token: str) -> Contract | None:
        return next((replace(c) for c in self.rows.values() if c.form_token == form_token), None)

    def add(self, contract: Contract) -> int:
        return insert_row(self.rows, contract)

    def get(self, contract_id: int, actor: Actor) -> Contract | None:
        contract = self.rows.get(contract_id)
        return replace(contract) if contract and self._visible(contract, actor) else None

    def update(self, contract: Contract, expected_version: int) -> bool:
        assert contract.id is not None
        if self.rows[contract.id].version != expected_version:
            return False
        self.rows[contract.id] = replace(contract)
        return True

    def get_unscoped(self, contract_id: int) -> Contract | None:
        contract = self.rows.get(contract_id)
        return replace(contract) if contract else None

    def search(self, query: ContractListQuery, actor: Actor) -> Page[ContractSummary]:
        rows = sorted((c for c in self.rows.values() if self._visible(c, actor)
                       and (query.status is None or c.status is query.status)
                       and (query.kind is None or c.kind is query.kind)
                       and query.supplier_id in (None, c.supplier_id)
                       and query.text.lower() in (c.title + c.number).lower()), key=lambda c: (c.created_at, c.id or 0),
                      reverse=True)
        items = [ContractSummary(c.id or 0, c.number, c.title, "", c.amount, c.currency, c.status.value,
                                 self._users.names({c.owner_id}).get(c.owner_id, ""), c.end_on, c.created_at,
                                 c.kind.value)
                 for c in rows[: query.per_page]]
        return Page(items, None, None)

    def successor_id(self, contract_id: int) -> int | None:
        return next((i for i, c in self.rows.items() if c.predecessor_id == contract_id), None)

    def ended_before(self, day: date, limit: int) -> list[int]:
        return [i for i, c in self.rows.items() if c.status is ContractStatus.ACTIVE and c.end_on and c.end_on < day][
            :limit]

    def add_amendment(self, amendment: Amendment) -> int:
        self.amendment_rows.append(replace(amendment, id=len(self.amendment_rows) + 1))
        return len(self.amendment_rows)

    def amendments(self, contract_id: int) -> list[Amendment]:
        return sorted((a for a in self.amendment_rows if a.contract_id == contract_id), key=lambda a: -a.number)

    def amendment(self, contract_id: int, number: int) -> Amendment | None:
        return next((a for a in self.amendment_rows if (a.contract_id, a.number) == (contract_id, number)), None)

    def _visible(self, contract: Contract, actor: Actor) -> bool:
        scope = actor.scope("contract")
        if scope is Scope.ALL:
            return True
        if scope is Scope.DEPARTMENT and actor.department_id is not None:
            return contract.owner_id == actor.user_id or self._users.within(contract.department_id,
                                                                            actor.department_id)
        return scope is Scope.OWN and contract.owner_id == actor.user_id


class FakeContractAttachmentRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Attachment] = {}

    def add(self, attachment: Attachment) -> int:
        return insert_row(self.rows, attachment)

    def get(self, attachment_id: int) -> Attachment | None:
        attachment = self.rows.get(attachment_id)
        return replace(attachment) if attachment else None

    def for_contract(self, contract_id: int) -> list[Attachment]:
        found = [a for a in self.rows.values() if a.contract_id == contract_id and a.removed_at is None]
        return sorted(found, key=lambda a: (a.amendment, a.uploaded_at, a.id or 0))

    def mark_removed(self, attachment_id: int, at: datetime) -> None:
        self.rows[attachment_id].removed_at = at


class FakeContractReminderRepository:
    """Reminders keyed by (contract id, days before) → [acknowledged at]; reads the fake contracts."""

    def __init__(self, contracts: FakeContractRepository) -> None:
        self.rows: dict[tuple[int, int], datetime | None] = {}
        self._contracts = contracts

    def approaching(self, today: date, until: date) -> list[Approaching]:
        return [Approaching(i, c.end_on, frozenset(d for (k, d) in self.rows if k == i))
                for i, c in self._active() if c.end_on and today <= c.end_on <= until]

    def record(self, contract_id: int, days_before: int, at: datetime) -> bool:
        if (contract_id, days_before) in self.rows:
            return False
        self.rows[(contract_id, days_before)] = None
        return True

    def ended_before(self, today: date, after_id: int, limit: int) -> list[Contract]:
        return [replace(c) for i, c in self._active() if c.end_on and c.end_on < today and i > after_id][:limit]

    def open_for(self, actor: Actor, limit: int) -> list[ContractDue]:
        own = [(c, min(d for (k, d), at in self.rows.items() if k == i and at is None))
               for i, c in self._active() if self._own(c, actor) and self._open(i)]
        return [_due(c, mark) for c, mark in sorted(own, key=lambda p: (p[0].end_on, p[0].id))][:limit]

    def count_open(self, actor: Actor) -> int:
        return len(self.open_for(actor, 10**6))

    def acknowledge(self, contract_id: int, user_id: int, at: datetime) -> int:
        keys = [key for key, done in self.rows.items() if key[0] == contract_id and done is None]
        self.rows.update(dict.fromkeys(keys, at))
        return len(keys)

    def recently_expired(self, actor: Actor, since: date, limit: int) -> list[ContractDue]:
        found = [c for c in self._contracts.rows.values() if c.status is ContractStatus.EXPIRED and self._own(c, actor)
                 and c.end_on and c.end_on >= since]
        return [_due(c, 0) for c in sorted(found, key=lambda c: (c.end_on, c.id), reverse=True)][:limit]

    def _active(self) -> list[tuple[int, Contract]]:
        return sorted((i, c) for i, c in self._contracts.rows.items() if c.status is ContractStatus.ACTIVE)

    def _open(self, contract_id: int) -> bool:
        return any(k == contract_id and at is None for (k, _), at in self.rows.items())

    def _own(self, contract: Contract, actor: Actor) -> bool:
        return contract.owner_id == actor.user_id and self._contracts.get(contract.id or 0, actor) is not None


def _due(contract: Contract, mark: int) -> ContractDue:
    assert contract.id is not None and contract.end_on is not None
    return ContractDue(contract.id, contract.number, contract.title, contract.end_on, mark)


class FakeJobRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Job] = {}

    def add(self, job: Job) -> int:
        return insert_row(self.rows, job)

    def get(self, job_id: int) -> Job | None:
        job = self.rows.get(job_id)
        return replace(job) if job else None

    def set_status(self, job_id: int, status: JobStatus, at: datetime, message: str = "") -> None:
        self.rows[job_id].status, self.rows[job_id].updated_at, self.rows[job_id].message = status, at, message

    def set_progress(self, job_id: int, done: int, total: int | None, at: datetime) -> None:
        self.rows[job_id].done, self.rows[job_id].total = done, total

    def finish(self, job_id: int, status: JobStatus, result: dict[str, Any], message: str, at: datetime) -> None:
        job = self.rows[job_id]
        job.status, job.result, job.message, job.updated_at = status, result, message, at


class FakeJobQueue:
    """Records what was queued; tests run the jobs with `run_job` when they want to."""

    def __init__(self) -> None:
        self.queued: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.queued.append(job_id)


class FakeFileStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def put(self, data: bytes) -> str:
        file_id = f"file-{len(self.blobs) + 1:032d}"
        self.blobs[file_id] = data
        return file_id

    def get(self, file_id: str) -> bytes:
        if file_id not in self.blobs:
            raise NotFound()
        return self.blobs[file_id]

    def delete(self, file_id: str) -> None:
        self.blobs.pop(file_id, None)


class FakeNumberSequences:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def next_value(self, key: str) -> int:
        self.values[key] = self.values.get(key, 0) + 1
        return self.values[key]


class FakeTagRepository:
    def __init__(self, customers: FakeCustomerRepository) -> None:
        self.tags: dict[int, Tag] = {}
        self.links: set[tuple[int, int]] = set()  # (customer id, tag id)
        self._customers = customers

    def get(self, tag_id: int) -> Tag | None:
        return self.tags.get(tag_id)

    def find(self, key: str) -> Tag | None:
        return next((t for t in self.tags.values() if t.name.casefold() == key), None)

    def add(self, name: str, key: str) -> Tag:
        tag = Tag(len(self.tags) + 1, name)
        self.tags[tag.id] = tag
        return tag

    def all(self, limit: int = 500) -> list[Tag]:
        return sorted(self.tags.values(), key=lambda t: (t.name.casefold(), t.id))[:limit]

    def of_customers(self, customer_ids: Sequence[int], actor: Actor) -> dict[int, list[Tag]]:
        visible = [i for i in customer_ids if self._customers.get(i, actor) is not None]
        found = {i: [t for t in self.all() if (i, t.id) in self.links] for i in visible}
        return {i: tags for i, tags in found.items() if tags}

    def attach(self, customer_id: int, tag_id: int) -> bool:
        new = (customer_id, tag_id) not in self.links
        self.links.add((customer_id, tag_id))
        return new

    def detach(self, customer_id: int, tag_id: int) -> bool:
        had = (customer_id, tag_id) in self.links
        self.links.discard((customer_id, tag_id))
        return had


class FakeSavedViewRepository:
    def __init__(self, users: FakeUserRepository) -> None:
        self.rows: dict[int, SavedView] = {}
        self._users = users

    def add(self, view: SavedView) -> int:
        return insert_row(self.rows, view)

    def get(self, view_id: int) -> SavedView | None:
        return self.rows.get(view_id)

    def visible_to(self, actor: Actor, list_key: str) -> list[SavedView]:
        def shared(v: SavedView) -> bool:
            return v.shared_department_id is not None and self._users.within(actor.department_id,
                                                                             v.shared_department_id)
        views = sorted((v for v in self.rows.values() if v.list_key == list_key), key=lambda v: (v.name, v.id or 0))
        return [v for v in views if v.owner_id == actor.user_id] + \
            [v for v in views if v.owner_id != actor.user_id and shared(v)]

    def rename(self, view_id: int, name: str) -> None:
        self.rows[view_id] = replace(self.rows[view_id], name=name)

    def delete(self, view_id: int) -> None:
        del self.rows[view_id]


class FakeImportRepository:
    """Batches and undo items in dicts; look-ups read the fake customers, suppliers and users."""

    def __init__(self, customers: FakeCustomerRepository, users: FakeUserRepository,
                 suppliers: FakeSupplierRepository) -> None:
        self.batches: dict[int, ImportBatch] = {}
        self.mappings: dict[tuple[int, str], list[str]] = {}
        self.item_rows: list[ImportItem] = []
        self._customers, self._users, self._suppliers = customers, users, suppliers

    def add(self, batch: ImportBatch) -> int:
        return insert_row(self.batches, batch)

    def get(self, batch_id: int) -> ImportBatch | None:
        batch = self.batches.get(batch_id)
        return replace(batch) if batch else None

    def save(self, batch: ImportBatch, expected_version: int) -> bool:
        stored = self.batches.get(batch.id or 0)
        if stored is None or stored.version != expected_version:
            return False
        self.batches[batch.id or 0] = replace(batch, version=expected_version + 1, job_id=stored.job_id)
        return True

    def attach_job(self, batch_id: int, job_id: int) -> None:
        self.batches[batch_id].job_id = job_id

    def recent(self, owner_id: int, target: str, limit: int) -> list[ImportBatch]:
        return [b for b in reversed(self.batches.values()) if b.owner_id == owner_id and b.target == target][:limit]

    def remembered_mapping(self, owner_id: int, key: str) -> list[str] | None:
        return self.mappings.get((owner_id, key))

    def remember_mapping(self, owner_id: int, key: str, mapping: list[str], at: datetime) -> None:
        self.mappings[(owner_id, key)] = list(mapping)

    def users_named(self, names: Iterable[str]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for name in names:
            found[name] = [u.id or 0 for u in self._users.users.values()
                           if u.is_active and name in (u.username, u.display_name)]
        return {k: v for k, v in found.items() if v}

    def by_credit_code(self, target: str, codes: Iterable[str], actor: Actor) -> dict[str, Holder]:
        wanted = set(codes)
        return {code: holder for code, _key, holder in self._holders(target, actor) if code in wanted}

    def by_name_key(self, target: str, keys: Iterable[str], actor: Actor) -> dict[str, list[Holder]]:
        found: dict[str, list[Holder]] = {}
        wanted = set(keys)
        for _code, key, holder in self._holders(target, actor):
            if key in wanted:
                found.setdefault(key, []).append(holder)
        return found

    def add_items(self, items: list[ImportItem]) -> None:
        self.item_rows.extend(items)

    def items(self, batch_id: int, after_row: int, limit: int) -> list[ImportItem]:
        return sorted((i for i in self.item_rows if i.batch_id == batch_id and i.row > after_row),
                      key=lambda i: i.row)[:limit]

    def removal_facts(self, target: str, record_ids: list[int]) -> dict[int, RemovalFacts]:
        rows = self._rows(target)
        return {i: RemovalFacts(rows[i].version, False) for i in record_ids if i in rows}

    def delete_records(self, target: str, record_ids: list[int]) -> None:
        rows = self._rows(target)
        for record_id in record_ids:
            del rows[record_id]

    def _rows(self, target: str) -> dict[int, Any]:
        return self._customers.rows if target == "customer" else self._suppliers.rows

    def _holders(self, target: str, actor: Actor) -> list[tuple[str | None, str, Holder]]:
        """(credit code, name key, holder) of every record of `target`, oldest first."""
        if target == "customer":
            return [(c.fields.credit_code, c.name, Holder(i, c.name, self._customers.get(i, actor) is not None))
                    for i, c in sorted(self._customers.rows.items())]
        return [(s.fields.credit_code, name_key(s.name), Holder(i, s.name))
                for i, s in sorted(self._suppliers.rows.items())]


class FakeUnitOfWork:
    """Commits are recorded; an uncommitted block leaves `committed` False (no rollback of fakes needed)."""

    def __init__(self, departments: dict[int, int | None] | None = None) -> None:
        self.users = FakeUserRepository(departments)
        self.departments = FakeDepartmentRepository(self.users.parents)
        self.sessions = FakeSessionRepository(self.users)
        self.customers = FakeCustomerRepository(self.users)
        self.follow_ups = FakeFollowUpRepository()
        self.roles = FakeRoleRepository(self.users)
        self.contracts = FakeContractRepository(self.users)
        self.contract_attachments = FakeContractAttachmentRepository()
        self.contract_reminders = FakeContractReminderRepository(self.contracts)
        self.contacts = FakeContactRepository()
        self.merges = FakeMergeRepository(self.contacts, self.follow_ups, self.contracts)
        self.jobs = FakeJobRepository()
        self.delegations = FakeDelegationRepository()
        self.approvals = FakeApprovalRepository(self.users, self.delegations)
        self.sequences = FakeNumberSequences()
        self.tags = FakeTagRepository(self.customers)
        self.saved_views = FakeSavedViewRepository(self.users)
        self.budgets = FakeBudgetRepository()
        self.requisitions = FakeRequisitionRepository(self.users)
        self.contract_parties = FakePartyDirectory(self.customers.rows)
        self.orders_book = FakeOrderBook()
        self.receiving = FakeReceivingRepository(self.orders_book)
        self.invoices = FakeInvoiceRepository(self.orders_book)
        self.procurement_settings = FakeProcurementSettings()
        self.suppliers = FakeSupplierRepository()
        self.supplier_contacts = FakeSupplierContactRepository()
        self.supplier_documents = FakeSupplierDocumentRepository(self.suppliers)
        self.supplier_scorecards = FakeSupplierScorecardReader()
        self.imports = FakeImportRepository(self.customers, self.users, self.suppliers)
        self.purchase_orders = FakePurchaseOrderRepository()
        self.order_sources = FakeOrderSources(self.purchase_orders)
        self.audit = FakeAuditLog(self.users)
        self.commits = 0

    @property
    def committed(self) -> bool:
        return self.commits > 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1
