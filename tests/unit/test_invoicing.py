from datetime import date
from decimal import Decimal

import pytest

from domain.identity.errors import SegregationOfDuties
from domain.identity.models import Actor
from domain.invoicing.entry import check_invoice, invoice_number
from domain.invoicing.errors import DuplicateInvoice
from domain.invoicing.models import InvoiceStatus, MatchStatus
from domain.invoicing.resolution import exception_queue, resolve_invoice
from domain.invoicing.services import get_invoice, invoice_form, preview_invoice, record_invoice
from domain.navigation import navigation_badges
from domain.purchasing.models import OrderStatus
from domain.shared.errors import InvalidTransition, NotFound, PermissionDenied, StaleVersion, ValidationFailed
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.receiving_builders import BUYER, CLERK, CONTROLLER, STRANGER, an_order, invoice

D = Decimal


def _received(*accepted: str, status: OrderStatus = OrderStatus.PARTLY_RECEIVED) -> FakeUnitOfWork:
    """An order with one line of 10 per accepted quantity, that much accepted."""
    uow = FakeUnitOfWork()
    order = an_order(uow, *["10"] * len(accepted), status=status)
    for line, quantity in zip(order.lines, accepted, strict=True):
        line.accepted = line.received = D(quantity)
    return uow


def _record(uow: FakeUnitOfWork, *lines: tuple[int, str, str] | tuple[int, str, str, str], number: str = "INV-1",
            token: str = "") -> object:
    return record_invoice(1, invoice(*lines, number=number, token=token), actor=CLERK, uow=uow, clock=FakeClock())


class TestCheckInvoice:
    def setup_method(self) -> None:
        self.order = invoice_form(1, actor=CLERK, uow=_received("10", "4"))[0]

    def test_amounts_are_computed_per_line_and_totalled(self) -> None:
        checked = check_invoice(invoice((11, "3", "10.05"), (12, "1", "0.5", "6")), self.order, date(2026, 11, 25))

        assert [(line.amounts.net, line.amounts.tax) for line in checked.lines] == [(D("30.15"), D("3.92")),
                                                                                   (D("0.50"), D("0.03"))]
        assert checked.totals.gross == D("34.60")

    def test_the_printed_total_must_equal_the_computed_one(self) -> None:
        check_invoice(invoice((11, "3", "10"), total="33.90"), self.order, date(2026, 11, 25))
        with pytest.raises(ValidationFailed) as refused:
            check_invoice(invoice((11, "3", "10"), total="33.09"), self.order, date(2026, 11, 25))

        assert refused.value.errors == {"printed_total": "invoice.total_mismatch"}

    def test_each_bad_field_is_named(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            check_invoice(invoice((11, "x", "10"), (12, "", "9"), number=" ", day="2027-01-01"), self.order,
                          date(2026, 11, 25))

        assert refused.value.errors == {"quantity-11": "quantity.invalid", "quantity-12": "invoice.quantity_missing",
                                        "number": "required", "invoice_date": "date.future"}

    def test_a_blank_vat_rate_is_the_orders_and_an_invoice_needs_a_line(self) -> None:
        assert check_invoice(invoice((11, "1", "10")), self.order, date(2026, 11, 25)).lines[0].tax_rate == 13
        with pytest.raises(ValidationFailed) as refused:
            check_invoice(invoice((11, "", "")), self.order, date(2026, 11, 25))

        assert refused.value.errors == {"lines": "invoice.no_lines"}

    def test_invoice_numbers_are_compared_folded(self) -> None:
        assert invoice_number(" ｎｏ．  0012\t") == "NO. 0012"


class TestRecordInvoice:
    def test_an_invoice_within_tolerance_is_matched_and_bills_the_lines(self) -> None:
        uow = _received("10", "4")

        recorded = _record(uow, (11, "10", "10.20"), (12, "4", "10"))

        assert recorded.status is InvoiceStatus.MATCHED and recorded.status.ready_to_pay  # type: ignore[attr-defined]
        assert [line.invoiced for line in uow.orders_book.orders[1].lines] == [D(10), D(4)]
        assert uow.audit.events[-1].action == "supplier_invoice.recorded"
        assert uow.audit.events[-1].after["status"] == "matched"  # type: ignore[index]

    def test_a_price_above_tolerance_sends_the_invoice_to_the_exception_queue(self) -> None:
        uow = _received("10")

        recorded = _record(uow, (11, "10", "10.80"))

        assert recorded.status is InvoiceStatus.EXCEPTION  # type: ignore[attr-defined]
        assert recorded.lines[0].match.status is MatchStatus.PRICE_OVER  # type: ignore[attr-defined]
        assert uow.orders_book.line(11).invoiced == D(10)  # held until finance rejects it

    def test_a_second_invoice_counts_what_the_first_billed(self) -> None:
        uow = _received("10")
        _record(uow, (11, "6", "10"), number="A")

        second = _record(uow, (11, "5", "10"), number="B")

        assert second.lines[0].match.status is MatchStatus.QUANTITY_OVER  # type: ignore[attr-defined]
        assert second.lines[0].match.detail["invoiced_before"] == "6"  # type: ignore[attr-defined]

    def test_an_invoice_before_any_receipt_waits_in_the_queue(self) -> None:
        uow = _received("0", status=OrderStatus.SENT)

        recorded = _record(uow, (11, "1", "10"))

        assert recorded.lines[0].match.status is MatchStatus.NOT_RECEIVED  # type: ignore[attr-defined]

    def test_the_same_suppliers_number_twice_is_refused_with_the_first_one(self) -> None:
        uow = _received("10")
        _record(uow, (11, "1", "10"), number="inv-7")

        with pytest.raises(DuplicateInvoice) as refused:
            _record(uow, (11, "1", "10"), number="INV-7")

        assert refused.value.existing_id == 1
        assert uow.orders_book.line(11).invoiced == D(1)

    def test_a_repeated_form_token_returns_the_first_invoice(self) -> None:
        uow = _received("10")

        first = _record(uow, (11, "1", "10"), token="t")

        assert _record(uow, (11, "1", "10"), number="other", token="t") == first
        assert len(uow.invoices.invoices) == 1

    @pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.APPROVED, OrderStatus.CANCELLED])
    def test_orders_not_sent_take_no_invoice(self, status: OrderStatus) -> None:
        with pytest.raises(InvalidTransition, match=r"invoice\.order_not_sent"):
            _record(_received("0", status=status), (11, "1", "10"))

    def test_permission_and_scope(self) -> None:
        uow = _received("10")
        with pytest.raises(PermissionDenied):
            record_invoice(1, invoice((11, "1", "10")), actor=BUYER, uow=uow, clock=FakeClock())
        _record(uow, (11, "1", "10"))
        with pytest.raises(NotFound):
            get_invoice(1, actor=STRANGER, uow=uow)
        assert get_invoice(1, actor=BUYER, uow=uow).order_number == "PO-2026-00001"

    def test_the_preview_shows_amounts_and_match_without_storing_anything(self) -> None:
        uow = _received("10")

        preview = preview_invoice(1, invoice((11, "10", "10.80"), (12, "x", "1")), actor=CLERK, uow=uow)

        amounts, match = preview.lines[11]
        assert (amounts.gross, match.status) == (D("122.04"), MatchStatus.PRICE_OVER)
        assert preview.errors == {"lines": "choice.invalid"} and uow.invoices.invoices == {}


class TestResolve:
    def _exception(self) -> FakeUnitOfWork:
        uow = _received("10")
        _record(uow, (11, "10", "10.80"))
        return uow

    def test_accepting_makes_it_ready_to_pay_and_keeps_its_quantities(self) -> None:
        uow = self._exception()

        resolved = resolve_invoice(1, True, "Freight included, agreed by phone", 1, actor=CONTROLLER, uow=uow,
                                   clock=FakeClock())

        assert resolved.status is InvoiceStatus.ACCEPTED and resolved.status.ready_to_pay
        assert uow.orders_book.line(11).invoiced == D(10)
        event = uow.audit.events[-1]
        assert (event.action, event.before, event.after) == (
            "supplier_invoice.accepted", {"status": "exception"},
            {"status": "accepted", "reason": "Freight included, agreed by phone"})

    def test_rejecting_releases_its_quantities_for_a_corrected_invoice(self) -> None:
        uow = self._exception()

        resolve_invoice(1, False, "Wrong price; asked for a credit note", 1, actor=CLERK, uow=uow, clock=FakeClock())

        assert uow.invoices.invoices[1].status is InvoiceStatus.REJECTED
        assert uow.orders_book.line(11).invoiced == D(0)
        assert _record(uow, (11, "10", "10"), number="INV-2").status is InvoiceStatus.MATCHED  # type: ignore[attr-defined]

    def test_whoever_recorded_it_may_not_accept_it(self) -> None:
        with pytest.raises(SegregationOfDuties):
            resolve_invoice(1, True, "fine", 1, actor=CLERK, uow=self._exception(), clock=FakeClock())

    def test_a_reason_is_required(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            resolve_invoice(1, True, "  ", 1, actor=CONTROLLER, uow=self._exception(), clock=FakeClock())

        assert refused.value.errors == {"reason": "invoice.reason_required"}

    def test_a_stale_version_or_a_resolved_invoice_is_refused(self) -> None:
        uow = self._exception()
        with pytest.raises(StaleVersion):
            resolve_invoice(1, True, "ok", 0, actor=CONTROLLER, uow=uow, clock=FakeClock())
        resolve_invoice(1, False, "no", 1, actor=CONTROLLER, uow=uow, clock=FakeClock())

        with pytest.raises(InvalidTransition, match=r"invoice\.not_exception"):
            resolve_invoice(1, True, "ok", 2, actor=CONTROLLER, uow=uow, clock=FakeClock())

    def test_a_matched_invoice_never_enters_the_queue(self) -> None:
        uow = _received("10")
        _record(uow, (11, "10", "10"))

        with pytest.raises(InvalidTransition):
            resolve_invoice(1, True, "ok", 1, actor=CONTROLLER, uow=uow, clock=FakeClock())
        assert _exceptions(CONTROLLER, uow) == 0

    def test_the_queue_lists_exceptions_oldest_first_for_resolvers_only(self) -> None:
        uow = self._exception()
        _record(uow, (11, "1", "20"), number="INV-2")

        page = exception_queue(None, actor=CONTROLLER, uow=uow)

        assert [view.invoice.number for view in page.items] == ["INV-1", "INV-2"]
        assert _exceptions(CONTROLLER, uow) == 2 and _exceptions(BUYER, uow) == 0
        with pytest.raises(PermissionDenied):
            exception_queue(None, actor=BUYER, uow=uow)
        with pytest.raises(PermissionDenied):
            resolve_invoice(1, False, "no", 1, actor=BUYER, uow=uow, clock=FakeClock())


def _exceptions(actor: Actor, uow: FakeUnitOfWork) -> int:
    return navigation_badges(actor=actor, uow=uow, clock=FakeClock()).exceptions
