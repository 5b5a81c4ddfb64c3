"""Attaching files to contracts: only to contracts in the actor's scope, checked by content, stored under random ids."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from domain.audit.models import AuditEvent
from domain.contracts.attachments import MAX_ATTACHMENT_BYTES, Attachment, checked_upload
from domain.contracts.models import Contract
from domain.identity.access import require
from domain.identity.models import Actor
from domain.identity.permissions import Permission
from domain.jobs.ports import FileStore
from domain.shared.errors import NotFound
from domain.shared.ports import Clock
from domain.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AttachmentGroup:
    amendment: int  # 0 = the original contract
    attachments: list[Attachment]


@dataclass(frozen=True)
class ContractAttachments:
    contract: Contract
    groups: list[AttachmentGroup]


def list_attachments(contract_id: int, *, actor: Actor, uow: UnitOfWork) -> ContractAttachments:
    """The contract's attachments grouped by amendment; NotFound unless the contract is in the actor's scope."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        contract = _in_scope(contract_id, actor, uow)
        rows = uow.contract_attachments.for_contract(contract_id)
    groups = [AttachmentGroup(amendment, list(items)) for amendment, items in groupby(rows, lambda a: a.amendment)]
    return ContractAttachments(contract, groups)


def add_attachment(contract_id: int, filename: str, data: bytes, *, actor: Actor, uow: UnitOfWork, clock: Clock,
                   files: FileStore, max_bytes: int = MAX_ATTACHMENT_BYTES) -> Attachment:
    """Attach a file to the contract's current amendment; ValidationFailed for a refused type, size or content."""
    require(actor, Permission.CONTRACT_UPDATE)
    name, kind = checked_upload(filename, data, max_bytes)
    with uow:
        contract = _in_scope(contract_id, actor, uow)
        file_id = files.put(data)
        attachment = Attachment(None, contract_id, contract.amendment, file_id, name, kind.content_type, len(data),
                                hashlib.sha256(data).hexdigest(), actor.user_id, clock.now())
        try:
            attachment.id = uow.contract_attachments.add(attachment)
            uow.audit.append(_event("contract.attachment_added", attachment, actor, attachment.uploaded_at))
            uow.commit()
        except BaseException:
            files.delete(file_id)  # no stored file without its row
            raise
    return attachment


def open_attachment(contract_id: int, attachment_id: int, *, actor: Actor, uow: UnitOfWork,
                    files: FileStore) -> tuple[Attachment, bytes]:
    """An attachment and its bytes; NotFound unless its contract is in the actor's scope and it is not removed."""
    require(actor, Permission.CONTRACT_READ)
    with uow:
        attachment = _attachment(contract_id, attachment_id, actor, uow)
    return attachment, files.get(attachment.file_id)


def remove_attachment(contract_id: int, attachment_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock) -> None:
    """Remove an attachment from the contract (kept on disk and in the audit trail)."""
    require(actor, Permission.CONTRACT_UPDATE)
    with uow:
        attachment = _attachment(contract_id, attachment_id, actor, uow)
        assert attachment.id is not None
        now = clock.now()
        uow.contract_attachments.mark_removed(attachment.id, now)
        uow.audit.append(_event("contract.attachment_removed", attachment, actor, now, removed=True))
        uow.commit()


def _in_scope(contract_id: int, actor: Actor, uow: UnitOfWork) -> Contract:
    contract = uow.contracts.get(contract_id, actor)
    if contract is None:
        raise NotFound()
    return contract


def _attachment(contract_id: int, attachment_id: int, actor: Actor, uow: UnitOfWork) -> Attachment:
    _in_scope(contract_id, actor, uow)
    attachment = uow.contract_attachments.get(attachment_id)
    if attachment is None or attachment.contract_id != contract_id or attachment.removed_at is not None:
        raise NotFound()
    return attachment


def _event(action: str, attachment: Attachment, actor: Actor, at: datetime, removed: bool = False) -> AuditEvent:
    values = {"attachment_id": attachment.id, "filename": attachment.filename, "size": attachment.size,
              "sha256": attachment.sha256, "amendment": attachment.amendment}
    return AuditEvent(action, at, actor.user_id, actor.ip, "contract", str(attachment.contract_id),
                      before=values if removed else None, after=None if removed else values)
