"""The procurement lists' bulk actions with fakes: they reuse the single-record services (status rules, reasons,
one audit each, never two), count what they leave by reason, and check the permission first."""

from copy import deepcopy
from dataclasses import replace

import pytest

from domain.identity.models import Actor
from domain.lists import bulk
from domain.lists.models import BulkOutcome
from domain.purchasing.bulk import ORDER_BULK
from domain.purchasing.models import OrderStatus, PurchaseOrder
from domain.shared.errors import PermissionDenied, ValidationFailed
from domain.suppliers.bulk import SUPPLIER_BULK
from domain.suppliers.models import SupplierStatus
from domain.suppliers.services import register_supplier
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.order_builders import PURCHASING, buyer_of, person, world
from tests.supplier_builders import supplier_form
from tests.unit.test_order_workflow import decide, submitted

CLOCK = FakeClock()


class TestSendOrders:
    def approved_and_draft(self, uow: FakeUnitOfWork) -> tuple[Actor, PurchaseOrder, PurchaseOrder]:
        buyer, manager = buyer_of(uow), person(uow, "pm", {"procurement_manager"})
        approved = submitted(uow, buyer, manager)
        decide(uow, manager)
        other = replace(deepcopy(approved), id=None, number="PO-2026-09999", status=OrderStatus.DRAFT)
        uow.purchase_orders.add(other)
        return buyer, approved, other

    def test_sends_the_approved_ones_once_each_and_says_why_the_others_stay(self) -> None:
        uow = world()
        buyer, approved, still_draft = self.approved_and_draft(uow)
        ids = [str(approved.id), str(still_draft.id), "999"]
        before = len(uow.audit.events)

        preview = bulk.preview_bulk(ORDER_BULK, "send", ids, "", actor=buyer, uow=uow)
        done = bulk.apply_bulk(ORDER_BULK, "send", ids, "", actor=buyer, uow=uow, clock=CLOCK)

        assert preview == BulkOutcome(1, 2, (("order.send_not_approved", 1), ("selection.unavailable", 1)))
        assert (done.changed, done.not_changed) == (1, 2)
        assert [e.action for e in uow.audit.events[before:]] == ["purchase_order.sent"]
        assert uow.purchase_orders.rows[approved.id or 0].status is OrderStatus.SENT

    def test_a_supplier_no_longer_qualified_is_a_reason_to_leave_the_order(self) -> None:
        uow = world()
        buyer, approved, _ = self.approved_and_draft(uow)
        facts = uow.order_sources.suppliers[approved.supplier_id]
        uow.order_sources.suppliers[approved.supplier_id] = replace(facts, status=SupplierStatus.SUSPENDED)

        preview = bulk.preview_bulk(ORDER_BULK, "send", [str(approved.id)], "", actor=buyer, uow=uow)

        assert preview == BulkOutcome(0, 1, (("order.supplier_suspended", 1),))

    def test_needs_purchase_order_update(self) -> None:
        uow = world()
        _, approved, _ = self.approved_and_draft(uow)
        finance = person(uow, "fay", {"finance"}, PURCHASING)

        with pytest.raises(PermissionDenied):
            bulk.apply_bulk(ORDER_BULK, "send", [str(approved.id)], "", actor=finance, uow=uow, clock=CLOCK)
        assert uow.purchase_orders.rows[approved.id or 0].status is OrderStatus.APPROVED


class TestQualifySuppliers:
    def suppliers(self, uow: FakeUnitOfWork, manager: Actor) -> list[int]:
        ids = []
        for number, status in enumerate(SupplierStatus):
            supplier = register_supplier(supplier_form(name=f"Supplier {number}", credit_code=""), f"t{number}",
                                         confirmed=True, actor=manager, uow=uow, clock=CLOCK)
            uow.suppliers.rows[supplier.id or 0].status = status
            ids.append(supplier.id or 0)
        return ids  # pending, qualified, suspended, blacklisted

    def test_suspend_needs_its_reason_and_keeps_it_on_the_suppliers_it_changes(self) -> None:
        uow = FakeUnitOfWork()
        manager = person(uow, "pm", {"procurement_manager"})
        ids = [str(i) for i in self.suppliers(uow, manager)]

        with pytest.raises(ValidationFailed) as missing:
            bulk.preview_bulk(SUPPLIER_BULK, "suspend", ids, " ", actor=manager, uow=uow)
        done = bulk.apply_bulk(SUPPLIER_BULK, "suspend", ids, "交货延误", actor=manager, uow=uow, clock=CLOCK)

        assert missing.value.errors == {"reason": "supplier.reason_required"}
        assert (done.changed, done.not_changed) == (1, 3)
        assert [(s.status, s.status_reason) for s in uow.suppliers.rows.values()][1] == (SupplierStatus.SUSPENDED,
                                                                                         "交货延误")
        assert [e.action for e in uow.audit.events if e.entity_type == "supplier"][-1:] == ["supplier.suspended"]

    def test_qualify_counts_the_statuses_it_cannot_qualify(self) -> None:
        uow = FakeUnitOfWork()
        manager = person(uow, "pm", {"procurement_manager"})
        ids = [str(i) for i in self.suppliers(uow, manager)]

        preview = bulk.preview_bulk(SUPPLIER_BULK, "qualify", ids, "", actor=manager, uow=uow)

        assert preview == BulkOutcome(2, 2, (("supplier.qualify_not_allowed", 2),))
        with pytest.raises(PermissionDenied):
            bulk.preview_bulk(SUPPLIER_BULK, "qualify", ids, "", actor=person(uow, "bo", {"buyer"}), uow=uow)
