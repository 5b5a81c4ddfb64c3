"""procurement: suppliers, budgets, requisitions, orders, receipts, invoices; contracts with a supplier party

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:14:11.428080
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Grants added to the default roles in this revision (frozen here; the domain's DEFAULT_ROLES must agree).
_READ = ["supplier.read", "requisition.read", "budget.read", "purchase_order.read", "invoice.read"]
_BUYING = ["supplier.read", "supplier.create", "supplier.update", "requisition.read", "requisition.create",
           "requisition.close", "budget.read", "purchase_order.read", "purchase_order.create",
           "purchase_order.update", "receipt.create", "invoice.read", "purchase.export"]
PERMISSIONS = {
    "administrator": [*_BUYING, "supplier.qualify", "supplier.reveal", "supplier.import", "supplier.export",
                      "budget.manage", "budget.override", "invoice.create", "invoice.resolve",
                      "procurement.settings"],
    "procurement_manager": [*_BUYING, "supplier.qualify", "supplier.reveal", "supplier.import", "supplier.export",
                            "budget.override"],
    "buyer": _BUYING,
    "employee": ["requisition.read", "requisition.create"],
    "finance": [*_READ, "supplier.reveal", "budget.manage", "invoice.create", "invoice.resolve", "purchase.export",
                "procurement.settings"],
    "auditor": _READ,
}
_ALL = {"requisition": "all", "purchase_order": "all"}
SCOPES = {
    "administrator": _ALL, "finance": _ALL, "auditor": _ALL,
    "procurement_manager": _ALL,
    "buyer": {"requisition": "department", "purchase_order": "department"},
    "employee": {"requisition": "own"},
}


def upgrade() -> None:
    op.create_table('budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('committed', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('policy', sa.String(length=8), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_budgets_created_by_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_budgets_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budgets')),
    sa.UniqueConstraint('department_id', 'code', name=op.f('uq_budgets_department_id_code'))
    )
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.create_index('ix_budgets_department_period', ['department_id', 'period_start', 'id'], unique=False)

    op.create_table('procurement_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_procurement_settings_updated_by_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_procurement_settings'))
    )
    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('region', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('payment_terms', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('bank_name', sa.String(length=100), nullable=False),
    sa.Column('bank_account_enc', sa.LargeBinary(), nullable=True),
    sa.Column('bank_account_index', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_suppliers_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppliers')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_suppliers_credit_code')),
    sa.UniqueConstraint('form_token', name=op.f('uq_suppliers_form_token'))
    )
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suppliers_bank_account_index'), ['bank_account_index'], unique=False)
        batch_op.create_index('ix_suppliers_category_created', ['category', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_suppliers_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_suppliers_name', ['name', 'id'], unique=False)
        batch_op.create_index('ix_suppliers_name_key', ['name_key'], unique=False)
        batch_op.create_index('ix_suppliers_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('budget_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('document_type', sa.String(length=32), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('overridden_by', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_budget_entries_budget_id_budgets')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_budget_entries_created_by_users')),
    sa.ForeignKeyConstraint(['overridden_by'], ['users.id'], name=op.f('fk_budget_entries_overridden_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_entries'))
    )
    with op.batch_alter_table('budget_entries', schema=None) as batch_op:
        batch_op.create_index('ix_budget_entries_budget', ['budget_id', 'id'], unique=False)
        batch_op.create_index('ix_budget_entries_document', ['document_type', 'document_id', 'line_id'], unique=False)

    op.create_table('requisitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('estimated_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_requisitions_budget_id_budgets')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_requisitions_created_by_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_requisitions_department_id_departments')),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_requisitions_requester_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requisitions')),
    sa.UniqueConstraint('form_token', name=op.f('uq_requisitions_form_token')),
    sa.UniqueConstraint('number', name=op.f('uq_requisitions_number'))
    )
    with op.batch_alter_table('requisitions', schema=None) as batch_op:
        batch_op.create_index('ix_requisitions_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_requisitions_department_created', ['department_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_requisitions_requester_created', ['requester_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_requisitions_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('supplier_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('phone_enc', sa.LargeBinary(), nullable=True),
    sa.Column('email_enc', sa.LargeBinary(), nullable=True),
    sa.Column('phone_index', sa.String(length=64), nullable=True),
    sa.Column('email_index', sa.String(length=64), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_contacts_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_contacts'))
    )
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_contacts_email_index'), ['email_index'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_contacts_phone_index'), ['phone_index'], unique=False)
        batch_op.create_index('ix_supplier_contacts_supplier', ['supplier_id', 'id'], unique=False)

    op.create_table('supplier_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('file_id', sa.String(length=64), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_documents_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_supplier_documents_uploaded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_documents')),
    sa.UniqueConstraint('file_id', name=op.f('uq_supplier_documents_file_id'))
    )
    with op.batch_alter_table('supplier_documents', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_documents_expiry', ['expires_on', 'id'], unique=False, sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))
        batch_op.create_index('ix_supplier_documents_supplier', ['supplier_id', 'id'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('gross_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('delivery_address', sa.String(length=300), nullable=False),
    sa.Column('payment_terms', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['buyer_id'], ['users.id'], name=op.f('fk_purchase_orders_buyer_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_purchase_orders_contract_id_contracts')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_purchase_orders_created_by_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_purchase_orders_department_id_departments')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('form_token', name=op.f('uq_purchase_orders_form_token')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_orders_number'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_orders_buyer_created', ['buyer_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_purchase_orders_contract', ['contract_id'], unique=False)
        batch_op.create_index('ix_purchase_orders_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_purchase_orders_department_created', ['department_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_purchase_orders_status_created', ['status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_purchase_orders_supplier_created', ['supplier_id', 'created_at', 'id'], unique=False)

    op.create_table('requisition_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requisition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('specification', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('estimated_unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('needed_by', sa.Date(), nullable=True),
    sa.Column('ordered_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.ForeignKeyConstraint(['requisition_id'], ['requisitions.id'], name=op.f('fk_requisition_lines_requisition_id_requisitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requisition_lines')),
    sa.UniqueConstraint('requisition_id', 'position', name=op.f('uq_requisition_lines_requisition_id_position'))
    )
    op.create_table('supplier_document_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_supplier_document_reminders_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['document_id'], ['supplier_documents.id'], name=op.f('fk_supplier_document_reminders_document_id_supplier_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_document_reminders')),
    sa.UniqueConstraint('document_id', 'days_before', name=op.f('uq_supplier_document_reminders_document_id_days_before'))
    )
    op.create_table('goods_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('received_by', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_goods_receipts_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['received_by'], ['users.id'], name=op.f('fk_goods_receipts_received_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipts')),
    sa.UniqueConstraint('form_token', name=op.f('uq_goods_receipts_form_token')),
    sa.UniqueConstraint('number', name=op.f('uq_goods_receipts_number'))
    )
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.create_index('ix_goods_receipts_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_goods_receipts_order', ['order_id', 'id'], unique=False)

    op.create_table('purchase_order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('requisition_line_id', sa.Integer(), nullable=True),
    sa.Column('budget_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('specification', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tax_rate', sa.Integer(), nullable=False),
    sa.Column('net_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('gross_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('delivery_on', sa.Date(), nullable=True),
    sa.Column('received_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('accepted_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('invoiced_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.ForeignKeyConstraint(['budget_id'], ['budgets.id'], name=op.f('fk_purchase_order_lines_budget_id_budgets')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_purchase_order_lines_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['requisition_line_id'], ['requisition_lines.id'], name=op.f('fk_purchase_order_lines_requisition_line_id_requisition_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_lines')),
    sa.UniqueConstraint('order_id', 'position', name=op.f('uq_purchase_order_lines_order_id_position'))
    )
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_order_lines_requisition_line', ['requisition_line_id'], unique=False)

    op.create_table('supplier_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('invoice_date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('net_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('gross_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution_reason', sa.Text(), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_orders.id'], name=op.f('fk_supplier_invoices_order_id_purchase_orders')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_supplier_invoices_recorded_by_users')),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], name=op.f('fk_supplier_invoices_resolved_by_users')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_supplier_invoices_supplier_id_suppliers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_invoices')),
    sa.UniqueConstraint('form_token', name=op.f('uq_supplier_invoices_form_token')),
    sa.UniqueConstraint('supplier_id', 'number', name=op.f('uq_supplier_invoices_supplier_id_number'))
    )
    with op.batch_alter_table('supplier_invoices', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_invoices_created', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_supplier_invoices_order', ['order_id', 'id'], unique=False)
        batch_op.create_index('ix_supplier_invoices_status_created', ['status', 'created_at', 'id'], unique=False)

    op.create_table('goods_receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('received_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('accepted_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('rejected_quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('rejection_reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_goods_receipt_lines_order_line_id_purchase_order_lines')),
    sa.ForeignKeyConstraint(['receipt_id'], ['goods_receipts.id'], name=op.f('fk_goods_receipt_lines_receipt_id_goods_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goods_receipt_lines'))
    )
    with op.batch_alter_table('goods_receipt_lines', schema=None) as batch_op:
        batch_op.create_index('ix_goods_receipt_lines_order_line', ['order_line_id'], unique=False)
        batch_op.create_index('ix_goods_receipt_lines_receipt', ['receipt_id', 'id'], unique=False)

    op.create_table('supplier_invoice_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('tax_rate', sa.Integer(), nullable=False),
    sa.Column('net_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('tax_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('gross_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('match_status', sa.String(length=24), nullable=False),
    sa.Column('match_detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['supplier_invoices.id'], name=op.f('fk_supplier_invoice_lines_invoice_id_supplier_invoices')),
    sa.ForeignKeyConstraint(['order_line_id'], ['purchase_order_lines.id'], name=op.f('fk_supplier_invoice_lines_order_line_id_purchase_order_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_invoice_lines'))
    )
    with op.batch_alter_table('supplier_invoice_lines', schema=None) as batch_op:
        batch_op.create_index('ix_supplier_invoice_lines_invoice', ['invoice_id', 'id'], unique=False)
        batch_op.create_index('ix_supplier_invoice_lines_order_line', ['order_line_id'], unique=False)

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplier_id', sa.Integer(), nullable=True))
        batch_op.alter_column('customer_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('ix_contracts_supplier_created', ['supplier_id', 'created_at', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contracts_supplier_id_suppliers'), 'suppliers', ['supplier_id'], ['id'])
        batch_op.create_check_constraint('one_party', '(customer_id IS NULL) <> (supplier_id IS NULL)')
    _grant(PERMISSIONS, SCOPES)



def downgrade() -> None:
    _revoke(PERMISSIONS, SCOPES)
    op.execute("DELETE FROM contracts WHERE supplier_id IS NOT NULL")
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint('one_party', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_contracts_supplier_id_suppliers'), type_='foreignkey')
        batch_op.drop_index('ix_contracts_supplier_created')
        batch_op.alter_column('customer_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('supplier_id')

    with op.batch_alter_table('supplier_invoice_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_invoice_lines_order_line')
        batch_op.drop_index('ix_supplier_invoice_lines_invoice')

    op.drop_table('supplier_invoice_lines')
    with op.batch_alter_table('goods_receipt_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_goods_receipt_lines_receipt')
        batch_op.drop_index('ix_goods_receipt_lines_order_line')

    op.drop_table('goods_receipt_lines')
    with op.batch_alter_table('supplier_invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_invoices_status_created')
        batch_op.drop_index('ix_supplier_invoices_order')
        batch_op.drop_index('ix_supplier_invoices_created')

    op.drop_table('supplier_invoices')
    with op.batch_alter_table('purchase_order_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_purchase_order_lines_requisition_line')

    op.drop_table('purchase_order_lines')
    with op.batch_alter_table('goods_receipts', schema=None) as batch_op:
        batch_op.drop_index('ix_goods_receipts_order')
        batch_op.drop_index('ix_goods_receipts_created')

    op.drop_table('goods_receipts')
    op.drop_table('supplier_document_reminders')
    op.drop_table('requisition_lines')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index('ix_purchase_orders_supplier_created')
        batch_op.drop_index('ix_purchase_orders_status_created')
        batch_op.drop_index('ix_purchase_orders_department_created')
        batch_op.drop_index('ix_purchase_orders_created')
        batch_op.drop_index('ix_purchase_orders_contract')
        batch_op.drop_index('ix_purchase_orders_buyer_created')

    op.drop_table('purchase_orders')
    with op.batch_alter_table('supplier_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_documents_supplier')
        batch_op.drop_index('ix_supplier_documents_expiry', sqlite_where=sa.text('removed_at IS NULL'), postgresql_where=sa.text('removed_at IS NULL'))

    op.drop_table('supplier_documents')
    with op.batch_alter_table('supplier_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_supplier_contacts_supplier')
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_phone_index'))
        batch_op.drop_index(batch_op.f('ix_supplier_contacts_email_index'))

    op.drop_table('supplier_contacts')
    with op.batch_alter_table('requisitions', schema=None) as batch_op:
        batch_op.drop_index('ix_requisitions_status_created')
        batch_op.drop_index('ix_requisitions_requester_created')
        batch_op.drop_index('ix_requisitions_department_created')
        batch_op.drop_index('ix_requisitions_created')

    op.drop_table('requisitions')
    with op.batch_alter_table('budget_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_budget_entries_document')
        batch_op.drop_index('ix_budget_entries_budget')

    op.drop_table('budget_entries')
    with op.batch_alter_table('suppliers', schema=None) as batch_op:
        batch_op.drop_index('ix_suppliers_status_created')
        batch_op.drop_index('ix_suppliers_name_key')
        batch_op.drop_index('ix_suppliers_name')
        batch_op.drop_index('ix_suppliers_created')
        batch_op.drop_index('ix_suppliers_category_created')
        batch_op.drop_index(batch_op.f('ix_suppliers_bank_account_index'))

    op.drop_table('suppliers')
    op.drop_table('procurement_settings')
    with op.batch_alter_table('budgets', schema=None) as batch_op:
        batch_op.drop_index('ix_budgets_department_period')

    op.drop_table('budgets')


def _grant(permissions: dict[str, list[str]], scopes: dict[str, dict[str, str]]) -> None:
    granted = sa.table('role_permissions', sa.column('role', sa.String), sa.column('permission', sa.String))
    scoped = sa.table('role_scopes', sa.column('role', sa.String), sa.column('entity', sa.String),
                      sa.column('scope', sa.String))
    op.bulk_insert(granted, [{"role": r, "permission": p} for r, ps in permissions.items() for p in ps])
    op.bulk_insert(scoped, [{"role": r, "entity": e, "scope": s} for r, es in scopes.items() for e, s in es.items()])


def _revoke(permissions: dict[str, list[str]], scopes: dict[str, dict[str, str]]) -> None:
    for role, granted in permissions.items():
        for permission in granted:
            op.execute(sa.text("DELETE FROM role_permissions WHERE role = :r AND permission = :p")
                       .bindparams(r=role, p=permission))
    for role, entities in scopes.items():
        for entity in entities:
            op.execute(sa.text("DELETE FROM role_scopes WHERE role = :r AND entity = :e").bindparams(r=role, e=entity))
