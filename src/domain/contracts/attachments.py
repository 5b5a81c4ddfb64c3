"""Contract attachments (附件): which files are accepted, judged by extension AND content, and their display names.

The user's file name is only ever shown, never used as a path: files are stored under generated ids.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime

from domain.shared.errors import ValidationFailed

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_NAME_LENGTH = 200
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file header of legacy .doc/.xls
_OOXML = "application/vnd.openxmlformats-officedocument."


@dataclass(frozen=True)
class FileKind:
    """An accepted file type: what its content must look like, and the type it is served as."""

    content: str  # what `sniff` must report for a file with this extension
    content_type: str


KINDS = {
    "pdf": FileKind("pdf", "application/pdf"),
    "png": FileKind("png", "image/png"),
    "jpg": FileKind("jpeg", "image/jpeg"),
    "jpeg": FileKind("jpeg", "image/jpeg"),
    "gif": FileKind("gif", "image/gif"),
    "webp": FileKind("webp", "image/webp"),
    "docx": FileKind("docx", _OOXML + "wordprocessingml.document"),
    "xlsx": FileKind("xlsx", _OOXML + "spreadsheetml.sheet"),
    "pptx": FileKind("pptx", _OOXML + "presentationml.presentation"),
    "doc": FileKind("ole", "application/msword"),
    "xls": FileKind("ole", "application/vnd.ms-excel"),
}
_SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"),
               (b"GIF89a", "gif"), (OLE, "ole"))
_OOXML_MAIN_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))


@dataclass
class Attachment:
    """A file attached to a contract at a given amendment (0 = the original); removal is soft."""

    id: int | None
    contract_id: int
    amendment: int
    file_id: str
    filename: str  # for display and the download's name only
    content_type: str
    size: int
    sha256: str
    uploaded_by: int
    uploaded_at: datetime
    removed_at: datetime | None = None
    uploader_name: str = ""


def sniff(data: bytes) -> str | None:
    """What the bytes are by their magic numbers (an OOXML kind for Office ZIPs), or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"PK\x03\x04":
        return _ooxml_kind(data)
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


def _ooxml_kind(data: bytes) -> str | None:
    """Reads only the ZIP's directory (never extracts), so a compressed bomb costs nothing here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OOXML_MAIN_PARTS if part in names), None)


def clean_filename(raw: str) -> str:
    """A display name: the last path segment, without control or format characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(c)[0] == "Z" else c for c in name if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        suffix = dot + extension if dot and stem and len(extension) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
    return name or "attachment"


def extension_of(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    return extension.lower() if dot and stem else ""


def accepted_kind(filename: str, data: bytes, max_bytes: int = MAX_ATTACHMENT_BYTES) -> FileKind:
    """The kind of an upload whose extension is allowed and whose content matches it; ValidationFailed otherwise."""
    kind = KINDS.get(extension_of(filename))
    if not data:
        raise ValidationFailed({"file": "attachment.empty"})
    if len(data) > max_bytes:
        raise ValidationFailed({"file": "attachment.too_large"})
    if kind is None:
        raise ValidationFailed({"file": "attachment.type_not_allowed"})
    if sniff(data) != kind.content:
        raise ValidationFailed({"file": "attachment.content_mismatch"})
    return kind


def checked_upload(filename: str, data: bytes, max_bytes: int = MAX_ATTACHMENT_BYTES) -> tuple[str, FileKind]:
    """The display name and kind of an uploaded file; ValidationFailed when none was chosen or it is refused."""
    if not filename and not data:  # what a browser sends when no file was chosen
        raise ValidationFailed({"file": "attachment.required"})
    name = clean_filename(filename)
    return name, accepted_kind(name, data, max_bytes)
