"""Schema as SQLAlchemy Core tables. Repositories map rows to domain objects by hand."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s", "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
})


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python; naive UTC text on SQLite, timestamptz on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


departments = Table(
    "departments", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("parent_id", ForeignKey("departments.id"), nullable=True),
    Column("path", String(255), nullable=False, index=True),  # "/1/4/": subtree = path prefix
    Column("manager_id", ForeignKey("users.id", use_alter=True), nullable=True),
    Column("version", Integer, nullable=False, default=1),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("department_id", ForeignKey("departments.id"), nullable=True),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("totp_secret", LargeBinary, nullable=True),
    Column("totp_confirmed", Boolean, nullable=False, default=False),
    Column("totp_last_step", BigInteger, nullable=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("password_changed_at", UtcDateTime, nullable=True),
)

roles = Table(
    "roles", metadata,
    Column("key", String(50), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("builtin", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False, default=1),
)

role_permissions = Table(
    "role_permissions", metadata,
    Column("role", ForeignKey("roles.key", ondelete="CASCADE"), primary_key=True),
    Column("permission", String(64), primary_key=True),
)

role_scopes = Table(
    "role_scopes", metadata,
    Column("role", ForeignKey("roles.key", ondelete="CASCADE"), primary_key=True),
    Column("entity", String(32), primary_key=True),
    Column("scope", String(16), nullable=False),
)

user_roles = Table(
    "user_roles", metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role", ForeignKey("roles.key"), primary_key=True),
    Index("ix_user_roles_role", "role"),
)

user_tokens = Table(
    "user_tokens", metadata,  # one-time links an administrator hands over: activation, password reset
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("purpose", String(16), nullable=False),
    Column("created_by", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

recovery_codes = Table(
    "recovery_codes", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    UniqueConstraint("user_id", "code_hash"),
)

setup_tokens = Table(
    "setup_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

auth_sessions = Table(
    "auth_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("stage", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False, index=True),
    Column("ip", String(64), nullable=True),
    Column("user_agent", String(200), nullable=True),
    Column("code_failures", Integer, nullable=False, default=0),
    Column("data", JSON, nullable=False, default=dict),
    Column("authenticated_at", UtcDateTime, nullable=True),  # last password + TOTP (sign-in or step-up)
)

customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("credit_code", String(18), nullable=True, unique=True),
    Column("industry", String(32), nullable=False),
    Column("region", String(32), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("owner_id", ForeignKey("users.id"), nullable=False),
    Column("department_id", ForeignKey("departments.id"), nullable=True),
    Column("phone_enc", LargeBinary, nullable=True),  # AES-256-GCM token, key id first (adapters.crypto)
    Column("email_enc", LargeBinary, nullable=True),
    Column("phone_index", String(64), nullable=True, index=True),  # blind index: HMAC of the normalised value
    Column("email_index", String(64), nullable=True, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("archived_at", UtcDateTime, nullable=True),
    Column("form_token", String(64), nullable=True, unique=True),
    Column("level", String(1), nullable=True),  # A/B/C, none by default
    Column("name_key", String(200), nullable=True),  # normalised name (domain.customers.names) for duplicates
    Column("next_action_on", Date, nullable=True),  # earliest open follow-up action: the list's overdue mark
    Index("ix_customers_created", "created_at", "id"),
    Index("ix_customers_name_key", "name_key"),
    Index("ix_customers_name", "name", "id"),
    Index("ix_customers_stage_created", "stage", "created_at", "id"),
    Index("ix_customers_owner_created", "owner_id", "created_at", "id"),
    Index("ix_customers_stage_owner_created", "stage", "owner_id", "created_at", "id"),
    Index("ix_customers_department_created", "department_id", "created_at", "id"),
)

follow_ups = Table(
    "follow_ups", metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("author_id", ForeignKey("users.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("next_action_on", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("done_at", UtcDateTime, nullable=True),  # the next action was carried out
    Column("done_by", Integer, nullable=True),  # no FK: added in place, which SQLite allows only without one
    Index("ix_follow_ups_customer_created", "customer_id", "created_at", "id"),
    # "my follow-ups due": open actions of one author in due-date order
    Index("ix_follow_ups_author_due", "author_id", "next_action_on", "id",
          sqlite_where=text("done_at IS NULL AND next_action_on IS NOT NULL"),
          postgresql_where=text("done_at IS NULL AND next_action_on IS NOT NULL")),
)

audit_events = Table(
    "audit_events", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("occurred_at", UtcDateTime, nullable=False, index=True),
    Column("actor_id", Integer, nullable=True, index=True),  # no FK: the trail outlives users
    Column("ip", String(64), nullable=True),
    Column("action", String(64), nullable=False),
    Column("entity_type", String(32), nullable=True),
    Column("entity_id", String(64), nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("seq", BigInteger, nullable=False, unique=True),  # gapless position in the hash chain
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_events_entity", "entity_type", "entity_id", "id"),
    Index("ix_audit_events_action", "action", "id"),
    # The action-family filter ("customer.*") is a LIKE prefix; only a pattern index serves it under a
    # non-C collation. SQLite gets a range on the (binary) action index instead.
    Index("ix_audit_events_action_prefix", "action", postgresql_ops={"action": "text_pattern_ops"}
          ).ddl_if(dialect="postgresql"),
)

audit_head = Table(
    "audit_head", metadata,  # one row: the chain's last seq and hash; its row lock orders appends
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)


jobs = Table(
    "jobs", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("owner_id", Integer, nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=True),
    Column("message", String(500), nullable=False, default=""),
    Column("result", JSON, nullable=False),
)


contracts = Table(
    "contracts", metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("customer_id", ForeignKey("customers.id"), nullable=True, index=True),  # a sales contract's party
    Column("supplier_id", ForeignKey("suppliers.id"), nullable=True),  # a purchase contract's party
    Column("amount", Numeric(18, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("signed_on", Date, nullable=True),
    Column("start_on", Date, nullable=True),
    Column("end_on", Date, nullable=True),
    Column("owner_id", ForeignKey("users.id"), nullable=False),
    Column("department_id", ForeignKey("departments.id"), nullable=True),
    Column("payment_terms", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("amendment", Integer, nullable=False, default=0),  # 0 = the original; n = after amendment n
    Column("predecessor_id", ForeignKey("contracts.id"), nullable=True),  # the contract this one renews
    Column("end_reason", Text, nullable=True),  # why it was terminated
    Column("form_token", String(64), nullable=True),  # one-time token of the create form (unique index below)
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_contracts_created", "created_at", "id"),
    Index("ix_contracts_owner_created", "owner_id", "created_at", "id"),
    Index("ix_contracts_department_created", "department_id", "created_at", "id"),
    Index("ix_contracts_status_end", "status", "end_on", "id"),
    CheckConstraint("(customer_id IS NULL) <> (supplier_id IS NULL)", name="one_party"),
)
Index("ix_contracts_owner_status_end", contracts.c.owner_id, contracts.c.status, contracts.c.end_on,
      contracts.c.id)  # the owner's work queue (migration 0006)


contract_attachments = Table(
    "contract_attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", ForeignKey("contracts.id"), nullable=False),
    Column("amendment", Integer, nullable=False),  # the contract's amendment counter at upload time
    Column("file_id", String(64), nullable=False, unique=True),  # the FileStore's generated id
    Column("filename", String(255), nullable=False),  # display only, never a path
    Column("content_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", ForeignKey("users.id"), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime, nullable=True),
    Index("ix_contract_attachments_contract", "contract_id", "amendment", "uploaded_at", "id"),
)

contract_reminders = Table(
    "contract_reminders", metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", ForeignKey("contracts.id"), nullable=False),
    Column("days_before", Integer, nullable=False),  # 90, 60 or 30
    Column("created_at", UtcDateTime, nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("acknowledged_by", ForeignKey("users.id"), nullable=True),
    UniqueConstraint("contract_id", "days_before"),
)


tags = Table(
    "tags", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("name_key", String(80), nullable=False, unique=True),  # case-folded name: one tag whatever the case
)

customer_tags = Table(
    "customer_tags", metadata,
    Column("customer_id", ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_customer_tags_tag", "tag_id", "customer_id"),
)


approval_rules = Table(
    "approval_rules", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("document_type", String(32), nullable=False),
    Column("department_id", ForeignKey("departments.id"), nullable=True),  # None: company-wide
    Column("min_amount", Numeric(18, 2), nullable=False),  # inclusive
    Column("max_amount", Numeric(18, 2), nullable=True),  # exclusive; None: no upper bound
    Column("active", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_approval_rules_type", "document_type", "department_id", "min_amount"),
)

approval_rule_steps = Table(
    "approval_rule_steps", metadata,
    Column("rule_id", ForeignKey("approval_rules.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("mode", String(8), nullable=False),  # all / any
    Column("approver_kind", String(16), nullable=False),  # user / role / manager
    Column("role_key", ForeignKey("roles.key"), nullable=True),
    Column("user_id", ForeignKey("users.id"), nullable=True),
)

approval_requests = Table(
    "approval_requests", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_type", String(32), nullable=False),
    Column("document_id", Integer, nullable=False),
    Column("rule_id", ForeignKey("approval_rules.id"), nullable=False),
    Column("title", String(200), nullable=False),  # what the approvers were asked to approve
    Column("amount", Numeric(18, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("department_id", ForeignKey("departments.id"), nullable=True),
    Column("status", String(16), nullable=False),
    Column("current_step", Integer, nullable=False),
    Column("requested_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Index("ix_approval_requests_document", "document_type", "document_id", "id"),
)

approval_tasks = Table(
    "approval_tasks", metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", ForeignKey("approval_requests.id"), nullable=False),
    Column("step", Integer, nullable=False),
    Column("assignee_id", ForeignKey("users.id"), nullable=False),
    Column("on_behalf_of", ForeignKey("users.id"), nullable=True),  # the approver a delegate stands in for
    Column("status", String(16), nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("comment", Text, nullable=False, default=""),
    Index("ix_approval_tasks_request", "request_id", "step", "id"),
    Index("ix_approval_tasks_open", "assignee_id", "id", sqlite_where=text("status = 'open'"),
          postgresql_where=text("status = 'open'")),  # "my open tasks": the inbox and the nav badge
)

delegations = Table(
    "delegations", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("delegate_id", ForeignKey("users.id"), nullable=False),
    Column("starts_on", Date, nullable=False),  # inclusive
    Column("ends_on", Date, nullable=False),  # inclusive
    Column("created_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),  # ended early by its owner
    Index("ix_delegations_user", "user_id", "ends_on"),
    Index("ix_delegations_delegate", "delegate_id", "ends_on"),
)

contract_amendments = Table(
    "contract_amendments", metadata,  # 补充协议: numbered versions of a contract's terms
    Column("id", Integer, primary_key=True),
    Column("contract_id", ForeignKey("contracts.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("changes", JSON, nullable=False),  # [{"field", "before", "after"}] against the previous version
    Column("snapshot", JSON, nullable=False),  # the terms after this amendment
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("contract_id", "number"),
)

number_sequences = Table(
    "number_sequences", metadata,  # gapless counters: "contract:2026" → last number handed out
    Column("key", String(60), primary_key=True),
    Column("last_value", BigInteger, nullable=False),
)

Index("ix_contracts_customer_created", contracts.c.customer_id, contracts.c.created_at, contracts.c.id)
Index("ix_contracts_status_created", contracts.c.status, contracts.c.created_at, contracts.c.id)
Index("ix_contracts_predecessor", contracts.c.predecessor_id)
Index("uq_contracts_form_token", contracts.c.form_token, unique=True)

saved_views = Table(
    "saved_views", metadata,  # a named list query; shared with a department subtree when set
    Column("id", Integer, primary_key=True),
    Column("list_key", String(40), nullable=False),  # which list ("customers", "contracts"): views never cross
    Column("owner_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(60), nullable=False),
    Column("query", String(1000), nullable=False),
    Column("shared_department_id", ForeignKey("departments.id", ondelete="CASCADE"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_saved_views_list_owner", "list_key", "owner_id", "name"),
    Index("ix_saved_views_list_shared", "list_key", "shared_department_id", "name"),
)

contacts = Table(
    "contacts", metadata,  # people at a customer (联系人); phone and e-mail sealed like the customer's
    Column("id", Integer, primary_key=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("title", String(100), nullable=False, default=""),
    Column("phone_enc", LargeBinary, nullable=True),
    Column("email_enc", LargeBinary, nullable=True),
    Column("phone_index", String(64), nullable=True, index=True),
    Column("email_index", String(64), nullable=True, index=True),
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_contacts_customer", "customer_id", "id"),
)

customer_merges = Table(
    "customer_merges", metadata,  # one merge: what moved from the absorbed customer to the survivor, for undo
    Column("id", Integer, primary_key=True),
    Column("survivor_id", ForeignKey("customers.id"), nullable=False),
    Column("absorbed_id", ForeignKey("customers.id"), nullable=False, index=True),
    Column("moved", JSON, nullable=False),  # ids (and versions) of the rows that moved
    Column("absorbed_version", Integer, nullable=False),  # the absorbed customer's version after the merge
    Column("merged_by", ForeignKey("users.id"), nullable=False),
    Column("merged_at", UtcDateTime, nullable=False),
    Column("undone_by", ForeignKey("users.id"), nullable=True),
    Column("undone_at", UtcDateTime, nullable=True),
    Index("ix_customer_merges_survivor", "survivor_id", "id"),
)

import_batches = Table(
    "import_batches", metadata,  # staged imports: one uploaded file from upload to commit and undo
    Column("id", Integer, primary_key=True),
    Column("owner_id", ForeignKey("users.id"), nullable=False),
    Column("file_id", String(64), nullable=False),
    Column("filename", String(200), nullable=False),
    Column("format", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("header", JSON, nullable=False),
    Column("mapping", JSON, nullable=False),
    Column("mode", String(16), nullable=False),
    Column("counts", JSON, nullable=False),
    Column("problems", JSON, nullable=False),  # the first rows' errors as [row, field, code]
    Column("error_file_id", String(64), nullable=True),
    Column("job_id", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("checked_at", UtcDateTime, nullable=True),
    Column("committed_at", UtcDateTime, nullable=True),
    Column("undone_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False, default=1),
    Column("target", String(16), nullable=False, server_default="customer"),  # customer / supplier (0012)
    Index("ix_import_batches_owner_created", "owner_id", "created_at", "id"),
)

import_batch_items = Table(
    "import_batch_items", metadata,  # what each committed row did, for undo; no FK to the records (undo deletes)
    Column("batch_id", ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("record_id", Integer, nullable=False),  # a customer or supplier, as the batch's target says
    Column("created", Boolean, nullable=False),
    Column("version", Integer, nullable=False),  # the record's version right after the import
    Column("before", JSON, nullable=True),  # an updated record's earlier values; phone, e-mail, bank account sealed
    Index("ix_import_batch_items_record", "record_id"),
)

import_mappings = Table(
    "import_mappings", metadata,  # each user's last column mapping per header row
    Column("owner_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("header_key", String(64), primary_key=True),
    Column("mapping", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


# --- Procurement (migration 0009): suppliers, budgets, requisitions, orders, receipts, invoices -------------
# Quantities carry 3 decimals (kg, m), unit prices 4 (screws at ¥0.0035), amounts 2 (fen), all exact decimals.
QUANTITY, UNIT_PRICE, MONEY = Numeric(18, 3), Numeric(18, 4), Numeric(18, 2)

suppliers = Table(
    "suppliers", metadata,  # 供应商: the company's shared vendor master (no record scope)
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False),  # domain.customers.names.name_key: duplicate check
    Column("credit_code", String(18), nullable=True, unique=True),
    Column("category", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # pending / qualified / suspended / blacklisted
    Column("status_reason", Text, nullable=True),  # why it was suspended or blacklisted
    Column("region", String(32), nullable=False, default="other"),
    Column("address", String(300), nullable=False, default=""),
    Column("payment_terms", String(200), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("bank_name", String(100), nullable=False, default=""),
    Column("bank_account_enc", LargeBinary, nullable=True),  # AES-256-GCM like customer phone numbers
    Column("bank_account_index", String(64), nullable=True, index=True),  # blind index of the digits
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("form_token", String(64), nullable=True, unique=True),
    Index("ix_suppliers_created", "created_at", "id"),
    Index("ix_suppliers_status_created", "status", "created_at", "id"),
    Index("ix_suppliers_category_created", "category", "created_at", "id"),
    Index("ix_suppliers_name", "name", "id"),
    Index("ix_suppliers_name_key", "name_key"),
)

supplier_contacts = Table(
    "supplier_contacts", metadata,  # people at a supplier; phone and e-mail sealed like customer contacts
    Column("id", Integer, primary_key=True),
    Column("supplier_id", ForeignKey("suppliers.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("title", String(100), nullable=False, default=""),
    Column("phone_enc", LargeBinary, nullable=True),
    Column("email_enc", LargeBinary, nullable=True),
    Column("phone_index", String(64), nullable=True, index=True),
    Column("email_index", String(64), nullable=True, index=True),
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Index("ix_supplier_contacts_supplier", "supplier_id", "id"),
)

supplier_documents = Table(
    "supplier_documents", metadata,  # licences and certificates, with expiry dates and reminders
    Column("id", Integer, primary_key=True),
    Column("supplier_id", ForeignKey("suppliers.id"), nullable=False),
    Column("kind", String(32), nullable=False),  # business_licence / qualification / quality_cert / tax / other
    Column("title", String(200), nullable=False),
    Column("number", String(100), nullable=False, default=""),
    Column("issued_on", Date, nullable=True),
    Column("expires_on", Date, nullable=True),
    Column("file_id", String(64), nullable=True, unique=True),  # the FileStore's id; a document may be metadata only
    Column("filename", String(255), nullable=True),
    Column("content_type", String(100), nullable=True),
    Column("size", BigInteger, nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("uploaded_by", ForeignKey("users.id"), nullable=False),
    Column("uploaded_at", UtcDateTime, nullable=False),
    Column("removed_at", UtcDateTime, nullable=True),
    Index("ix_supplier_documents_supplier", "supplier_id", "id"),
    Index("ix_supplier_documents_expiry", "expires_on", "id", sqlite_where=text("removed_at IS NULL"),
          postgresql_where=text("removed_at IS NULL")),
)

supplier_document_reminders = Table(
    "supplier_document_reminders", metadata,  # one mark per document and lead time (60/30/7 days before expiry)
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("supplier_documents.id"), nullable=False),
    Column("days_before", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("acknowledged_by", ForeignKey("users.id"), nullable=True),
    UniqueConstraint("document_id", "days_before"),
)

budgets = Table(
    "budgets", metadata,  # 预算: a department's budget line for a period, with a stop or warn policy
    Column("id", Integer, primary_key=True),
    Column("department_id", ForeignKey("departments.id"), nullable=False),
    Column("code", String(40), nullable=False),
    Column("name", String(100), nullable=False),
    Column("period_start", Date, nullable=False),  # inclusive
    Column("period_end", Date, nullable=False),  # inclusive
    Column("amount", MONEY, nullable=False),
    Column("committed", MONEY, nullable=False, default=0),  # the sum of its entries, kept in the same transaction
    Column("policy", String(8), nullable=False),  # stop / warn
    Column("active", Boolean, nullable=False, default=True),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    UniqueConstraint("department_id", "code"),
    Index("ix_budgets_department_period", "department_id", "period_start", "id"),
)

budget_entries = Table(
    "budget_entries", metadata,  # the budget's ledger: + commits, - releases; append-only
    Column("id", Integer, primary_key=True),
    Column("budget_id", ForeignKey("budgets.id"), nullable=False),
    Column("document_type", String(32), nullable=False),  # requisition / purchase_order
    Column("document_id", Integer, nullable=False),
    Column("line_id", Integer, nullable=True),  # the document line, where the entry is per line
    Column("amount", MONEY, nullable=False),
    Column("reason", String(32), nullable=False),  # approved / ordered / cancelled / closed ...
    Column("overridden_by", ForeignKey("users.id"), nullable=True),  # a stop budget exceeded on purpose
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_budget_entries_budget", "budget_id", "id"),
    Index("ix_budget_entries_document", "document_type", "document_id", "line_id"),
)

requisitions = Table(
    "requisitions", metadata,  # 采购申请: a department's request to buy
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("purpose", Text, nullable=False, default=""),
    Column("department_id", ForeignKey("departments.id"), nullable=False),
    Column("requester_id", ForeignKey("users.id"), nullable=False),  # the owner for record scope
    Column("budget_id", ForeignKey("budgets.id"), nullable=True),
    Column("currency", String(3), nullable=False, default="CNY"),
    Column("estimated_total", MONEY, nullable=False, default=0),  # the sum of the lines' amounts
    Column("status", String(20), nullable=False),
    Column("submitted_at", UtcDateTime, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("closed_reason", Text, nullable=True),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("form_token", String(64), nullable=True, unique=True),
    Column("needed_by", Date, nullable=True),  # the whole request's date (migration 0010); lines may have their own
    Index("ix_requisitions_created", "created_at", "id"),
    Index("ix_requisitions_requester_created", "requester_id", "created_at", "id"),
    Index("ix_requisitions_department_created", "department_id", "created_at", "id"),
    Index("ix_requisitions_status_created", "status", "created_at", "id"),
)

requisition_lines = Table(
    "requisition_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("requisition_id", ForeignKey("requisitions.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("item", String(200), nullable=False),
    Column("specification", String(500), nullable=False, default=""),
    Column("quantity", QUANTITY, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("estimated_unit_price", UNIT_PRICE, nullable=False),  # tax included: what the budget is charged
    Column("amount", MONEY, nullable=False),  # quantity × estimated unit price, half-up to the fen
    Column("needed_by", Date, nullable=True),
    Column("ordered_quantity", QUANTITY, nullable=False, default=0),  # on orders not cancelled; never > quantity
    UniqueConstraint("requisition_id", "position"),
)

purchase_orders = Table(
    "purchase_orders", metadata,  # 采购订单
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("supplier_id", ForeignKey("suppliers.id"), nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("buyer_id", ForeignKey("users.id"), nullable=False),  # the owner for record scope
    Column("department_id", ForeignKey("departments.id"), nullable=True),
    Column("contract_id", ForeignKey("contracts.id"), nullable=True),  # a framework (purchase) contract
    Column("currency", String(3), nullable=False, default="CNY"),
    Column("net_total", MONEY, nullable=False, default=0),
    Column("tax_total", MONEY, nullable=False, default=0),
    Column("gross_total", MONEY, nullable=False, default=0),
    Column("status", String(20), nullable=False),
    Column("delivery_address", String(300), nullable=False, default=""),
    Column("payment_terms", String(200), nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("closed_reason", Text, nullable=True),  # why it was cancelled or closed early
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("form_token", String(64), nullable=True, unique=True),
    Index("ix_purchase_orders_created", "created_at", "id"),
    Index("ix_purchase_orders_buyer_created", "buyer_id", "created_at", "id"),
    Index("ix_purchase_orders_department_created", "department_id", "created_at", "id"),
    Index("ix_purchase_orders_status_created", "status", "created_at", "id"),
    Index("ix_purchase_orders_supplier_created", "supplier_id", "created_at", "id"),
    Index("ix_purchase_orders_contract", "contract_id"),
)

purchase_order_lines = Table(
    "purchase_order_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", ForeignKey("purchase_orders.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("requisition_line_id", ForeignKey("requisition_lines.id"), nullable=True),
    Column("budget_id", ForeignKey("budgets.id"), nullable=True),
    Column("item", String(200), nullable=False),
    Column("specification", String(500), nullable=False, default=""),
    Column("quantity", QUANTITY, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("unit_price", UNIT_PRICE, nullable=False),  # before tax
    Column("tax_rate", Integer, nullable=False),  # percent: 13, 9, 6, 3 or 0
    Column("net_amount", MONEY, nullable=False),
    Column("tax_amount", MONEY, nullable=False),
    Column("gross_amount", MONEY, nullable=False),
    Column("delivery_on", Date, nullable=True),
    Column("received_quantity", QUANTITY, nullable=False, default=0),  # accepted + rejected, over all receipts
    Column("accepted_quantity", QUANTITY, nullable=False, default=0),
    Column("invoiced_quantity", QUANTITY, nullable=False, default=0),
    UniqueConstraint("order_id", "position"),
    Index("ix_purchase_order_lines_requisition_line", "requisition_line_id"),
)

goods_receipts = Table(
    "goods_receipts", metadata,  # 收货单
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("order_id", ForeignKey("purchase_orders.id"), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("received_by", ForeignKey("users.id"), nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("form_token", String(64), nullable=True, unique=True),
    Index("ix_goods_receipts_order", "order_id", "id"),
    Index("ix_goods_receipts_created", "created_at", "id"),
)

goods_receipt_lines = Table(
    "goods_receipt_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("receipt_id", ForeignKey("goods_receipts.id"), nullable=False),
    Column("order_line_id", ForeignKey("purchase_order_lines.id"), nullable=False),
    Column("received_quantity", QUANTITY, nullable=False),  # accepted + rejected
    Column("accepted_quantity", QUANTITY, nullable=False),
    Column("rejected_quantity", QUANTITY, nullable=False),
    Column("rejection_reason", String(200), nullable=False, default=""),
    Index("ix_goods_receipt_lines_receipt", "receipt_id", "id"),
    Index("ix_goods_receipt_lines_order_line", "order_line_id"),
)

supplier_invoices = Table(
    "supplier_invoices", metadata,  # 供应商发票, matched against order and receipts
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False),  # the supplier's invoice number
    Column("supplier_id", ForeignKey("suppliers.id"), nullable=False),
    Column("order_id", ForeignKey("purchase_orders.id"), nullable=False),
    Column("invoice_date", Date, nullable=False),
    Column("currency", String(3), nullable=False, default="CNY"),
    Column("net_total", MONEY, nullable=False),
    Column("tax_total", MONEY, nullable=False),
    Column("gross_total", MONEY, nullable=False),
    Column("status", String(20), nullable=False),  # matched / exception / accepted / rejected
    Column("resolution_reason", Text, nullable=True),
    Column("resolved_by", ForeignKey("users.id"), nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("recorded_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("form_token", String(64), nullable=True, unique=True),
    UniqueConstraint("supplier_id", "number"),
    Index("ix_supplier_invoices_created", "created_at", "id"),
    Index("ix_supplier_invoices_status_created", "status", "created_at", "id"),
    Index("ix_supplier_invoices_order", "order_id", "id"),
)

supplier_invoice_lines = Table(
    "supplier_invoice_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", ForeignKey("supplier_invoices.id"), nullable=False),
    Column("order_line_id", ForeignKey("purchase_order_lines.id"), nullable=False),
    Column("quantity", QUANTITY, nullable=False),
    Column("unit_price", UNIT_PRICE, nullable=False),  # before tax
    Column("tax_rate", Integer, nullable=False),
    Column("net_amount", MONEY, nullable=False),
    Column("tax_amount", MONEY, nullable=False),
    Column("gross_amount", MONEY, nullable=False),
    Column("match_status", String(24), nullable=False),  # matched / quantity_over / price_over / ...
    Column("match_detail", JSON, nullable=False),  # what was compared: ordered, received, prices, tolerances
    Index("ix_supplier_invoice_lines_invoice", "invoice_id", "id"),
    Index("ix_supplier_invoice_lines_order_line", "order_line_id"),
)

procurement_settings = Table(
    "procurement_settings", metadata,  # tolerances (percent) by key; absent keys take the domain defaults
    Column("key", String(40), primary_key=True),
    Column("value", String(100), nullable=False),
    Column("updated_by", ForeignKey("users.id"), nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

Index("ix_contracts_supplier_created", contracts.c.supplier_id, contracts.c.created_at, contracts.c.id)

# Purchase contracts (migration 0010): the list's kind filter walks only the purchase contracts, newest first.
Index("ix_contracts_purchase_created", contracts.c.created_at, contracts.c.id,
      sqlite_where=text("supplier_id IS NOT NULL"), postgresql_where=text("supplier_id IS NOT NULL"))
