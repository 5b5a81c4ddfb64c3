"""A supplier's contacts and documents through the views, the daily reminder run, and key rotation of the
supplier's sealed columns, on SQLite and PostgreSQL."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from adapters.keys import load_key_ring
from adapters.rotation import rotate_keys
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import _suppliers_daily, cli, crypto_of
from domain.contracts.reminders import local_today
from tests.builders import HTML, PDF
from tests.fakes import FakeClock
from tests.integration.conftest import csrf_of
from tests.integration.supplier_helpers import Office, days
from tests.integration.test_sensitive_fields import stored_bytes
from tests.supplier_builders import ACCOUNT
from web.deps import Dependencies

CONTACTS = {"HX-Request": "true", "HX-Target": "contacts"}
DOCUMENTS = {"HX-Request": "true", "HX-Target": "supplier-documents"}
PHONE, EMAIL = "13911112222", "li.na.canary@example.cn"


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Office:
    return Office(app, deps, engine)


@pytest.fixture
def supplier_id(office: Office) -> int:
    return office.register(office.client(office.buyer))


def upload(client: FlaskClient, supplier_id: int, fields: dict[str, str], filename: str = "",
           data: bytes = b"", **headers: str) -> TestResponse:
    form: dict[str, object] = fields | {"csrf_token": csrf_of(client, "/account")}
    if filename or data:
        form["file"] = FileStorage(io.BytesIO(data), filename)
    boundary, body = encode_multipart(form)
    return client.post(f"/suppliers/{supplier_id}/documents", data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


LICENCE = {"kind": "business_licence", "title": "营业执照", "number": "310115000123456", "issued_on": "2016-05-01",
           "expires_on": "2036-04-30"}


class TestContacts:
    def test_contacts_are_sealed_masked_and_revealed_with_an_audit_record(self, office: Office,
                                                                         supplier_id: int) -> None:
        buyer = office.client(office.buyer)

        added = office.post(buyer, f"/suppliers/{supplier_id}/contacts",
                            {"name": "李娜", "title": "销售经理", "phone": PHONE, "email": EMAIL}, **CONTACTS)
        [(contact_id,)] = office.query("SELECT id FROM supplier_contacts")
        manager = office.client(office.manager)
        shown = office.post(manager, f"/suppliers/{supplier_id}/contacts/{contact_id}/reveal/phone",
                            **{"HX-Request": "true", "HX-Target": f"contact-{contact_id}-phone"})

        assert added.status_code == 200 and "<html" not in added.text and "139****2222" in added.text
        assert PHONE not in added.text and EMAIL not in added.text and "Reveal" not in added.text
        assert PHONE.encode() not in stored_bytes(office.engine)
        assert shown.status_code == 200 and PHONE in shown.text
        [(_, _, after, _)] = office.audit("supplier.revealed")
        assert PHONE not in str(after) and "phone" in str(after)
        [(_, _, created, _)] = office.audit("supplier.contact_created")
        assert "139****2222" in str(created) and PHONE not in str(created)

    def test_invalid_contact_is_422_in_the_section_and_buyers_cannot_reveal(self, office: Office,
                                                                           supplier_id: int) -> None:
        buyer = office.client(office.buyer)

        bad = office.post(buyer, f"/suppliers/{supplier_id}/contacts", {"name": "", "phone": "call me"}, **CONTACTS)
        office.post(buyer, f"/suppliers/{supplier_id}/contacts", {"name": "李娜", "phone": PHONE})
        [(contact_id,)] = office.query("SELECT id FROM supplier_contacts")

        assert bad.status_code == 422 and "Fill in this field." in bad.text and 'value="call me"' in bad.text
        assert office.post(buyer, f"/suppliers/{supplier_id}/contacts/{contact_id}/reveal/phone").status_code == 403

    def test_edit_with_a_stale_version_is_refused_and_removal_works(self, office: Office, supplier_id: int) -> None:
        buyer = office.client(office.buyer)
        office.post(buyer, f"/suppliers/{supplier_id}/contacts", {"name": "李娜", "phone": PHONE})
        [(contact_id,)] = office.query("SELECT id FROM supplier_contacts")
        url = f"/suppliers/{supplier_id}/contacts/{contact_id}"

        form = buyer.get(url + "/edit", headers=CONTACTS).text
        saved = office.post(buyer, url, {"name": "李娜", "title": "总监", "version": "1"}, **CONTACTS)
        stale = office.post(buyer, url, {"name": "李娜", "title": "经理", "version": "1"}, **CONTACTS)
        removed = office.post(buyer, url + "/remove", {"version": "2"})

        assert 'placeholder="139****2222"' in form and "总监" in saved.text
        assert "someone changed this contact" in stale.text
        assert removed.status_code == 303 and office.query("SELECT count(*) FROM supplier_contacts")[0][0] == 0


class TestDocuments:
    def test_upload_download_and_remove(self, office: Office, supplier_id: int) -> None:
        buyer = office.client(office.buyer)

        added = upload(buyer, supplier_id, LICENCE, "营业执照.pdf", PDF, **DOCUMENTS)
        [(document_id, filename, sha)] = office.query("SELECT id, filename, sha256 FROM supplier_documents")
        download = office.client(office.finance).get(f"/suppliers/{supplier_id}/documents/{document_id}")
        removed = office.post(buyer, f"/suppliers/{supplier_id}/documents/{document_id}/remove", **DOCUMENTS)

        assert added.status_code == 200 and "营业执照" in added.text and "310115000123456" in added.text
        assert filename == "营业执照.pdf" and len(sha) == 64
        assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment;")
        assert "sandbox" in download.headers["Content-Security-Policy"]
        assert removed.status_code == 200 and "营业执照.pdf" not in removed.text
        assert office.query("SELECT count(*) FROM supplier_documents WHERE removed_at IS NOT NULL")[0][0] == 1
        assert office.client(office.buyer).get(f"/suppliers/{supplier_id}/documents/{document_id}").status_code == 404
        assert [a for a, in office.query("SELECT action FROM audit_events WHERE action LIKE 'supplier.document%' "
                                         "ORDER BY seq")] == ["supplier.document_added", "supplier.document_removed"]

    def test_metadata_only_documents_and_refused_files(self, office: Office, supplier_id: int) -> None:
        buyer = office.client(office.buyer)

        plain = upload(buyer, supplier_id, LICENCE | {"kind": "tax", "title": "一般纳税人资格"}, **DOCUMENTS)
        refused = upload(buyer, supplier_id, LICENCE | {"expires_on": "2010-01-01"}, "licence.pdf", HTML,
                         **DOCUMENTS)

        assert plain.status_code == 200 and "一般纳税人资格" in plain.text
        assert refused.status_code == 422 and "does not match its extension" in refused.text
        assert "The expiry date is before the issue date" in refused.text and 'value="310115000123456"' in refused.text
        assert office.query("SELECT count(*) FROM supplier_documents")[0][0] == 1

    def test_employees_cannot_upload(self, office: Office, supplier_id: int) -> None:
        assert upload(office.client(office.employee), supplier_id, LICENCE).status_code == 403
        assert office.query("SELECT count(*) FROM supplier_documents")[0][0] == 0


class TestDailyRun:
    def test_records_each_mark_once_shows_it_and_acknowledges(self, office: Office, deps: Dependencies,
                                                              supplier_id: int) -> None:
        today = local_today(deps.clock)
        soon, later = (office.add_document(supplier_id, days(today, offset)) for offset in (25, 90))
        office.add_document(supplier_id, days(today, 3), removed=True)

        first = _suppliers_daily(deps.uow, today)  # type: ignore[arg-type]
        again = _suppliers_daily(deps.uow, today)  # type: ignore[arg-type]
        buyer = office.client(office.buyer)
        page = buyer.get(f"/suppliers/{supplier_id}").text
        acknowledged = office.post(buyer, f"/suppliers/{supplier_id}/documents/{soon}/acknowledge", **DOCUMENTS)

        assert (first, again) == (1, 0)
        assert office.query("SELECT document_id, days_before FROM supplier_document_reminders") == [(soon, 30)]
        assert "Reminder 30 days before expiry" in page and "Expires in 25 days" in page
        assert "Acknowledge" not in acknowledged.text and later not in [r[0] for r in office.query(
            "SELECT document_id FROM supplier_document_reminders")]
        [(entity, _, after, actor)] = office.audit("supplier.document_reminder_due")
        assert entity == str(supplier_id) and actor is None and '"days_before": 30' in str(after).replace("'", '"')
        assert len(office.audit("supplier.document_reminder_acknowledged")) == 1


def test_key_rotation_re_encrypts_the_suppliers_sealed_columns(
        office: Office, supplier_id: int, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOUTAI_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("HOUTAI_BLIND_INDEX_KEY", raising=False)
    office.post(office.client(office.buyer), f"/suppliers/{supplier_id}/contacts",
                {"name": "李娜", "phone": PHONE, "email": EMAIL})

    lines = rotate_keys(engine, tmp_path, FakeClock())

    current = load_key_ring(tmp_path).current
    tokens = office.query("SELECT bank_account_enc FROM suppliers UNION ALL SELECT phone_enc FROM supplier_contacts "
                          "UNION ALL SELECT email_enc FROM supplier_contacts")
    assert f"Re-encrypted 3 values under {current}." in lines
    assert {bytes(token).split(b":", 1)[0] for token, in tokens} == {current.encode()}
    with SqlUnitOfWork(engine, crypto_of(tmp_path)) as uow:
        supplier = uow.suppliers.get(supplier_id)
        contact = uow.supplier_contacts.for_supplier(supplier_id)[0]
    assert supplier is not None and supplier.fields.bank_account == ACCOUNT
    assert (contact.fields.phone, contact.fields.email) == (PHONE, EMAIL)


def test_the_command_runs_for_a_given_day(office: Office, supplier_id: int, engine: Engine, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    office.add_document(supplier_id, date(2027, 3, 1))
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HOUTAI_VAR", str(tmp_path))

    first = CliRunner().invoke(cli, ["suppliers-daily", "--date", "2027-01-31"])
    again = CliRunner().invoke(cli, ["suppliers-daily", "--date", "2027-01-31"])

    assert first.exit_code == 0, first.output
    assert "Supplier document reminders recorded: 1." in first.output
    assert "Supplier document reminders recorded: 0." in again.output
    assert office.query("SELECT days_before FROM supplier_document_reminders") == [(30,)]


def test_the_worker_runs_it_daily_at_two_in_the_morning_server_time(office: Office, supplier_id: int,
                                                                     deps: Dependencies) -> None:
    office.add_document(supplier_id, days(local_today(deps.clock), 7))
    huey = deps.jobs.huey  # type: ignore[attr-defined]
    two_am = datetime.combine(local_today(deps.clock), datetime.min.time()).replace(hour=2).astimezone()
    at = two_am.astimezone(UTC).replace(tzinfo=None)  # huey keeps naive UTC

    due = huey.read_periodic(at)

    assert [task.name for task in due] == ["houtai.suppliers_daily"]
    huey.execute(due[0])
    assert office.query("SELECT days_before FROM supplier_document_reminders") == [(7,)]
