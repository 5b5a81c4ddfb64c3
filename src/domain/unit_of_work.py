"""The unit of work: one database transaction with a repository per aggregate plus the audit log."""

from types import TracebackType
from typing import Protocol, Self

from domain.administration.ports import DepartmentRepository
from domain.administration.role_ports import RoleRepository
from domain.audit.ports import AuditLog
from domain.contracts.ports import ContractRepository
from domain.customers.ports import CustomerRepository, FollowUpRepository
from domain.identity.ports import SessionRepository, UserRepository
from domain.imports.ports import ImportRepository
from domain.jobs.ports import JobRepository


class UnitOfWork(Protocol):
    """One transaction; `with uow:` rolls back unless `commit()` was called."""

    @property
    def users(self) -> UserRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...
    @property
    def follow_ups(self) -> FollowUpRepository: ...
    @property
    def roles(self) -> RoleRepository: ...
    @property
    def departments(self) -> DepartmentRepository: ...
    @property
    def contracts(self) -> ContractRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def imports(self) -> ImportRepository: ...
    @property
    def audit(self) -> AuditLog: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
