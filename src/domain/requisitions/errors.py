"""Requisition refusals; codes map to messages in web/i18n.py."""

from domain.shared.errors import DomainError


class NoDepartment(DomainError):
    """The actor belongs to no department, and a requisition is always raised for the requester's department."""

    code = "requisition.no_department"
