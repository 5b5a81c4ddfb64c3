"""Every route × every default role (plus anonymous and password-only) → the expected answer.

ACCESS names what each endpoint needs. A new route without an entry fails
`test_every_route_has_an_access_rule`, so nobody adds a page without deciding who may use it.
Record routes get a record the allowed roles can see (owned by the sales rep, in the sales
department), so "allowed" means a real answer, not a 404.
"""

import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.test import TestResponse

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import build_dependencies
from domain.approvals.models import Outcome, register_document
from domain.audit.models import AuditEvent
from domain.contracts.attachments import Attachment
from domain.identity.models import Actor, Stage
from domain.identity.permissions import DEFAULT_ROLES, Permission
from domain.imports.models import BatchStatus, ImportBatch
from domain.jobs.models import Job, JobStatus
from domain.unit_of_work import UnitOfWork
from tests.builders import PDF
from tests.integration.conftest import add_department, add_user, sign_in_as
from tests.integration.receiving_helpers import MATRIX_MATCH, add_order, add_supplier
from web.app import create_app
from web.deps import Dependencies

PUBLIC, SECOND_FACTOR, SIGNED_IN = "public", "second factor", "signed in"
Need = str | Permission | tuple[Permission, ...]

ACCESS: dict[tuple[str, str], Need] = {
    ("static", "GET"): PUBLIC,
    ("system.healthz", "GET"): PUBLIC,
    ("system.readyz", "GET"): PUBLIC,
    ("system.set_language", "POST"): PUBLIC,
    ("system.home", "GET"): PUBLIC,  # only a redirect; the page it leads to decides
    ("auth.setup", "GET"): PUBLIC,
    ("auth.setup", "POST"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.mfa", "GET"): SECOND_FACTOR,
    ("auth.mfa", "POST"): SECOND_FACTOR,
    ("auth.enroll", "GET"): SECOND_FACTOR,
    ("auth.enroll", "POST"): SECOND_FACTOR,
    ("auth.logout", "POST"): SIGNED_IN,
    ("account.reauth", "GET"): SIGNED_IN,
    ("account.reauth", "POST"): SIGNED_IN,
    ("account.index", "GET"): SIGNED_IN,
    ("account.change_password", "POST"): SIGNED_IN,
    ("account.regenerate_recovery_codes", "POST"): SIGNED_IN,
    ("account.revoke_session", "POST"): SIGNED_IN,
    ("account.revoke_other_sessions", "POST"): SIGNED_IN,
    ("account.revoke_all_sessions", "POST"): SIGNED_IN,
    ("user_sessions.index", "GET"): Permission.SESSION_MANAGE,
    ("user_sessions.end_one", "POST"): Permission.SESSION_MANAGE,
    ("user_sessions.end_all", "POST"): Permission.SESSION_MANAGE,
    ("audit.index", "GET"): Permission.AUDIT_READ,
    ("audit.detail", "GET"): Permission.AUDIT_READ,
    ("audit.export", "POST"): Permission.AUDIT_EXPORT,
    ("links.activate", "GET"): PUBLIC,
    ("links.activate", "POST"): PUBLIC,
    ("users.index", "GET"): Permission.USER_MANAGE,
    ("users.new", "GET"): Permission.USER_MANAGE,
    ("users.create", "POST"): Permission.USER_MANAGE,
    ("users.detail", "GET"): Permission.USER_MANAGE,
    ("users.edit", "GET"): Permission.USER_MANAGE,
    ("users.update", "POST"): Permission.USER_MANAGE,
    ("user_actions.confirm", "GET"): Permission.USER_MANAGE,
    ("user_actions.perform", "POST"): Permission.USER_MANAGE,
    ("user_actions.issue_link", "POST"): Permission.USER_MANAGE,
    ("departments.index", "GET"): Permission.DEPARTMENT_MANAGE,
    ("departments.create", "POST"): Permission.DEPARTMENT_MANAGE,
    ("departments.edit", "GET"): Permission.DEPARTMENT_MANAGE,
    ("departments.rename", "POST"): Permission.DEPARTMENT_MANAGE,
    ("departments.move", "POST"): Permission.DEPARTMENT_MANAGE,
    ("departments.manager", "POST"): Permission.DEPARTMENT_MANAGE,
    ("roles.index", "GET"): Permission.ROLE_MANAGE,
    ("roles.new", "GET"): Permission.ROLE_MANAGE,
    ("roles.create", "POST"): Permission.ROLE_MANAGE,
    ("roles.edit", "GET"): Permission.ROLE_MANAGE,
    ("roles.update", "POST"): Permission.ROLE_MANAGE,
    ("roles.delete", "POST"): Permission.ROLE_MANAGE,
    ("access_check.index", "GET"): (Permission.ROLE_MANAGE, Permission.USER_MANAGE),
    ("access_check.check", "POST"): (Permission.ROLE_MANAGE, Permission.USER_MANAGE),
    ("jobs.status", "GET"): SIGNED_IN,  # the job's owner only: 404 for everyone else
    ("jobs.download", "GET"): SIGNED_IN,
    ("customers.index", "GET"): Permission.CUSTOMER_READ,
    ("customers.new", "GET"): Permission.CUSTOMER_CREATE,
    ("customers.create", "POST"): Permission.CUSTOMER_CREATE,
    ("customers.detail", "GET"): Permission.CUSTOMER_READ,
    ("customers.edit", "GET"): Permission.CUSTOMER_READ,
    ("customers.update", "POST"): Permission.CUSTOMER_UPDATE,
    ("customers.archive", "POST"): Permission.CUSTOMER_ARCHIVE,
    ("customers.add_follow_up", "POST"): Permission.FOLLOWUP_CREATE,
    ("customers.reveal", "POST"): Permission.CUSTOMER_REVEAL,
    ("customers.access", "GET"): Permission.CUSTOMER_READ,
    ("approvals.index", "GET"): SIGNED_IN,  # my own tasks only
    ("approvals.approve", "POST"): SIGNED_IN,  # the task's assignee (or delegate) only: 404 for everyone else
    ("approvals.reject", "POST"): SIGNED_IN,
    ("approval_rules.index", "GET"): Permission.APPROVAL_RULES,
    ("approval_rules.new", "GET"): Permission.APPROVAL_RULES,
    ("approval_rules.create", "POST"): Permission.APPROVAL_RULES,
    ("approval_rules.edit", "GET"): Permission.APPROVAL_RULES,
    ("approval_rules.update", "POST"): Permission.APPROVAL_RULES,
    ("delegation.index", "GET"): SIGNED_IN,  # my own delegation only
    ("delegation.save", "POST"): SIGNED_IN,
    ("delegation.end", "POST"): SIGNED_IN,
    ("contracts.index", "GET"): Permission.CONTRACT_READ,
    ("contracts.new", "GET"): Permission.CONTRACT_CREATE,
    ("contracts.create", "POST"): Permission.CONTRACT_CREATE,
    ("contracts.detail", "GET"): Permission.CONTRACT_READ,
    ("contracts.edit", "GET"): Permission.CONTRACT_UPDATE,
    ("contracts.update", "POST"): Permission.CONTRACT_UPDATE,
    ("contract_lifecycle.submit", "POST"): Permission.CONTRACT_UPDATE,
    ("contract_lifecycle.reopen", "POST"): Permission.CONTRACT_UPDATE,
    ("contract_lifecycle.confirm", "GET"): Permission.CONTRACT_TERMINATE,  # <action> is filled with "terminate"
    ("contract_lifecycle.terminate", "POST"): Permission.CONTRACT_TERMINATE,
    ("contract_lifecycle.renew", "POST"): Permission.CONTRACT_UPDATE,  # and contract.create, which they all hold
    ("amendments.amend_form", "GET"): Permission.CONTRACT_UPDATE,
    ("amendments.party_picker", "GET"): Permission.CONTRACT_UPDATE,
    ("amendments.amend", "POST"): Permission.CONTRACT_UPDATE,
    ("amendments.detail", "GET"): Permission.CONTRACT_READ,
    ("contract_attachments.index", "GET"): Permission.CONTRACT_READ,
    ("contract_attachments.upload", "POST"): Permission.CONTRACT_UPDATE,
    ("contract_attachments.download", "GET"): Permission.CONTRACT_READ,
    ("contract_attachments.remove", "POST"): Permission.CONTRACT_UPDATE,
    ("work.index", "GET"): Permission.CONTRACT_READ,
    ("work.acknowledge", "POST"): Permission.CONTRACT_READ,  # the contract's owner only: 404 for everyone else
    ("customers_list.bulk_assign", "POST"): Permission.CUSTOMER_ASSIGN,
    ("customers_list.bulk_add_tag", "POST"): Permission.CUSTOMER_UPDATE,
    ("customers_list.bulk_remove_tag", "POST"): Permission.CUSTOMER_UPDATE,
    ("customers_list.bulk_stage", "POST"): Permission.CUSTOMER_UPDATE,
    ("customers_list.bulk_archive", "POST"): Permission.CUSTOMER_ARCHIVE,
    ("customer_tags.add_tag", "POST"): Permission.CUSTOMER_UPDATE,
    ("customer_tags.remove_tag", "POST"): Permission.CUSTOMER_UPDATE,
    ("customers_list.save_view", "POST"): Permission.CUSTOMER_READ,
    ("customers_list.open_view", "GET"): Permission.CUSTOMER_READ,  # shared views: the department; private: 404
    ("customers_list.rename_view", "POST"): Permission.CUSTOMER_READ,  # the owner only: 404 for everyone else
    ("customers_list.delete_view", "POST"): Permission.CUSTOMER_READ,
    ("customers_list.export", "POST"): Permission.CUSTOMER_EXPORT,
    ("customers.duplicates", "GET"): Permission.CUSTOMER_READ,
    ("customers.reassign", "POST"): Permission.CUSTOMER_ASSIGN,
    ("contacts.add", "POST"): Permission.CUSTOMER_UPDATE,
    ("contacts.edit", "GET"): Permission.CUSTOMER_READ,
    ("contacts.update", "POST"): Permission.CUSTOMER_UPDATE,
    ("contacts.remove", "POST"): Permission.CUSTOMER_UPDATE,
    ("contacts.reveal", "POST"): Permission.CUSTOMER_REVEAL,
    ("merges.choose", "GET"): Permission.CUSTOMER_MERGE,
    ("merges.merge", "POST"): Permission.CUSTOMER_MERGE,
    ("merges.undo", "POST"): Permission.CUSTOMER_MERGE,
    ("follow_ups.mine", "GET"): Permission.CUSTOMER_READ,
    ("follow_ups.done", "POST"): Permission.FOLLOWUP_CREATE,
    ("imports.index", "GET"): Permission.CUSTOMER_IMPORT,
    ("imports.upload", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.batch", "GET"): Permission.CUSTOMER_IMPORT,  # the uploader or an all-customers user; 404 otherwise
    ("imports.check", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.commit", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.undo", "POST"): Permission.CUSTOMER_IMPORT,
    ("imports.error_file", "GET"): Permission.CUSTOMER_IMPORT,
    ("budgets.index", "GET"): Permission.BUDGET_READ,
    ("budgets.new", "GET"): Permission.BUDGET_MANAGE,
    ("budgets.create", "POST"): Permission.BUDGET_MANAGE,
    ("budgets.detail", "GET"): Permission.BUDGET_READ,
    ("budgets.edit", "GET"): Permission.BUDGET_MANAGE,
    ("budgets.update", "POST"): Permission.BUDGET_MANAGE,
    ("requisitions.index", "GET"): Permission.REQUISITION_READ,
    ("requisitions.new", "GET"): Permission.REQUISITION_CREATE,
    ("requisitions.create", "POST"): Permission.REQUISITION_CREATE,
    ("requisitions.detail", "GET"): Permission.REQUISITION_READ,  # and approvers of it, read only
    ("requisitions.edit", "GET"): Permission.REQUISITION_CREATE,  # the requester's drafts; others are sent back
    ("requisitions.update", "POST"): Permission.REQUISITION_CREATE,
    ("requisitions.totals", "POST"): Permission.REQUISITION_CREATE,
    ("requisition_lifecycle.submit", "POST"): Permission.REQUISITION_CREATE,
    ("requisition_lifecycle.reopen", "POST"): Permission.REQUISITION_CREATE,
    ("requisition_lifecycle.close_form", "GET"): Permission.REQUISITION_CLOSE,
    ("requisition_lifecycle.close", "POST"): Permission.REQUISITION_CLOSE,
    ("contracts.supplier_contracts", "GET"): Permission.CONTRACT_READ,  # the supplier's name only with supplier.read
    ("contracts_list.save_view", "POST"): Permission.CONTRACT_READ,
    ("contracts_list.open_view", "GET"): Permission.CONTRACT_READ,
    ("contracts_list.rename_view", "POST"): Permission.CONTRACT_READ,
    ("contracts_list.delete_view", "POST"): Permission.CONTRACT_READ,
    ("contracts_list.export", "POST"): Permission.CONTRACT_READ,  # no export permission of its own; step-up
    ("receipts.index", "GET"): Permission.ORDER_READ,  # receipts follow their order's scope
    ("receipts.detail", "GET"): Permission.ORDER_READ,
    ("receipts.of_order", "GET"): Permission.ORDER_READ,
    ("receipts.new", "GET"): Permission.RECEIPT_CREATE,
    ("receipts.create", "POST"): Permission.RECEIPT_CREATE,
    ("invoices.index", "GET"): Permission.INVOICE_READ,  # invoices follow their order's scope
    ("invoices.detail", "GET"): Permission.INVOICE_READ,
    ("invoices.of_order", "GET"): Permission.INVOICE_READ,
    ("invoices.new", "GET"): Permission.INVOICE_CREATE,
    ("invoices.preview", "POST"): Permission.INVOICE_CREATE,
    ("invoices.create", "POST"): Permission.INVOICE_CREATE,
    ("invoice_exceptions.queue", "GET"): Permission.INVOICE_RESOLVE,
    ("invoice_exceptions.accept", "POST"): Permission.INVOICE_RESOLVE,
    ("invoice_exceptions.reject", "POST"): Permission.INVOICE_RESOLVE,
    ("procurement_settings.edit", "GET"): Permission.PROCUREMENT_SETTINGS,
    ("procurement_settings.update", "POST"): Permission.PROCUREMENT_SETTINGS,
    ("suppliers.index", "GET"): Permission.SUPPLIER_READ,
    ("suppliers.duplicates", "GET"): Permission.SUPPLIER_READ,
    ("suppliers.new", "GET"): Permission.SUPPLIER_CREATE,
    ("suppliers.create", "POST"): Permission.SUPPLIER_CREATE,
    ("suppliers.detail", "GET"): Permission.SUPPLIER_READ,
    ("suppliers.edit", "GET"): Permission.SUPPLIER_UPDATE,
    ("suppliers.update", "POST"): Permission.SUPPLIER_UPDATE,
    ("suppliers.reveal", "POST"): Permission.SUPPLIER_REVEAL,
    ("supplier_status.confirm", "GET"): Permission.SUPPLIER_QUALIFY,  # <action> is filled with "qualify"
    ("supplier_status.change", "POST"): Permission.SUPPLIER_QUALIFY,
    ("supplier_contacts.add", "POST"): Permission.SUPPLIER_UPDATE,
    ("supplier_contacts.edit", "GET"): Permission.SUPPLIER_UPDATE,
    ("supplier_contacts.update", "POST"): Permission.SUPPLIER_UPDATE,
    ("supplier_contacts.remove", "POST"): Permission.SUPPLIER_UPDATE,
    ("supplier_contacts.reveal", "POST"): Permission.SUPPLIER_REVEAL,
    ("supplier_documents.add", "POST"): Permission.SUPPLIER_UPDATE,
    ("supplier_documents.download", "GET"): Permission.SUPPLIER_READ,
    ("supplier_documents.remove", "POST"): Permission.SUPPLIER_UPDATE,
    ("supplier_documents.acknowledge", "POST"): Permission.SUPPLIER_UPDATE,
    ("supplier_scorecard.show", "GET"): Permission.SUPPLIER_READ,
    ("orders.index", "GET"): Permission.ORDER_READ,
    ("orders.new", "GET"): Permission.ORDER_CREATE,
    ("orders.create", "POST"): Permission.ORDER_CREATE,
    ("orders.create_from_requisitions", "POST"): Permission.ORDER_CREATE,
    ("orders.totals", "POST"): (Permission.ORDER_CREATE, Permission.ORDER_UPDATE),
    ("orders.detail", "GET"): Permission.ORDER_READ,  # and whoever takes part in its approval
    ("orders.print_order", "GET"): Permission.ORDER_READ,
    ("orders.edit", "GET"): Permission.ORDER_UPDATE,
    ("orders.update", "POST"): Permission.ORDER_UPDATE,
    ("orders.submit", "POST"): Permission.ORDER_UPDATE,
    ("orders.reopen", "POST"): Permission.ORDER_UPDATE,
    ("orders.send", "POST"): Permission.ORDER_UPDATE,
    ("orders.confirm", "GET"): Permission.ORDER_UPDATE,  # <action> is filled with "cancel"
    ("orders.cancel", "POST"): Permission.ORDER_UPDATE,
    ("orders.close", "POST"): Permission.ORDER_UPDATE,
    ("orders.supplier_orders", "GET"): Permission.ORDER_READ,  # and supplier.read, which they all hold
    ("supplier_imports.index", "GET"): Permission.SUPPLIER_IMPORT,
    ("supplier_imports.upload", "POST"): Permission.SUPPLIER_IMPORT,
    ("supplier_imports.batch", "GET"): Permission.SUPPLIER_IMPORT,  # the uploader or importers who may reveal; 404
    ("supplier_imports.check", "POST"): Permission.SUPPLIER_IMPORT,
    ("supplier_imports.commit", "POST"): Permission.SUPPLIER_IMPORT,
    ("supplier_imports.undo", "POST"): Permission.SUPPLIER_IMPORT,
    ("supplier_imports.error_file", "GET"): Permission.SUPPLIER_IMPORT,  # others than the uploader: step-up
    # the procurement lists' tools (web/lists/routes.py makes them per list): views need the list's read permission
    ("suppliers_list.save_view", "POST"): Permission.SUPPLIER_READ,
    ("suppliers_list.open_view", "GET"): Permission.SUPPLIER_READ,
    ("suppliers_list.rename_view", "POST"): Permission.SUPPLIER_READ,
    ("suppliers_list.delete_view", "POST"): Permission.SUPPLIER_READ,
    ("suppliers_list.export", "POST"): Permission.SUPPLIER_EXPORT,  # and supplier.read, which they all hold
    ("suppliers_list.bulk_qualify", "POST"): Permission.SUPPLIER_QUALIFY,
    ("suppliers_list.bulk_suspend", "POST"): Permission.SUPPLIER_QUALIFY,
    ("requisitions_list.save_view", "POST"): Permission.REQUISITION_READ,
    ("requisitions_list.open_view", "GET"): Permission.REQUISITION_READ,
    ("requisitions_list.rename_view", "POST"): Permission.REQUISITION_READ,
    ("requisitions_list.delete_view", "POST"): Permission.REQUISITION_READ,
    ("requisitions_list.export", "POST"): Permission.PURCHASE_EXPORT,  # and the list's read, which they all hold
    ("requisitions_list.bulk_close", "POST"): Permission.REQUISITION_CLOSE,
    ("purchase_orders_list.save_view", "POST"): Permission.ORDER_READ,
    ("purchase_orders_list.open_view", "GET"): Permission.ORDER_READ,
    ("purchase_orders_list.rename_view", "POST"): Permission.ORDER_READ,
    ("purchase_orders_list.delete_view", "POST"): Permission.ORDER_READ,
    ("purchase_orders_list.export", "POST"): Permission.PURCHASE_EXPORT,
    ("purchase_orders_list.bulk_send", "POST"): Permission.ORDER_UPDATE,
    ("receipts_list.save_view", "POST"): Permission.ORDER_READ,  # receipts follow their order
    ("receipts_list.open_view", "GET"): Permission.ORDER_READ,
    ("receipts_list.rename_view", "POST"): Permission.ORDER_READ,
    ("receipts_list.delete_view", "POST"): Permission.ORDER_READ,
    ("receipts_list.export", "POST"): Permission.PURCHASE_EXPORT,
    ("invoices_list.save_view", "POST"): Permission.INVOICE_READ,
    ("invoices_list.open_view", "GET"): Permission.INVOICE_READ,
    ("invoices_list.rename_view", "POST"): Permission.INVOICE_READ,
    ("invoices_list.delete_view", "POST"): Permission.INVOICE_READ,
    ("invoices_list.export", "POST"): Permission.PURCHASE_EXPORT,
    ("customers_list.manage_views", "GET"): Permission.CUSTOMER_READ,  # every list's view forms, loaded when opened
    ("contracts_list.manage_views", "GET"): Permission.CONTRACT_READ,
    ("suppliers_list.manage_views", "GET"): Permission.SUPPLIER_READ,
    ("requisitions_list.manage_views", "GET"): Permission.REQUISITION_READ,
    ("purchase_orders_list.manage_views", "GET"): Permission.ORDER_READ,
    ("receipts_list.manage_views", "GET"): Permission.ORDER_READ,
    ("invoices_list.manage_views", "GET"): Permission.INVOICE_READ,
}
PRINCIPALS = [*DEFAULT_ROLES, "anonymous", "password-only"]
SIGNS_OUT = {"auth.logout", "auth.mfa", "auth.enroll", "account.revoke_all_sessions"}  # login is the right answer


def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every route of a real app, read once at collection."""
    app = create_app(build_dependencies(make_engine("sqlite://"), Path(tempfile.mkdtemp())), {"SECRET_KEY": "x" * 64})
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in (rule.methods or set()) - {"HEAD", "OPTIONS"})


ROUTES = _routes()


def test_every_route_has_an_access_rule() -> None:
    routes = {(endpoint, method) for endpoint, method, _ in ROUTES}
    assert sorted(routes - ACCESS.keys()) == [], "new routes need an entry in ACCESS"
    assert sorted(ACCESS.keys() - routes) == [], "ACCESS lists routes that no longer exist"


@dataclass
class World:
    """One user per default role, all in the sales department, and a factory for each URL placeholder."""

    engine: Engine
    deps: Dependencies
    department: int
    users: dict[str, Actor]
    contract: int = 0  # the one `contract_id` made last, so an <attachment_id> after it belongs to it
    rule: str = ""  # the URL rule being filled (a <view_id> belongs to the list whose URL it is below)

    def customer_id(self) -> str:
        owner = self.users["sales_rep"]
        with self.engine.begin() as connection:
            new_id = connection.execute(text(
                "INSERT INTO customers (name, industry, region, stage, owner_id, department_id, created_at, "
                "updated_at, created_by, version) VALUES (:name, 'technology', 'shanghai', 'lead', :owner, :dept, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :owner, 1) RETURNING id"),
                {"name": "Matrix " + secrets.token_hex(4), "owner": owner.user_id, "dept": self.department}).scalar()
        return str(new_id)

    def contract_id(self) -> str:
        """An active contract of the sales rep with one amendment (so every contract route has a real answer)."""
        owner, customer = self.users["sales_rep"].user_id, self.customer_id()
        with self.engine.begin() as connection:
            new_id = connection.execute(text(
                "INSERT INTO contracts (number, title, customer_id, amount, currency, start_on, end_on, owner_id, "
                "department_id, payment_terms, notes, status, amendment, created_by, created_at, updated_at, version) "
                "VALUES (:number, 'Matrix', :customer, 1000, 'CNY', '2026-01-01', '2026-12-31', :owner, :dept, '', '', "
                "'active', 1, :owner, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"number": "M-" + secrets.token_hex(6), "customer": customer, "owner": owner, "dept": self.department}
            ).scalar()
            connection.execute(text(
                "INSERT INTO contract_amendments (contract_id, number, reason, changes, snapshot, created_by, "
                "created_at) VALUES (:contract, 1, 'Matrix', '[]', '{}', :owner, CURRENT_TIMESTAMP)"),
                {"contract": new_id, "owner": owner})
        self.contract = int(new_id)
        return str(new_id)
    def contact_id(self) -> str:
        """A contact of the customer most recently made for this URL (customer_id is filled first)."""
        with self.engine.begin() as connection:
            customer = connection.execute(text("SELECT max(id) FROM customers")).scalar()
            return str(connection.execute(text(
                "INSERT INTO contacts (customer_id, name, title, notes, created_at, updated_at, version) "
                "VALUES (:c, 'Matrix contact', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"c": customer}).scalar())

    def follow_up_id(self) -> str:
        customer = self.customer_id()
        with self.engine.begin() as connection:
            return str(connection.execute(text(
                "INSERT INTO follow_ups (customer_id, author_id, kind, content, next_action_on, created_at) "
                "VALUES (:c, :a, 'call', 'Matrix', CURRENT_DATE, CURRENT_TIMESTAMP) RETURNING id"),
                {"c": customer, "a": self.users["sales_rep"].user_id}).scalar())

    def merge_id(self) -> str:
        """A merge of two of the sales rep's customers (nothing moved), not undone yet."""
        survivor, absorbed = self.customer_id(), self.customer_id()
        with self.engine.begin() as connection:
            connection.execute(text("UPDATE customers SET archived_at = CURRENT_TIMESTAMP, version = 2 WHERE id = :a"),
                               {"a": absorbed})
            return str(connection.execute(text(
                "INSERT INTO customer_merges (survivor_id, absorbed_id, moved, absorbed_version, merged_by, merged_at) "
                "VALUES (:s, :a, '{}', 2, :by, CURRENT_TIMESTAMP) RETURNING id"),
                {"s": survivor, "a": absorbed, "by": self.users["sales_rep"].user_id}).scalar())

    def user_id(self) -> str:
        name = "target-" + secrets.token_hex(3)
        return str(add_user(SqlUnitOfWork(self.engine), name, {"sales_rep"}, self.department).user_id)

    def department_id(self) -> str:
        return str(add_department(self.engine, "Dept " + secrets.token_hex(3), self.department))

    def token(self) -> str:
        return secrets.token_urlsafe(16)

    def event_id(self) -> str:
        with SqlUnitOfWork(self.engine) as uow:
            uow.audit.append(AuditEvent("matrix.probe", self.deps.clock.now()))
            uow.commit()
        with self.engine.connect() as connection:
            return str(connection.execute(text("SELECT max(id) FROM audit_events")).scalar())

    def key(self) -> str:
        """A custom role nobody holds (so deleting it is allowed)."""
        key = "matrix_" + secrets.token_hex(3)
        with self.engine.begin() as connection:
            connection.execute(text("INSERT INTO roles (key, name, builtin, version) VALUES (:k, :k, false, 1)"),
                               {"k": key})
        return key

    def job_id(self) -> str:
        with SqlUnitOfWork(self.engine) as uow:
            now = self.deps.clock.now()
            job_id = uow.jobs.add(Job(None, "matrix.probe", self.users["administrator"].user_id, JobStatus.DONE, now,
                                      now, result={"file_id": "nothing-here-" + "x" * 24, "filename": "x.csv"}))
            uow.commit()
        return str(job_id)

    def rule_id(self) -> str:
        with self.engine.begin() as connection:
            return str(connection.execute(text(
                "INSERT INTO approval_rules (name, document_type, min_amount, active, version) "
                "VALUES ('Matrix', 'contract', 0, true, 1) RETURNING id")).scalar())

    def task_id(self) -> str:
        """An open task of the administrator on a request of the sales rep, for a document type of the test."""
        register_document("matrix", MatrixDocument())
        rule, rep, admin = self.rule_id(), self.users["sales_rep"].user_id, self.users["administrator"].user_id
        with self.engine.begin() as connection:
            request = connection.execute(text(
                "INSERT INTO approval_requests (document_type, document_id, rule_id, title, amount, currency, "
                "status, current_step, requested_by, created_at) VALUES ('matrix', 1, :rule, 'Matrix', 10, 'CNY', "
                "'pending', 1, :rep, CURRENT_TIMESTAMP) RETURNING id"), {"rule": int(rule), "rep": rep}).scalar()
            return str(connection.execute(text(
                "INSERT INTO approval_tasks (request_id, step, assignee_id, status, comment) "
                "VALUES (:request, 1, :admin, 'open', '') RETURNING id"),
                {"request": request, "admin": admin}).scalar())

    def attachment_id(self) -> str:
        """An attachment of the contract the URL's <contract_id> just made."""
        owner, now, contract = self.users["sales_rep"], self.deps.clock.now(), self.contract
        with SqlUnitOfWork(self.engine) as uow:
            attachment_id = uow.contract_attachments.add(Attachment(
                None, contract, 0, self.deps.files.put(PDF), "matrix.pdf", "application/pdf", len(PDF), "0" * 64,
                owner.user_id, now))
            uow.commit()
        return str(attachment_id)
    def tag_id(self) -> str:
        with self.engine.begin() as connection:
            name = "matrix-" + secrets.token_hex(3)
            return str(connection.execute(text("INSERT INTO tags (name, name_key) VALUES (:n, :n) RETURNING id"),
                                          {"n": name}).scalar())

    def view_id(self) -> str:
        """A view of the URL's list ("/customers/views/…") the administrator shared with the sales department."""
        with self.engine.begin() as connection:
            return str(connection.execute(text(
                "INSERT INTO saved_views (list_key, owner_id, name, query, shared_department_id, created_at) "
                "VALUES (:list, :owner, 'Leads', '', :dept, CURRENT_TIMESTAMP) RETURNING id"),
                {"list": self.rule.split("/")[1].replace("-", "_"), "owner": self.users["administrator"].user_id,
                 "dept": self.department}).scalar())
    def batch_id(self) -> str:
        """A checked import batch of the sales manager's, or below /suppliers the procurement manager's supplier
        batch (the administrator may act on both)."""
        supplier = self.rule.startswith("/suppliers")
        owner = self.users["procurement_manager" if supplier else "sales_manager"].user_id
        missing = "nothing-here-" + "x" * 24
        with SqlUnitOfWork(self.engine) as uow:
            batch_id = uow.imports.add(ImportBatch(None, owner, missing, "matrix.csv", "csv", ["名称"], ["name"],
                                                   self.deps.clock.now(), BatchStatus.CHECKED, error_file_id=missing,
                                                   target="supplier" if supplier else "customer"))
            uow.commit()
        return str(batch_id)

    def budget_id(self) -> str:
        """A stop budget of the sales department covering this year."""
        year = self.deps.clock.now().year
        with self.engine.begin() as connection:
            return str(connection.execute(text(
                "INSERT INTO budgets (department_id, code, name, period_start, period_end, amount, committed, policy, "
                "active, created_by, created_at, updated_at, version) VALUES (:dept, :code, 'Matrix', :start, :end, "
                "1000, 0, 'stop', true, :by, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"dept": self.department, "code": "M-" + secrets.token_hex(4), "start": f"{year}-01-01",
                 "end": f"{year}-12-31", "by": self.users["finance"].user_id}).scalar())

    def requisition_id(self) -> str:
        """A draft requisition of the employee (so the buyers of the department and the requester see it)."""
        owner = self.users["employee"].user_id
        with self.engine.begin() as connection:
            new_id = connection.execute(text(
                "INSERT INTO requisitions (number, title, purpose, department_id, requester_id, currency, "
                "estimated_total, status, created_by, created_at, updated_at, version) VALUES (:number, 'Matrix', "
                "'Matrix', :dept, :owner, 'CNY', 10, 'draft', :owner, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) "
                "RETURNING id"), {"number": "PR-" + secrets.token_hex(6), "dept": self.department, "owner": owner}
            ).scalar()
            connection.execute(text(
                "INSERT INTO requisition_lines (requisition_id, position, item, specification, quantity, unit, "
                "estimated_unit_price, amount, ordered_quantity) VALUES (:r, 1, 'Paper', '', 2, 'box', 5, 10, 0)"),
                {"r": new_id})
        return str(new_id)

    def public_id(self) -> str:
        return secrets.token_hex(16)

    def filename(self) -> str:
        return "css/app.css"

    def supplier_id(self) -> str:
        """A pending supplier (so "qualify" is allowed) made by the buyer, with a purchase contract of the buyer's
        (the supplier master has no record scope)."""
        buyer = self.users["buyer"].user_id
        with self.engine.begin() as connection:
            supplier = connection.execute(text(
                "INSERT INTO suppliers (name, name_key, category, status, region, address, payment_terms, notes, "
                "bank_name, created_by, created_at, updated_at, version) VALUES (:name, :name, 'components', "
                "'pending', 'other', '', '', '', '', :by, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"name": "Matrix supplier " + secrets.token_hex(4), "by": buyer}).scalar()
            connection.execute(text(
                "INSERT INTO contracts (number, title, supplier_id, amount, currency, owner_id, department_id, "
                "payment_terms, notes, status, amendment, created_by, created_at, updated_at, version) VALUES "
                "(:number, 'Matrix purchase', :supplier, 500, 'CNY', :owner, :dept, '', '', 'draft', 0, :owner, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"),
                {"number": "P-" + secrets.token_hex(6), "supplier": supplier, "owner": buyer, "dept": self.department})
        return str(supplier)

    def supplier_contact_id(self) -> str:
        """A contact of the supplier the URL's <supplier_id> just made."""
        with self.engine.begin() as connection:
            return str(connection.execute(text(
                "INSERT INTO supplier_contacts (supplier_id, name, title, notes, created_at, updated_at, version) "
                "VALUES ((SELECT max(id) FROM suppliers), 'Matrix contact', '', '', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 1) RETURNING id")).scalar())

    def document_id(self) -> str:
        """A document with a file, of the supplier the URL's <supplier_id> just made."""
        with self.engine.begin() as connection:
            return str(connection.execute(text(
                "INSERT INTO supplier_documents (supplier_id, kind, title, number, expires_on, file_id, filename, "
                "content_type, size, sha256, uploaded_by, uploaded_at) VALUES ((SELECT max(id) FROM suppliers), "
                "'business_licence', 'Matrix', '', CURRENT_DATE, :file, 'matrix.pdf', 'application/pdf', :size, :sha, "
                ":by, CURRENT_TIMESTAMP) RETURNING id"),
                {"file": self.deps.files.put(PDF), "size": len(PDF), "sha": "0" * 64,
                 "by": self.users["buyer"].user_id}).scalar())


    def order_id(self) -> str:
        """A sent purchase order of the buyer (in the sales department) with one line."""
        buyer = self.users["buyer"]
        return str(add_order(self.engine, buyer, add_supplier(self.engine, buyer), ("Matrix", "10", "1", 13))[0])

    def receipt_id(self) -> str:
        """A goods receipt of 2 on a new order of the buyer."""
        order = int(self.order_id())
        with self.engine.begin() as connection:
            receipt = connection.execute(text(
                "INSERT INTO goods_receipts (number, order_id, received_on, received_by, notes, created_at) "
                "VALUES (:number, :order, CURRENT_DATE, :by, '', CURRENT_TIMESTAMP) RETURNING id"),
                {"number": "GR-M-" + secrets.token_hex(4), "order": order, "by": self.users["buyer"].user_id}).scalar()
            connection.execute(text(
                "INSERT INTO goods_receipt_lines (receipt_id, order_line_id, received_quantity, accepted_quantity, "
                "rejected_quantity, rejection_reason) SELECT :receipt, id, 2, 2, 0, '' FROM purchase_order_lines "
                "WHERE order_id = :order"), {"receipt": receipt, "order": order})
        return str(receipt)

    def invoice_id(self) -> str:
        """An invoice in exception on a new order of the buyer, recorded by the buyer (so finance may accept it)."""
        order, buyer = int(self.order_id()), self.users["buyer"].user_id
        with self.engine.begin() as connection:
            invoice = connection.execute(text(
                "INSERT INTO supplier_invoices (number, supplier_id, order_id, invoice_date, currency, net_total, "
                "tax_total, gross_total, status, recorded_by, created_at, updated_at, version) SELECT :number, "
                "supplier_id, id, CURRENT_DATE, 'CNY', 1, 0.13, 1.13, 'exception', :by, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, 1 FROM purchase_orders WHERE id = :order RETURNING id"),
                {"number": "M-" + secrets.token_hex(4), "order": order, "by": buyer}).scalar()
            connection.execute(text(
                "INSERT INTO supplier_invoice_lines (invoice_id, order_line_id, quantity, unit_price, tax_rate, "
                "net_amount, tax_amount, gross_amount, match_status, match_detail) SELECT :invoice, id, 1, 1, 13, 1, "
                "0.13, 1.13, 'not_received', :detail FROM purchase_order_lines WHERE order_id = :order"),
                {"invoice": invoice, "order": order, "detail": MATRIX_MATCH})
        return str(invoice)


class MatrixDocument:
    def on_decided(self, document_id: int, outcome: Outcome, *, actor: Actor, uow: UnitOfWork, now: datetime,
                   override: bool = False) -> None:
        pass

    def link(self, document_id: int) -> str:
        return "/"

    def notice(self, document_id: int, uow: UnitOfWork) -> str | None:
        return None


PLACEHOLDERS: dict[str, Callable[[World], str]] = {
    "customer_id": World.customer_id, "user_id": World.user_id, "token": World.token, "filename": World.filename,
    "public_id": World.public_id, "event_id": World.event_id, "key": World.key, "field": lambda _: "phone",
    "department_id": World.department_id, "job_id": World.job_id, "rule_id": World.rule_id, "task_id": World.task_id,
    "contract_id": World.contract_id, "number": lambda _: "1",
    "attachment_id": World.attachment_id,
    "tag_id": World.tag_id, "view_id": World.view_id,
    "contact_id": World.contact_id, "follow_up_id": World.follow_up_id, "merge_id": World.merge_id,
    "batch_id": World.batch_id,
    "budget_id": World.budget_id, "requisition_id": World.requisition_id,
    "supplier_id": World.supplier_id,
    "order_id": World.order_id, "receipt_id": World.receipt_id, "invoice_id": World.invoice_id,
    "supplier_contact_id": World.supplier_contact_id,
    "document_id": World.document_id,
}


@pytest.fixture
def world(engine: Engine, deps: Dependencies) -> World:
    sales = add_department(engine, "Sales")
    users = {role: add_user(SqlUnitOfWork(engine), role, {role}, sales) for role in DEFAULT_ROLES}
    return World(engine, deps, sales, users)


def _url(rule: str, world: World) -> str:
    """The rule with a fresh, real value for each placeholder."""
    world.rule = rule
    def fill(match: re.Match[str]) -> str:
        converter, arguments, name = match.groups()
        if converter == "any":  # one of a fixed list: the first is as good as any
            return arguments.strip("()").split(",")[0].strip(" '\"")
        factory = PLACEHOLDERS.get(name)
        assert factory, f"add a factory for <{name}> in PLACEHOLDERS"
        return factory(world)

    return re.sub(r"<(?:(\w+)(\([^)]*\))?:)?(\w+)>", fill, rule)


def _client_for(principal: str, app: Flask, world: World) -> FlaskClient:
    client = app.test_client()
    if principal == "password-only":
        sign_in_as(client, world.deps, world.users["sales_rep"], Stage.PASSWORD)
    elif principal != "anonymous":
        sign_in_as(client, world.deps, world.users[principal])
    return client


def _csrf(client: FlaskClient, principal: str) -> str:
    page = client.get("/login" if principal in ("anonymous", "password-only") else "/account/reauth").text
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _allowed(need: Need, principal: str) -> bool:
    if need == PUBLIC:
        return True
    if principal in ("anonymous", "password-only"):
        return need == SECOND_FACTOR and principal == "password-only"
    if need == SIGNED_IN:
        return True
    if need == SECOND_FACTOR:
        return True  # a signed-in user is simply sent on; only strangers are turned away
    wanted = need if isinstance(need, tuple) else (need,)
    return any(p in DEFAULT_ROLES[principal].permissions for p in wanted if isinstance(p, Permission))


@pytest.mark.parametrize(("endpoint", "method", "rule"), ROUTES, ids=[f"{m} {e}" for e, m, _ in ROUTES])
def test_route_answers_each_principal_as_expected(app: Flask, world: World, endpoint: str, method: str,
                                                  rule: str) -> None:
    """As a full page and as an htmx request (one world for both: setting it up is most of the cost)."""
    need = ACCESS[(endpoint, method)]
    for principal, htmx in [(p, h) for h in (False, True) for p in PRINCIPALS]:
        client = _client_for(principal, app, world)
        headers = {"HX-Request": "true", "HX-Target": "main"} if htmx else {}
        url = _url(rule, world)
        if method == "POST":
            response = client.post(url, data={"csrf_token": _csrf(client, principal)}, headers=headers)
        else:
            response = client.get(url, headers=headers)
        response.close()
        where = f"{method} {url} as {principal} ({'htmx' if htmx else 'page'})"
        assert response.status_code < 500, where
        if _allowed(need, principal):
            assert response.status_code != 403, where  # 401 alone is a wrong password, not a refusal
            assert not _sent_to_login(response) or endpoint in SIGNS_OUT, where
        elif principal in ("anonymous", "password-only"):
            assert _sent_to_login(response), where
        else:
            assert response.status_code == 403, where


def _sent_to_login(response: TestResponse) -> bool:
    target = response.headers.get("HX-Redirect") or response.headers.get("Location") or ""
    return response.status_code in (302, 303, 401) and target.split("?")[0].endswith("/login")
