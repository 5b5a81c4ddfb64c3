"""A supplier's contacts and documents with fakes: validation reused from customers and contract attachments,
masks in audit records, reveal rules, soft removal, and the daily reminder run at 60/30/7 days."""

from datetime import date, timedelta

import pytest

from domain.shared.errors import NotFound, PermissionDenied, ReauthenticationRequired, ValidationFailed
from domain.suppliers import contact_services as contacts, document_services as documents, services
from domain.suppliers.lifecycle import StatusAction
from domain.suppliers.status import change_supplier_status
from tests.builders import HTML, NOW, PDF
from tests.fakes import FakeClock, FakeFileStore, FakeUnitOfWork
from tests.supplier_builders import procurement_actor, supplier_form

BUYER, MANAGER = procurement_actor("buyer"), procurement_actor("procurement_manager", 2, fresh=True)
TODAY = date(2026, 11, 25)
CONTACT = {"name": "李娜", "title": "销售经理", "phone": "13911112222", "email": "li.na@example.cn"}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def supplier_id(uow: FakeUnitOfWork) -> int:
    return services.register_supplier(supplier_form(), "t", actor=BUYER, uow=uow, clock=FakeClock()).id or 0


class TestContacts:
    def test_add_validates_like_customer_contacts_and_audits_masks(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        with pytest.raises(ValidationFailed) as refused:
            contacts.add_supplier_contact(supplier_id, {"name": "", "phone": "call me"}, actor=BUYER, uow=uow,
                                          clock=FakeClock())
        contact = contacts.add_supplier_contact(supplier_id, CONTACT, actor=BUYER, uow=uow, clock=FakeClock())

        assert refused.value.errors == {"name": "required", "phone": "phone.invalid"}
        event = uow.audit.events[-1]
        assert (event.action, event.entity_id) == ("supplier.contact_created", str(supplier_id))
        assert event.after == {"name": "李娜", "title": "销售经理", "phone": "139****2222", "email": "l***@example.cn",
                               "notes": "", "contact_id": contact.id}

    def test_update_keeps_unentered_phone_and_remove_deletes(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        contact = contacts.add_supplier_contact(supplier_id, CONTACT, actor=BUYER, uow=uow, clock=FakeClock())

        edited = CONTACT | {"phone": "", "title": "总监"}
        updated = contacts.update_supplier_contact(supplier_id, contact.id or 0, edited, 1, actor=BUYER, uow=uow,
                                                   clock=FakeClock())
        contacts.remove_supplier_contact(supplier_id, contact.id or 0, 2, actor=BUYER, uow=uow, clock=FakeClock())

        assert (updated.fields.phone, updated.fields.title, updated.version) == ("13911112222", "总监", 2)
        assert uow.supplier_contacts.rows == {}
        assert uow.audit.actions()[-2:] == ["supplier.contact_updated", "supplier.contact_removed"]

    def test_reveal_needs_supplier_reveal_and_step_up(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        contact_id = contacts.add_supplier_contact(supplier_id, CONTACT, actor=BUYER, uow=uow, clock=FakeClock()).id
        stale_manager = procurement_actor("procurement_manager", 2)

        with pytest.raises(PermissionDenied):
            contacts.reveal_supplier_contact_field(supplier_id, contact_id or 0, "phone", actor=BUYER, uow=uow,
                                                   clock=FakeClock())
        with pytest.raises(ReauthenticationRequired):
            contacts.reveal_supplier_contact_field(supplier_id, contact_id or 0, "phone", actor=stale_manager,
                                                   uow=uow, clock=FakeClock())
        phone = contacts.reveal_supplier_contact_field(supplier_id, contact_id or 0, "phone", actor=MANAGER, uow=uow,
                                                       clock=FakeClock())

        assert phone == "13911112222"
        assert uow.audit.events[-1].after == {"field": "phone", "contact_id": contact_id}

    def test_a_contact_of_another_supplier_is_not_found(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        other = services.register_supplier(supplier_form(name="别家", credit_code=""), "t2", actor=BUYER, uow=uow,
                                           clock=FakeClock()).id or 0
        contact_id = contacts.add_supplier_contact(other, CONTACT, actor=BUYER, uow=uow, clock=FakeClock()).id or 0

        with pytest.raises(NotFound):
            contacts.supplier_contact(supplier_id, contact_id, actor=BUYER, uow=uow)


class TestDocuments:
    def add(self, uow: FakeUnitOfWork, supplier_id: int, files: FakeFileStore, expires_in: int | None = 90,
            filename: str = "licence.pdf", data: bytes = PDF) -> int:
        expires = "" if expires_in is None else (TODAY + timedelta(days=expires_in)).isoformat()
        raw = {"kind": "business_licence", "title": "营业执照", "number": "310115000123456", "expires_on": expires}
        return documents.add_supplier_document(supplier_id, raw, filename, data, actor=BUYER, uow=uow,
                                               clock=FakeClock(), files=files).id or 0

    def test_with_a_file_it_is_stored_and_audited_without_content(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        files = FakeFileStore()

        document_id = self.add(uow, supplier_id, files)
        stored, data = documents.open_supplier_document(supplier_id, document_id, actor=BUYER, uow=uow, files=files)

        assert (stored.filename, stored.content_type, data) == ("licence.pdf", "application/pdf", PDF)
        event = uow.audit.events[-1]
        assert event.action == "supplier.document_added" and event.after is not None
        assert event.after["filename"] == "licence.pdf" and "%PDF" not in str(event.after)

    def test_metadata_only_documents_have_nothing_to_download(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        document_id = self.add(uow, supplier_id, FakeFileStore(), filename="", data=b"")

        with pytest.raises(NotFound):
            documents.open_supplier_document(supplier_id, document_id, actor=BUYER, uow=uow, files=FakeFileStore())

    def test_a_refused_file_and_bad_fields_are_reported_together(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        files = FakeFileStore()

        with pytest.raises(ValidationFailed) as refused:
            documents.add_supplier_document(supplier_id, {"kind": "tax", "title": ""}, "page.pdf", HTML, actor=BUYER,
                                            uow=uow, clock=FakeClock(), files=files)

        assert refused.value.errors == {"title": "required", "file": "attachment.content_mismatch"}
        assert files.blobs == {} and not uow.supplier_documents.rows

    def test_removal_is_soft_audited_and_happens_once(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        document_id = self.add(uow, supplier_id, FakeFileStore())

        documents.remove_supplier_document(supplier_id, document_id, actor=BUYER, uow=uow, clock=FakeClock())

        assert uow.supplier_documents.rows[document_id].removed_at is not None
        assert uow.audit.actions()[-1] == "supplier.document_removed"
        with pytest.raises(NotFound):
            documents.remove_supplier_document(supplier_id, document_id, actor=BUYER, uow=uow, clock=FakeClock())

    def test_auditors_may_read_but_not_add(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        with pytest.raises(PermissionDenied):
            documents.add_supplier_document(supplier_id, {}, "", b"", actor=procurement_actor("auditor"), uow=uow,
                                            clock=FakeClock(), files=FakeFileStore())


class TestDailyRun:
    def run(self, uow: FakeUnitOfWork, day: date = TODAY) -> int:
        return documents.run_suppliers_daily(day, uow=uow, clock=FakeClock(NOW))

    def test_records_due_marks_once_and_skips_far_removed_and_undated(self, uow: FakeUnitOfWork,
                                                                      supplier_id: int) -> None:
        adder, files = TestDocuments(), FakeFileStore()
        sixty, seven, far = (adder.add(uow, supplier_id, files, days) for days in (60, 5, 61))
        adder.add(uow, supplier_id, files, None)
        removed = adder.add(uow, supplier_id, files, 20)
        documents.remove_supplier_document(supplier_id, removed, actor=BUYER, uow=uow, clock=FakeClock())

        assert self.run(uow) == 2
        assert self.run(uow) == 0  # idempotent
        assert set(uow.supplier_documents.reminders) == {(sixty, 60), (seven, 7)}
        assert far not in {document for document, _ in uow.supplier_documents.reminders}
        due = [e for e in uow.audit.events if e.action == "supplier.document_reminder_due"]
        assert len(due) == 2 and all(e.actor_id is None for e in due)

    def test_walks_through_every_mark_day_by_day(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        document_id = TestDocuments().add(uow, supplier_id, FakeFileStore(), 65)

        for offset in range(66):
            self.run(uow, TODAY + timedelta(days=offset))

        assert sorted(days for doc, days in uow.supplier_documents.reminders if doc == document_id) == [7, 30, 60]

    def test_blacklisted_suppliers_get_no_reminders(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        TestDocuments().add(uow, supplier_id, FakeFileStore(), 10)
        change_supplier_status(supplier_id, StatusAction.BLACKLIST, "造假", 1, actor=MANAGER, uow=uow,
                               clock=FakeClock())

        assert self.run(uow) == 0

    def test_acknowledging_closes_the_open_reminders_once(self, uow: FakeUnitOfWork, supplier_id: int) -> None:
        document_id = TestDocuments().add(uow, supplier_id, FakeFileStore(), 25)
        self.run(uow)

        documents.acknowledge_document_reminders(supplier_id, document_id, actor=BUYER, uow=uow, clock=FakeClock())
        documents.acknowledge_document_reminders(supplier_id, document_id, actor=BUYER, uow=uow, clock=FakeClock())

        assert uow.supplier_documents.reminders[(document_id, 30)] is not None
        assert uow.audit.actions().count("supplier.document_reminder_acknowledged") == 1
