"""Attachments through the views on real databases: upload, download, removal, limits, and record scope (F1–F4, F7)."""

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.contracts.attachments import MAX_ATTACHMENT_BYTES
from domain.identity.models import Actor
from tests.builders import ELF, HTML, PDF
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.contract_helpers import add_contract
from web.deps import Dependencies

HTMX = {"HX-Request": "true", "HX-Target": "contract-attachments"}


class Office:
    """Two reps of one department (each owns their contracts), and finance, who reads every contract."""

    def __init__(self, app: Flask, deps: Dependencies, engine: Engine) -> None:
        department = add_department(engine, "销售部")
        self.app, self.deps, self.engine = app, deps, engine
        self.ada = add_user(SqlUnitOfWork(engine), "ada", {"sales_rep"}, department)
        self.bob = add_user(SqlUnitOfWork(engine), "bob", {"sales_rep"}, department)
        self.finance = add_user(SqlUnitOfWork(engine), "fay", {"finance"}, department)
        self.contract = add_contract(engine, self.ada, number="HT-2026-0042", title="华东区维保合同")

    def client(self, actor: Actor) -> FlaskClient:
        client = self.app.test_client()
        sign_in_as(client, self.deps, actor)
        return client

    def url(self, suffix: str = "") -> str:
        return f"/contracts/{self.contract}/attachments{suffix}"

    def upload(self, client: FlaskClient, filename: str, data: bytes, **headers: str) -> TestResponse:
        # encoded here, in memory: the test client would spool a large body to a temporary file it never closes
        boundary, body = encode_multipart({"csrf_token": csrf_of(client, "/account"),
                                           "file": FileStorage(io.BytesIO(data), filename)})
        return client.post(self.url(), data=body, content_type=f"multipart/form-data; boundary={boundary}",
                           headers=headers)

    def rows(self) -> list[tuple[int, str, int, str | None]]:
        with self.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(  # type: ignore[misc]
                "SELECT id, filename, amendment, removed_at FROM contract_attachments ORDER BY id"))]

    def actions(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(connection.execute(text("SELECT action FROM audit_events WHERE action LIKE 'contract.%' "
                                                "ORDER BY seq")).scalars())


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Office:
    return Office(app, deps, engine)


def stored_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "files").rglob("*") if p.is_file()]


def test_upload_then_download_as_a_sandboxed_attachment(office: Office, tmp_path: Path) -> None:
    ada = office.client(office.ada)

    uploaded = office.upload(ada, "../../华东 合同.pdf", PDF)
    page = ada.get(office.url())
    attachment_id = office.rows()[0][0]
    download = ada.get(office.url(f"/{attachment_id}"))

    assert uploaded.status_code == 303 and uploaded.headers["Location"] == f"/contracts/{office.contract}"
    assert "Original" in page.text and "华东 合同.pdf" in page.text and "HT-2026-0042" in page.text
    assert download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == \
        "attachment; filename=\"_____.pdf\"; filename*=UTF-8''%E5%8D%8E%E4%B8%9C%20%E5%90%88%E5%90%8C.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert [p.read_bytes() for p in stored_files(tmp_path)] == [PDF]
    assert all("合同" not in str(p) and ".pdf" not in str(p) for p in stored_files(tmp_path))
    assert office.actions() == ["contract.attachment_added"]


def test_htmx_upload_returns_only_the_section(office: Office) -> None:
    response = office.upload(office.client(office.ada), "scan.pdf", PDF, **HTMX)

    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="contract-attachments"' in response.text and "scan.pdf" in response.text


@pytest.mark.parametrize(("data", "message"), [(HTML, "does not match its extension"),
                                               (ELF, "does not match its extension"),
                                               (b"", "The file is empty")])
def test_a_refused_file_gets_422_with_the_reason_and_leaves_nothing(office: Office, tmp_path: Path, data: bytes,
                                                                    message: str) -> None:
    response = office.upload(office.client(office.ada), "invoice.pdf", data, **HTMX)

    assert response.status_code == 422 and message in response.text and 'aria-invalid="true"' in response.text
    assert office.rows() == [] and stored_files(tmp_path) == []


@pytest.mark.parametrize("size", [MAX_ATTACHMENT_BYTES + 1, MAX_ATTACHMENT_BYTES + 1024 * 1024])
def test_over_the_limit_is_413_and_leaves_nothing(office: Office, tmp_path: Path, size: int) -> None:
    response = office.upload(office.client(office.ada), "big.pdf", PDF.ljust(size, b" "))

    assert response.status_code == 413 and "larger than 20 MB" in response.text
    assert office.rows() == [] and stored_files(tmp_path) == []


def test_the_larger_limit_is_only_for_the_upload(office: Office) -> None:
    ada = office.client(office.ada)

    response = ada.post("/work/contracts/1/acknowledge", data={"csrf_token": csrf_of(ada, "/account"),
                                                               "padding": "x" * (3 * 1024 * 1024)})

    assert response.status_code == 413


def test_a_file_at_the_limit_is_accepted(office: Office) -> None:
    response = office.upload(office.client(office.ada), "big.pdf", PDF.ljust(MAX_ATTACHMENT_BYTES, b" "))

    assert response.status_code == 303 and office.rows()[0][1] == "big.pdf"


def test_uploads_are_grouped_by_the_amendment_they_were_made_at(office: Office) -> None:
    ada = office.client(office.ada)
    office.upload(ada, "original.pdf", PDF)
    with SqlUnitOfWork(office.engine) as uow:
        contract = uow.contracts.get(office.contract, office.ada)
        assert contract is not None
        contract.amendment, contract.version = 1, contract.version + 1
        uow.contracts.update(contract, contract.version - 1)
        uow.commit()

    office.upload(ada, "amendment.pdf", PDF)
    section = ada.get(office.url()).text.split('id="contract-attachments"', 1)[1]

    assert [(name, amendment) for _, name, amendment, _ in office.rows()] == [("original.pdf", 0),
                                                                             ("amendment.pdf", 1)]
    assert section.index("Original") < section.index("original.pdf") < section.index("Amendment 1") \
        < section.index("amendment.pdf")


def test_removal_is_soft_audited_and_ends_the_download(office: Office, tmp_path: Path) -> None:
    ada = office.client(office.ada)
    office.upload(ada, "old.pdf", PDF)
    attachment_id = office.rows()[0][0]

    response = ada.post(office.url(f"/{attachment_id}/remove"), data={"csrf_token": csrf_of(ada, "/account")},
                        headers=HTMX)

    assert response.status_code == 200 and "old.pdf" not in response.text.split("</h2>", 1)[1].split("role=")[0]
    assert "No attachments yet." in response.text
    assert office.rows()[0][3] is not None and len(stored_files(tmp_path)) == 1
    assert ada.get(office.url(f"/{attachment_id}")).status_code == 404
    assert office.actions() == ["contract.attachment_added", "contract.attachment_removed"]


def test_another_rep_gets_404_for_everything_and_changes_nothing(office: Office, tmp_path: Path) -> None:
    office.upload(office.client(office.ada), "secret-terms.pdf", PDF)
    attachment_id = office.rows()[0][0]
    bob = office.client(office.bob)
    token = csrf_of(bob, "/account")

    answers = [bob.get(office.url()), bob.get(office.url(f"/{attachment_id}")),
               office.upload(bob, "mine.pdf", PDF),
               bob.post(office.url(f"/{attachment_id}/remove"), data={"csrf_token": token})]

    for answer in answers:
        assert answer.status_code == 404
        assert "secret-terms" not in answer.text and "HT-2026-0042" not in answer.text and PDF not in answer.data
    assert [(name, removed) for _, name, _, removed in office.rows()] == [("secret-terms.pdf", None)]
    assert len(stored_files(tmp_path)) == 1


def test_a_reader_may_download_but_not_attach_or_remove(office: Office) -> None:
    office.upload(office.client(office.ada), "terms.pdf", PDF)
    attachment_id = office.rows()[0][0]
    finance = office.client(office.finance)
    token = csrf_of(finance, "/account")

    page = finance.get(office.url())

    assert page.status_code == 200 and "terms.pdf" in page.text and 'type="file"' not in page.text
    assert finance.get(office.url(f"/{attachment_id}")).data == PDF
    assert office.upload(finance, "x.pdf", PDF).status_code == 403
    assert finance.post(office.url(f"/{attachment_id}/remove"), data={"csrf_token": token}).status_code == 403
    assert [removed for *_, removed in office.rows()] == [None]
