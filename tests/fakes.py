"""In-memory fakes of every port, for unit tests of domain services (no database, no Flask)."""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from domain.administration.models import ADMINISTRATOR, Department, LinkPurpose, UserListQuery, UserSummary
from domain.administration.role_models import StoredRole
from domain.audit.chain import GENESIS, chained_fields, record_hash
from domain.audit.models import AuditEvent, AuditQuery, AuditRecord, ChainHead
from domain.contracts.models import Contract
from domain.customers.models import Customer, CustomerListQuery, CustomerSummary, FollowUp
from domain.identity.models import Actor, AuthSession, User
from domain.identity.permissions import DEFAULT_ROLES, Role, Scope, combined_permissions, combined_scopes
from domain.imports.models import ImportBatch, ImportItem, RemovalFacts
from domain.jobs.models import Job, JobStatus
from domain.shared.errors import NotFound
from domain.shared.paging import Page, decode_cursor, encode_cursor


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
        user_id = len(self.users) + 1
        self.users[user_id] = replace(user, id=user_id)
        return user_id

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

    def add(self, customer: Customer) -> int:
        customer_id = len(self.rows) + 1
        self.rows[customer_id] = replace(customer, id=customer_id)
        return customer_id

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

    def credit_code_holder(self, credit_code: str) -> int | None:
        return next((i for i, c in self.rows.items() if c.fields.credit_code == credit_code), None)

    def owner_department(self, owner_id: int) -> tuple[bool, int | None]:
        user = self._users.users.get(owner_id)
        return (user.is_active, user.department_id) if user else (False, None)

    def department_of(self, department_id: int | None, actor: Actor) -> bool:
        return actor.department_id is not None and self._users.within(department_id, actor.department_id)

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
        self._users = users

    def add(self, contract: Contract) -> int:
        contract_id = len(self.rows) + 1
        self.rows[contract_id] = replace(contract, id=contract_id)
        return contract_id

    def get(self, contract_id: int, actor: Actor) -> Contract | None:
        contract = self.rows.get(contract_id)
        return replace(contract) if contract and self._visible(contract, actor) else None

    def update(self, contract: Contract, expected_version: int) -> bool:
        assert contract.id is not None
        if self.rows[contract.id].version != expected_version:
            return False
        self.rows[contract.id] = replace(contract)
        return True

    def _visible(self, contract: Contract, actor: Actor) -> bool:
        scope = actor.scope("contract")
        if scope is Scope.ALL:
            return True
        if scope is Scope.DEPARTMENT and actor.department_id is not None:
            return contract.owner_id == actor.user_id or self._users.within(contract.department_id,
                                                                            actor.department_id)
        return scope is Scope.OWN and contract.owner_id == actor.user_id


class FakeJobRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Job] = {}

    def add(self, job: Job) -> int:
        job_id = len(self.rows) + 1
        self.rows[job_id] = replace(job, id=job_id)
        return job_id

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


class FakeImportRepository:
    """Batches and undo items in dicts; look-ups read the fake customers and users."""

    def __init__(self, customers: FakeCustomerRepository, users: FakeUserRepository) -> None:
        self.batches: dict[int, ImportBatch] = {}
        self.mappings: dict[tuple[int, str], list[str]] = {}
        self.item_rows: list[ImportItem] = []
        self._customers, self._users = customers, users

    def add(self, batch: ImportBatch) -> int:
        batch_id = len(self.batches) + 1
        self.batches[batch_id] = replace(batch, id=batch_id)
        return batch_id

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

    def recent(self, owner_id: int, limit: int) -> list[ImportBatch]:
        return [b for b in reversed(self.batches.values()) if b.owner_id == owner_id][:limit]

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

    def by_credit_code(self, codes: Iterable[str], actor: Actor) -> dict[str, tuple[int, bool]]:
        wanted = set(codes)
        return {c.fields.credit_code: (i, self._customers.get(i, actor) is not None)
                for i, c in self._customers.rows.items() if c.fields.credit_code in wanted}

    def by_name(self, names: Iterable[str], actor: Actor) -> dict[str, list[tuple[int, bool]]]:
        found: dict[str, list[tuple[int, bool]]] = {}
        wanted = set(names)
        for i, c in sorted(self._customers.rows.items()):
            if c.name in wanted:
                found.setdefault(c.name, []).append((i, self._customers.get(i, actor) is not None))
        return found

    def add_items(self, items: list[ImportItem]) -> None:
        self.item_rows.extend(items)

    def items(self, batch_id: int, after_row: int, limit: int) -> list[ImportItem]:
        return sorted((i for i in self.item_rows if i.batch_id == batch_id and i.row > after_row),
                      key=lambda i: i.row)[:limit]

    def removal_facts(self, customer_ids: list[int]) -> dict[int, RemovalFacts]:
        return {i: RemovalFacts(self._customers.rows[i].version, False) for i in customer_ids
                if i in self._customers.rows}

    def delete_customers(self, customer_ids: list[int]) -> None:
        for customer_id in customer_ids:
            del self._customers.rows[customer_id]


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
        self.jobs = FakeJobRepository()
        self.imports = FakeImportRepository(self.customers, self.users)
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
