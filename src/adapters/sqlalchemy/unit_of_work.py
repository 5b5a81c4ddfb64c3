"""The SQL unit of work: one connection, one transaction, the repositories on it."""

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import IntegrityError

from adapters.crypto.fields import UNCONFIGURED, FieldCrypto
from adapters.sqlalchemy.administration import SqlDepartmentRepository
from adapters.sqlalchemy.approvals import SqlApprovalRepository, SqlDelegationRepository
from adapters.sqlalchemy.audit import SqlAuditLog
from adapters.sqlalchemy.budgets import SqlBudgetRepository
from adapters.sqlalchemy.contacts import SqlContactRepository, SqlSupplierContactRepository
from adapters.sqlalchemy.contract_parties import SqlPartyDirectory
from adapters.sqlalchemy.contract_upkeep import SqlContractAttachmentRepository, SqlContractReminderRepository
from adapters.sqlalchemy.contracts import SqlContractRepository
from adapters.sqlalchemy.customers import SqlCustomerRepository, SqlFollowUpRepository
from adapters.sqlalchemy.identity import SqlSessionRepository, SqlUserRepository
from adapters.sqlalchemy.imports import SqlImportRepository
from adapters.sqlalchemy.invoicing import SqlInvoiceRepository
from adapters.sqlalchemy.jobs import SqlJobRepository
from adapters.sqlalchemy.merges import SqlMergeRepository
from adapters.sqlalchemy.ordering import SqlOrderSources
from adapters.sqlalchemy.procurement_settings import SqlProcurementSettings
from adapters.sqlalchemy.purchase_orders import SqlPurchaseOrderRepository
from adapters.sqlalchemy.receiving import SqlReceivingRepository
from adapters.sqlalchemy.requisitions import SqlRequisitionRepository
from adapters.sqlalchemy.roles import SqlRoleRepository
from adapters.sqlalchemy.saved_views import SqlSavedViewRepository
from adapters.sqlalchemy.sequences import SqlNumberSequences
from adapters.sqlalchemy.supplier_documents import SqlSupplierDocumentRepository
from adapters.sqlalchemy.supplier_scorecard import SqlSupplierScorecardReader
from adapters.sqlalchemy.suppliers import SqlSupplierRepository
from adapters.sqlalchemy.tags import SqlTagRepository
from domain.shared.errors import Conflict


class SqlUnitOfWork:
    """Use once per `with` block; it may be entered again afterwards for a new transaction.

    Without `crypto` it works until a sensitive column is written or read, and then refuses.
    """

    def __init__(self, engine: Engine, crypto: FieldCrypto = UNCONFIGURED) -> None:
        self._engine = engine
        self._crypto = crypto
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> Self:
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        self.users = SqlUserRepository(self._connection)
        self.sessions = SqlSessionRepository(self._connection)
        self.customers = SqlCustomerRepository(self._connection, self._crypto)
        self.follow_ups = SqlFollowUpRepository(self._connection)
        self.contacts = SqlContactRepository(self._connection, self._crypto)
        self.merges = SqlMergeRepository(self._connection)
        self.roles = SqlRoleRepository(self._connection)
        self.departments = SqlDepartmentRepository(self._connection)
        self.contracts = SqlContractRepository(self._connection)
        self.contract_attachments = SqlContractAttachmentRepository(self._connection)
        self.contract_reminders = SqlContractReminderRepository(self._connection)
        self.jobs = SqlJobRepository(self._connection)
        self.approvals = SqlApprovalRepository(self._connection)
        self.delegations = SqlDelegationRepository(self._connection)
        self.sequences = SqlNumberSequences(self._connection)
        self.tags = SqlTagRepository(self._connection)
        self.saved_views = SqlSavedViewRepository(self._connection)
        self.imports = SqlImportRepository(self._connection, self._crypto)
        self.budgets = SqlBudgetRepository(self._connection)
        self.requisitions = SqlRequisitionRepository(self._connection)
        self.contract_parties = SqlPartyDirectory(self._connection)
        self.receiving = SqlReceivingRepository(self._connection)
        self.invoices = SqlInvoiceRepository(self._connection)
        self.procurement_settings = SqlProcurementSettings(self._connection)
        self.suppliers = SqlSupplierRepository(self._connection, self._crypto)
        self.supplier_contacts = SqlSupplierContactRepository(self._connection, self._crypto)
        self.supplier_documents = SqlSupplierDocumentRepository(self._connection)
        self.supplier_scorecards = SqlSupplierScorecardReader(self._connection)
        self.purchase_orders = SqlPurchaseOrderRepository(self._connection)
        self.order_sources = SqlOrderSources(self._connection)
        self.audit = SqlAuditLog(self._connection)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._connection is not None and self._transaction is not None
        if self._transaction.is_active:
            self._transaction.rollback()  # discards work on error or read-only use
        self._connection.close()
        if isinstance(exc, IntegrityError):  # a unique rule lost a race: a domain conflict, not a crash
            raise Conflict(str(exc.orig)) from exc

    def commit(self) -> None:
        assert self._transaction is not None
        try:
            self._transaction.commit()
        except IntegrityError as error:
            raise Conflict(str(error.orig)) from error
