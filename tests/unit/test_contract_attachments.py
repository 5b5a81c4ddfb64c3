"""Attachment rules: extension allow-list AND content sniffing, display names that are never paths, scoped services."""

import hashlib

import pytest

from domain.contracts import attachment_services as services
from domain.contracts.attachments import OLE, accepted_kind, clean_filename, sniff
from domain.shared.errors import NotFound, PermissionDenied, ValidationFailed
from tests.builders import ELF, HTML, NOW, PDF, PNG, a_contract, a_user, an_actor, ooxml
from tests.fakes import FakeClock, FakeFileStore, FakeUnitOfWork

DOCX = ooxml("[Content_Types].xml", "word/document.xml")
XLSX = ooxml("[Content_Types].xml", "xl/workbook.xml")
PPTX = ooxml("[Content_Types].xml", "ppt/presentation.xml")


@pytest.mark.parametrize(("data", "kind"), [
    (PDF, "pdf"), (PNG, "png"), (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"), (b"GIF89a\x01\x00", "gif"),
    (b"GIF87a\x01\x00", "gif"), (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"), (DOCX, "docx"), (XLSX, "xlsx"),
    (PPTX, "pptx"), (OLE + bytes(504), "ole"), (HTML, None), (ELF, None), (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
    (ooxml("word/document.xml"), None), (ooxml("[Content_Types].xml", "content.xml"), None),
    (b"PK\x03\x04 not really a zip", None), (b"", None),
])
def test_sniff_reads_magic_bytes_and_office_main_parts(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(("filename", "data", "content_type"), [
    ("合同.pdf", PDF, "application/pdf"), ("SCAN.JPG", b"\xff\xd8\xff\xdb", "image/jpeg"),
    ("报价.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("old.doc", OLE + bytes(8), "application/msword"), ("old.xls", OLE + bytes(8), "application/vnd.ms-excel"),
])
def test_accepted_files_get_the_type_of_their_extension(filename: str, data: bytes, content_type: str) -> None:
    assert accepted_kind(filename, data).content_type == content_type


@pytest.mark.parametrize(("filename", "data", "code"), [
    ("invoice.pdf", HTML, "attachment.content_mismatch"),  # a web page renamed to .pdf
    ("invoice.pdf", ELF, "attachment.content_mismatch"),  # a program renamed to .pdf
    ("photo.jpg", PNG, "attachment.content_mismatch"),
    ("terms.docx", XLSX, "attachment.content_mismatch"),
    ("page.html", HTML, "attachment.type_not_allowed"),
    ("drawing.svg", b"<svg><script>alert(1)</script></svg>", "attachment.type_not_allowed"),
    ("archive.zip", DOCX, "attachment.type_not_allowed"),
    ("pdf", PDF, "attachment.type_not_allowed"),  # no extension at all
    ("empty.pdf", b"", "attachment.empty"),
])
def test_refused_files_say_why(filename: str, data: bytes, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        accepted_kind(filename, data)

    assert refused.value.errors == {"file": code}


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_is_not() -> None:
    accepted_kind("a.pdf", PDF.ljust(100, b" "), max_bytes=100)

    with pytest.raises(ValidationFailed, match=r"attachment\.too_large"):
        accepted_kind("a.pdf", PDF.ljust(101, b" "), max_bytes=100)


@pytest.mark.parametrize(("raw", "clean"), [
    ("../../app.py", "app.py"), ("..\\..\\x.pdf", "x.pdf"), ("%2e%2e%2fx.pdf", "%2e%2e%2fx.pdf"),
    ("a\x00b.pdf", "ab.pdf"), ("C:\\Users\\王\\合同 final.pdf", "合同 final.pdf"), (".htaccess", "htaccess"),
    ("evil\u202efdp.exe", "evilfdp.exe"), ("line\nbreak.pdf", "linebreak.pdf"), ("全角\u3000空格.pdf", "全角 空格.pdf"),
    ("", "attachment"), ("../", "attachment"), ("  . ", "attachment"),
])
def test_clean_filename_keeps_only_a_display_name(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_clean_filename_shortens_long_names_but_keeps_the_extension() -> None:
    name = clean_filename("长" * 300 + ".pdf")

    assert len(name) == 200 and name.endswith("长.pdf")


class TestServices:
    def setup_method(self) -> None:
        self.uow, self.files, self.clock = FakeUnitOfWork(), FakeFileStore(), FakeClock(NOW)
        self.rep = an_actor(self.uow.users.users[self.uow.users.add(a_user())])
        other = self.uow.users.add(a_user(username="other"))
        self.other = an_actor(self.uow.users.users[other])
        self.contract_id = self.uow.contracts.add(a_contract(owner_id=self.rep.user_id, amendment=2))

    def add(self, filename: str = "合同.pdf", data: bytes = PDF, actor_is_rep: bool = True) -> int:
        attachment = services.add_attachment(self.contract_id, filename, data, actor=self.rep if actor_is_rep
                                             else self.other, uow=self.uow, clock=self.clock, files=self.files)
        return attachment.id or 0

    def test_adding_stores_the_bytes_under_a_generated_id_at_the_current_amendment(self) -> None:
        attachment = self.uow.contract_attachments.rows[self.add("../../合同.pdf")]

        assert self.files.get(attachment.file_id) == PDF and "合同" not in attachment.file_id
        assert (attachment.filename, attachment.amendment, attachment.size) == ("合同.pdf", 2, len(PDF))
        assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
        assert self.uow.audit.events[-1].action == "contract.attachment_added"
        assert self.uow.audit.events[-1].after == {"attachment_id": attachment.id, "filename": "合同.pdf",
                                                   "size": len(PDF), "sha256": attachment.sha256, "amendment": 2}

    def test_a_refused_file_stores_nothing(self) -> None:
        with pytest.raises(ValidationFailed):
            self.add("x.pdf", HTML)

        assert self.files.blobs == {} and not self.uow.committed

    def test_no_file_chosen_is_asked_for(self) -> None:
        with pytest.raises(ValidationFailed, match=r"attachment\.required"):
            self.add("", b"")

    def test_someone_else_s_contract_is_not_found_and_nothing_is_stored(self) -> None:
        with pytest.raises(NotFound):
            self.add(actor_is_rep=False)

        assert self.files.blobs == {} and self.uow.contract_attachments.rows == {}

    def test_reading_without_contract_update_may_not_attach(self) -> None:
        finance_id = self.uow.users.add(a_user(username="fin", roles=frozenset({"finance"})))
        finance = an_actor(self.uow.users.users[finance_id])

        with pytest.raises(PermissionDenied):
            services.add_attachment(self.contract_id, "a.pdf", PDF, actor=finance, uow=self.uow, clock=self.clock,
                                    files=self.files)

    def test_listing_groups_by_amendment(self) -> None:
        self.add("first.pdf")
        self.uow.contracts.rows[self.contract_id].amendment = 0
        self.add("original.pdf")

        groups = services.list_attachments(self.contract_id, actor=self.rep, uow=self.uow).groups

        assert [(g.amendment, [a.filename for a in g.attachments]) for g in groups] == \
            [(0, ["original.pdf"]), (2, ["first.pdf"])]

    def test_a_removed_attachment_is_gone_from_the_list_and_the_download_but_audited(self) -> None:
        attachment_id = self.add()

        services.remove_attachment(self.contract_id, attachment_id, actor=self.rep, uow=self.uow, clock=self.clock)

        assert services.list_attachments(self.contract_id, actor=self.rep, uow=self.uow).groups == []
        with pytest.raises(NotFound):
            services.open_attachment(self.contract_id, attachment_id, actor=self.rep, uow=self.uow, files=self.files)
        assert self.uow.audit.actions()[-1] == "contract.attachment_removed"

    def test_an_attachment_is_only_reachable_through_its_own_contract(self) -> None:
        attachment_id = self.add()
        mine = self.uow.contracts.add(a_contract(number="HT-2", owner_id=self.rep.user_id))

        with pytest.raises(NotFound):
            services.open_attachment(mine, attachment_id, actor=self.rep, uow=self.uow, files=self.files)
        with pytest.raises(NotFound):
            services.open_attachment(self.contract_id, attachment_id, actor=self.other, uow=self.uow,
                                     files=self.files)
