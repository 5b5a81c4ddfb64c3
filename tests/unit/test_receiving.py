from datetime import date
from decimal import Decimal

import pytest

from domain.purchasing.models import OrderStatus
from domain.receiving.entry import allowance, check_over_receipt, check_receipt
from domain.receiving.errors import OverReceipt
from domain.receiving.services import get_receipt, receipt_form, record_receipt
from domain.shared.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.receiving_builders import BUYER, EMPLOYEE, RECEIPTS, STRANGER, an_order, receipt

TODAY = date(2026, 11, 25)


def _receive(uow: FakeUnitOfWork, *lines: tuple[int, str, str, str] | tuple[int, str, str, str, str],
             token: str = "") -> object:
    return record_receipt(1, receipt(*lines, token=token), actor=BUYER, uow=uow, clock=FakeClock(), pattern=RECEIPTS)


class TestCheckReceipt:
    def setup_method(self) -> None:
        self.order = receipt_form(1, actor=BUYER, uow=self._uow())[0]

    def _uow(self) -> FakeUnitOfWork:
        uow = FakeUnitOfWork()
        an_order(uow, "10", "4")
        return uow

    @pytest.mark.parametrize(("typed", "expected"), [
        (("10", "", ""), ("10", "10", "0")),  # accepted defaults to received − rejected
        (("10", "", "2"), ("10", "8", "2")),
        (("", "7", "1"), ("8", "7", "1")),  # received defaults to accepted + rejected
        (("", "", "3"), ("3", "0", "3")),  # everything rejected
        (("5", "5", "0"), ("5", "5", "0")),
    ])
    def test_one_blank_quantity_is_inferred_from_the_others(self, typed: tuple[str, str, str],
                                                           expected: tuple[str, str, str]) -> None:
        checked = check_receipt(receipt((11, *typed, "damaged")), self.order, TODAY)

        line = checked.lines[0]
        assert (line.received, line.accepted, line.rejected) == tuple(Decimal(q) for q in expected)

    def test_quantities_that_do_not_add_up_are_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            check_receipt(receipt((11, "10", "8", "1", "damaged")), self.order, TODAY)

        assert refused.value.errors == {"received-11": "receipt.quantities_disagree"}

    def test_rejected_goods_need_a_reason_and_accepted_ones_do_not(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            check_receipt(receipt((11, "10", "8", "2"), (12, "4", "", "")), self.order, TODAY)

        assert refused.value.errors == {"reason-11": "receipt.reason_required"}

    def test_blank_and_zero_rows_are_not_part_of_the_receipt(self) -> None:
        checked = check_receipt(receipt((11, "", "", ""), (12, "0", "0", "0"), (11, "2", "", "")), self.order, TODAY)

        assert [line.order_line_id for line in checked.lines] == [11]

    def test_an_empty_receipt_is_refused(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            check_receipt(receipt((11, "", "", "")), self.order, TODAY)

        assert refused.value.errors == {"lines": "receipt.nothing_received"}

    @pytest.mark.parametrize(("day", "code"), [("", "required"), ("2026-13-01", "date.invalid"),
                                               ("2026-11-26", "date.future"), ("1999-12-31", "date.invalid")])
    def test_received_on_is_a_real_day_not_in_the_future(self, day: str, code: str) -> None:
        with pytest.raises(ValidationFailed) as refused:
            check_receipt(receipt((11, "1", "", ""), day=day), self.order, TODAY)

        assert refused.value.errors == {"received_on": code}

    def test_lines_of_another_order_or_twice_the_same_line_are_refused(self) -> None:
        for rows in (((99, "1", "", ""),), ((11, "1", "", ""), (11, "1", "", ""))):
            with pytest.raises(ValidationFailed) as refused:
                check_receipt(receipt(*rows), self.order, TODAY)
            assert refused.value.errors == {"lines": "choice.invalid"}

    def test_bad_numbers_are_named_per_field(self) -> None:
        with pytest.raises(ValidationFailed) as refused:
            check_receipt(receipt((11, "abc", "1.0001", "-1")), self.order, TODAY)

        assert refused.value.errors == {"received-11": "quantity.invalid", "accepted-11": "quantity.decimals",
                                        "rejected-11": "quantity.not_positive"}


class TestOverReceiptTolerance:
    def setup_method(self) -> None:
        uow = FakeUnitOfWork()
        an_order(uow, "100")
        uow.orders_book.line(11).accepted = Decimal("60")
        self.order = receipt_form(1, actor=BUYER, uow=uow)[0]

    def _lines(self, accepted: str, rejected: str = "0") -> tuple:  # type: ignore[type-arg]
        return check_receipt(receipt((11, "", accepted, rejected, "broken")), self.order, TODAY).lines

    def test_exactly_the_outstanding_quantity_passes_at_zero_tolerance(self) -> None:
        check_over_receipt(self.order, self._lines("40"), Decimal(0))

    def test_one_thousandth_beyond_fails_at_zero_tolerance(self) -> None:
        with pytest.raises(OverReceipt) as refused:
            check_over_receipt(self.order, self._lines("40.001"), Decimal(0))

        assert refused.value.allowances[11] == allowance(Decimal(100), Decimal(60), Decimal(0))
        assert refused.value.allowances[11].most == Decimal("40.000")
        assert refused.value.errors == {"accepted-11": "receipt.over_tolerance"}

    def test_the_tolerance_edge_passes_and_one_thousandth_beyond_fails(self) -> None:
        check_over_receipt(self.order, self._lines("42.5"), Decimal("2.5"))
        with pytest.raises(OverReceipt):
            check_over_receipt(self.order, self._lines("42.501"), Decimal("2.5"))

    def test_rejected_goods_do_not_count_against_the_order(self) -> None:
        check_over_receipt(self.order, self._lines("40", "500"), Decimal(0))

    def test_allowance_never_goes_below_zero_and_rounds_down_to_the_thousandth(self) -> None:
        assert allowance(Decimal(10), Decimal(11), Decimal(0)).most == Decimal("0.000")
        assert allowance(Decimal(7), Decimal(0), Decimal("3.33")).most == Decimal("7.233")


class TestRecordReceipt:
    def test_a_partial_receipt_makes_the_order_partly_received_and_moves_the_quantities(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10", "4")

        recorded = _receive(uow, (11, "6", "5", "1", "scratched"))

        assert recorded.number == "GR-2026-00001"  # type: ignore[attr-defined]
        assert order.status is OrderStatus.PARTLY_RECEIVED
        assert (order.lines[0].received, order.lines[0].accepted) == (Decimal(6), Decimal(5))
        assert [e.action for e in uow.audit.events] == ["goods_receipt.created", "purchase_order.received"]
        assert uow.audit.events[1].after == {"status": "partly_received", "receipt": "GR-2026-00001"}

    def test_receiving_the_rest_makes_the_order_received(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10", "4")
        _receive(uow, (11, "6", "5", "1", "scratched"))

        _receive(uow, (11, "5", "", ""), (12, "4", "", ""))

        assert order.status is OrderStatus.RECEIVED
        assert uow.audit.events[-1].before == {"status": "partly_received"}

    def test_rejected_goods_keep_the_line_outstanding(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10")

        _receive(uow, (11, "10", "8", "2", "wet"))

        assert order.status is OrderStatus.PARTLY_RECEIVED
        assert receipt_form(1, actor=BUYER, uow=uow)[0].lines[0].outstanding == Decimal(2)

    def test_another_partial_receipt_keeps_the_order_partly_received_without_a_status_event(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10")
        _receive(uow, (11, "2", "", ""))

        _receive(uow, (11, "2", "", ""))

        assert order.status is OrderStatus.PARTLY_RECEIVED and order.version == 3
        assert [e.action for e in uow.audit.events][-1] == "goods_receipt.created"

    def test_over_receipt_beyond_the_tolerance_is_refused_and_nothing_moves(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10")
        uow.procurement_settings.stored["over_receipt"] = "10"

        with pytest.raises(OverReceipt) as refused:
            _receive(uow, (11, "11.001", "", ""))

        assert refused.value.allowances[11].most == Decimal("11.000")
        assert order.lines[0].accepted == 0 and not uow.committed

    def test_within_the_tolerance_the_order_is_received(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10")
        uow.procurement_settings.stored["over_receipt"] = "10"

        _receive(uow, (11, "11", "", ""))

        assert order.status is OrderStatus.RECEIVED and order.lines[0].accepted == Decimal(11)

    def test_a_repeated_form_token_returns_the_first_receipt(self) -> None:
        uow = FakeUnitOfWork()
        order = an_order(uow, "10")

        first = _receive(uow, (11, "3", "", ""), token="t-1")
        again = _receive(uow, (11, "3", "", ""), token="t-1")

        assert again == first and order.lines[0].accepted == Decimal(3)

    @pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.APPROVED, OrderStatus.RECEIVED,
                                        OrderStatus.CLOSED, OrderStatus.CANCELLED])
    def test_only_sent_or_partly_received_orders_take_receipts(self, status: OrderStatus) -> None:
        uow = FakeUnitOfWork()
        an_order(uow, "10", status=status)

        with pytest.raises(InvalidTransition, match=r"order\.receive_not_sent"):
            _receive(uow, (11, "1", "", ""))

    def test_an_order_out_of_scope_is_not_found_and_a_missing_permission_is_denied(self) -> None:
        uow = FakeUnitOfWork()
        an_order(uow, "10")

        with pytest.raises(NotFound):
            record_receipt(1, receipt((11, "1", "", "")), actor=STRANGER, uow=uow, clock=FakeClock(),
                           pattern=RECEIPTS)
        with pytest.raises(PermissionDenied):
            record_receipt(1, receipt((11, "1", "", "")), actor=EMPLOYEE, uow=uow, clock=FakeClock(),
                           pattern=RECEIPTS)
        assert not uow.committed

    def test_a_receipt_is_read_within_its_orders_scope(self) -> None:
        uow = FakeUnitOfWork()
        an_order(uow, "10")
        _receive(uow, (11, "4", "3", "1", "dented"))

        detail = get_receipt(1, actor=BUYER, uow=uow)

        assert (detail.order_number, detail.lines[0].rejection_reason) == ("PO-2026-00001", "dented")
        with pytest.raises(NotFound):
            get_receipt(1, actor=STRANGER, uow=uow)
