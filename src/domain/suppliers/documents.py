"""Supplier documents (资质文件): licences and certificates with expiry dates, an optional file, and reminders
60, 30 and 7 days before they expire."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.shared.dates import parse_day
from domain.shared.errors import ValidationFailed
from domain.suppliers.models import DocumentAlert

KINDS = ("business_licence", "qualification", "quality_cert", "tax", "other")
REMINDER_DAYS = (60, 30, 7)
HORIZON = timedelta(days=max(REMINDER_DAYS))  # "expiring" means within the first reminder mark
TITLE_MAX, NUMBER_MAX = 200, 100


@dataclass(frozen=True)
class DocumentFields:
    kind: str
    title: str
    number: str
    issued_on: date | None
    expires_on: date | None


@dataclass(frozen=True)
class StoredFile:
    """An uploaded file: kept in the FileStore under `file_id`; the name is for display and download only."""

    file_id: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class SupplierDocument:
    id: int | None
    supplier_id: int
    fields: DocumentFields
    file: StoredFile | None
    uploaded_by: int
    uploaded_at: datetime
    removed_at: datetime | None = None
    uploader_name: str = ""
    open_reminder: int | None = None  # the nearest unacknowledged reminder mark (days before expiry)

    def alert(self, today: date) -> DocumentAlert | None:
        return expiry_alert(self.fields.expires_on, today)

    def days_left(self, today: date) -> int | None:
        return (self.fields.expires_on - today).days if self.fields.expires_on else None

    def audited(self) -> dict[str, object]:
        """What the audit trail keeps of the document (never the file's content)."""
        f = self.fields
        values: dict[str, object] = {"document_id": self.id, "kind": f.kind, "title": f.title, "number": f.number,
                                     "issued_on": _iso(f.issued_on), "expires_on": _iso(f.expires_on)}
        if self.file:
            values |= {"filename": self.file.filename, "size": self.file.size, "sha256": self.file.sha256}
        return values


@dataclass(frozen=True)
class ExpiringDocument:
    """A live document whose expiry date lies within the reminder horizon, with the marks recorded for it."""

    document_id: int
    supplier_id: int
    expires_on: date
    recorded: frozenset[int]


def expiry_alert(expires_on: date | None, today: date) -> DocumentAlert | None:
    """Expired (before today), expiring (within the horizon), or nothing to mark."""
    if expires_on is None or expires_on > today + HORIZON:
        return None
    return DocumentAlert.EXPIRED if expires_on < today else DocumentAlert.EXPIRING


def document_fields(raw: Mapping[str, str]) -> DocumentFields:
    """Validate a document form; raises ValidationFailed naming every bad field."""
    errors: dict[str, str] = {}
    kind = raw.get("kind", "").strip()
    if kind not in KINDS:
        errors["kind"] = "required" if not kind else "choice.invalid"
    title, number = " ".join(raw.get("title", "").split()), " ".join(raw.get("number", "").split())
    if not title:
        errors["title"] = "required"
    for field, value, limit in (("title", title, TITLE_MAX), ("number", number, NUMBER_MAX)):
        if len(value) > limit:
            errors[field] = "too_long"
    issued_on, expires_on = _date(raw, "issued_on", errors), _date(raw, "expires_on", errors)
    if issued_on and expires_on and expires_on < issued_on:
        errors["expires_on"] = "document.expires_before_issued"
    if errors:
        raise ValidationFailed(errors)
    return DocumentFields(kind, title, number, issued_on, expires_on)


def _date(raw: Mapping[str, str], field: str, errors: dict[str, str]) -> date | None:
    # old companies' certificates predate 2000
    return parse_day(raw.get(field, ""), field, errors, years=(1950, 2100), code="document.date_invalid")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
