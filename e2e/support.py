"""Helpers for the e2e fixtures: the live server handle and the CSP / page-error watch."""

import contextlib
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pyotp
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page
from sqlalchemy import Engine, text

from domain.approvals.records import ApprovalRule, RuleStep
from domain.budgets.models import Budget, BudgetPolicy
from domain.identity.models import User
from web.deps import Dependencies

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
# Init scripts are not subject to the page's CSP. Violations go both into window.__csp (checked at the
# end of each test) and to Python through a binding, so violations on pages navigated away from count too.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const entry = e.violatedDirective + " " + e.blockedURI + " (" + e.sourceFile + ":" + e.lineNumber + ")";
  window.__csp.push(entry);
  if (window.__e2eCsp) window.__e2eCsp(entry);
});
"""


@dataclass
class LiveServer:
    url: str
    engine: Engine
    setup_token: str
    deps: Dependencies

    def seed_user(self, username: str, role: str, department_id: int | None, password: str) -> str:
        """A user who finished activation and TOTP enrolment; returns the base32 TOTP secret."""
        secret = pyotp.random_base32()
        user = User(None, username, username.replace(".", " ").title(), self.deps.hasher.hash(password),
                    frozenset({role}), self.deps.clock.now(), department_id,
                    totp_secret=self.deps.cipher.encrypt(secret.encode()), totp_confirmed=True)
        with self.deps.uow() as uow:
            uow.users.add(user)
            uow.commit()
        return secret

    def department_id(self, name: str) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT id FROM departments WHERE name = :n"), {"n": name}).scalar_one())

    def add_customer(self, name: str, owner_username: str, department_id: int | None) -> int:
        """A customer row owned by `owner_username` (no sensitive fields, so no keys needed)."""
        with self.engine.begin() as connection:
            owner = connection.execute(text("SELECT id FROM users WHERE username = :u"),
                                       {"u": owner_username}).scalar()
            return int(connection.execute(text(
                "INSERT INTO customers (name, name_key, industry, region, stage, owner_id, department_id, created_at, "
                "updated_at, created_by, version) VALUES (:n, :n, 'retail', 'beijing', 'lead', :o, :d, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :o, 1) RETURNING id"),
                {"n": name, "o": owner, "d": department_id}).scalar_one())

    def add_department(self, name: str, parent: int | None = None) -> int:
        with self.deps.uow() as uow:
            department = uow.departments.add(name, parent)
            uow.commit()
        assert department.id is not None
        return department.id

    def make_manager(self, username: str, department_id: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(text("UPDATE departments SET manager_id = (SELECT id FROM users WHERE username = :u) "
                                    "WHERE id = :d"), {"u": username, "d": department_id})

    def add_approval_rule(self, document_type: str, department_id: int | None, *steps: RuleStep) -> int:
        """A rule for every amount of `document_type` in the department's subtree (None: company-wide)."""
        with self.deps.uow() as uow:
            rule_id = uow.approvals.add_rule(ApprovalRule(None, f"{document_type} e2e", document_type, department_id,
                                                          Decimal(0), None, list(steps)))
            uow.commit()
        return rule_id

    def add_budget(self, department_id: int, code: str, name: str, amount: str, created_by: int) -> int:
        """A stop budget of the department for this calendar year."""
        year, now = date.today().year, self.deps.clock.now()
        with self.deps.uow() as uow:
            budget_id = uow.budgets.add(Budget(None, department_id, code, name, date(year, 1, 1), date(year, 12, 31),
                                               Decimal(amount), BudgetPolicy.STOP, created_by, now, now))
            uow.commit()
        return budget_id

    def user_id(self, username: str) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT id FROM users WHERE username = :u"),
                                          {"u": username}).scalar_one())

    def audit_actions(self) -> list[str]:
        """The audit trail's actions, oldest first (to check why the app refused something)."""
        with self.engine.connect() as connection:
            return list(connection.execute(text("SELECT action FROM audit_events ORDER BY id")).scalars())


@dataclass
class BrowserProblems:
    """CSP violations and uncaught page errors seen in a browser context."""

    csp: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.add_init_script(CSP_LISTENER)
        context.expose_binding("__e2eCsp", lambda _source, entry: self.csp.append(str(entry)))
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium logs a console error for every 4xx response (422, 409, 401 are intended here):
        # only CSP reports count.
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def assert_none(self, pages: list[Page]) -> None:
        in_pages = []
        for page in pages:
            with contextlib.suppress(Error):  # closed or mid-navigation: the binding reported those already
                in_pages += page.evaluate("() => window.__csp || []")
        assert self.csp == [] and in_pages == [], f"CSP violations: {self.csp + in_pages}"
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"
