"""Bulk actions of the procurement lists, on SQLite and PostgreSQL: the counted confirmation (with why records are
left), one transaction, the scope checked again per record, one audit per change, and who may run them."""

from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import Engine

from tests.integration.order_helpers import add_budget, add_requisition
from tests.integration.procurement_lists import Purchasing, purchasing_office
from web.deps import Dependencies

CONFIRM = {"HX-Request": "true", "HX-Target": "bulk-confirm"}


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Purchasing:
    return purchasing_office(app, deps, engine)


def statuses(office: Purchasing, table: str, ids: list[int]) -> list[str]:
    found = dict(office.rows("SELECT id, status FROM " + table))
    return [found[i] for i in ids]


class TestSendOrders:
    @pytest.fixture
    def orders(self, office: Purchasing) -> list[int]:
        """Approved, approved to a supplier suspended since, a draft (the buyer's), approved of another department."""
        good, suspended = office.supplier("华东网络设备"), office.supplier("北方物流", status="suspended")
        return [office.order(office.buyer, good, "approved"), office.order(office.buyer, suspended, "approved"),
                office.order(office.buyer, good, "draft"), office.order(office.far, good, "approved")]

    def test_the_confirmation_counts_and_says_why_orders_stay(self, office: Purchasing, orders: list[int]) -> None:
        client, token = office.client(office.buyer)

        response = client.post("/purchase-orders/bulk/send", headers=CONFIRM,
                               data={"csrf_token": token, "ids": [str(i) for i in orders], "status": "approved"})

        assert response.status_code == 200 and response.text.startswith('<div id="bulk-confirm">')
        assert "Send 1 order to its supplier?" in response.text
        assert "3 selected orders stay as they are:" in response.text
        for reason in ("Only an approved order can be sent to the supplier.",
                       "It no longer exists, or it is outside the records you may see."):
            assert "<li>1 × " + reason + "</li>" in response.text
        assert response.text.count("<li>1 × ") == 3  # the third: the supplier is suspended
        assert '<input type="hidden" name="status" value="approved">' in response.text
        assert statuses(office, "purchase_orders", orders) == ["approved", "approved", "draft", "approved"]
        assert office.audit("purchase_order.sent") == []

    def test_sending_changes_only_what_may_be_sent_with_one_audit_each(self, office: Purchasing,
                                                                       orders: list[int]) -> None:
        client, token = office.client(office.buyer)

        response = client.post("/purchase-orders/bulk/send", headers={"HX-Request": "true",
                                                                       "HX-Target": "order-results"},
                               data={"csrf_token": token, "ids": [str(i) for i in orders], "confirmed": "1"})

        assert response.status_code == 200 and response.text.startswith('<section id="order-results"')
        assert "1 order sent. 3 selected orders were left as they were." in response.text
        assert statuses(office, "purchase_orders", orders) == ["sent", "approved", "draft", "approved"]
        assert office.rows("SELECT sent_at IS NOT NULL, version FROM purchase_orders WHERE id = :i",
                           i=orders[0]) == [(True, 2)]
        assert office.audit("purchase_order.sent") == [(str(orders[0]), {"status": "sent"})]

    def test_without_javascript_it_goes_back_to_the_same_list(self, office: Purchasing, orders: list[int]) -> None:
        client, token = office.client(office.manager)

        response = client.post("/purchase-orders/bulk/send", data={
            "csrf_token": token, "ids": [str(orders[0]), str(orders[3])], "confirmed": "1", "status": "approved",
            "after": "abc"})

        assert response.status_code == 303
        assert response.headers["Location"].endswith("/purchase-orders?status=approved&after=abc")
        assert statuses(office, "purchase_orders", [orders[0], orders[3]]) == ["sent", "sent"]  # the manager sees all

    @pytest.mark.parametrize("who", ["finance", "employee"])
    def test_without_purchase_order_update_nothing_is_sent(self, office: Purchasing, orders: list[int],
                                                           who: str) -> None:
        client, token = office.client(getattr(office, who))

        for headers in (CONFIRM, {}):
            response = client.post("/purchase-orders/bulk/send", headers=headers, data={
                "csrf_token": token, "ids": [str(orders[0])], "confirmed": "1"})
            assert response.status_code == 403
        assert statuses(office, "purchase_orders", orders[:1]) == ["approved"]
        assert office.audit("purchase_order.sent") == []

    def test_fragments_leave_the_csrf_token_to_htmxs_header(self, office: Purchasing, orders: list[int]) -> None:
        client, token = office.client(office.buyer)
        results = {"HX-Request": "true", "HX-Target": "order-results"}

        fragment = client.get("/purchase-orders?status=approved", headers=results).text
        sent = client.post("/purchase-orders/bulk/send", data={"ids": [str(orders[0])], "confirmed": "1"},
                           headers=results | {"X-CSRFToken": token})
        forged = client.post("/purchase-orders/bulk/send", data={"ids": [str(orders[1])], "confirmed": "1"},
                             headers=results)

        assert 'name="csrf_token"' not in fragment and 'name="csrf_token"' in client.get("/purchase-orders").text
        assert (sent.status_code, forged.status_code) == (200, 400)
        assert statuses(office, "purchase_orders", orders[:2]) == ["sent", "approved"]

    def test_an_empty_selection_says_what_to_do(self, office: Purchasing) -> None:
        client, token = office.client(office.buyer)

        response = client.post("/purchase-orders/bulk/send", headers=CONFIRM, data={"csrf_token": token})

        assert response.status_code == 422 and "Select at least one order" in response.text


class TestQualifySuppliers:
    @pytest.fixture
    def suppliers(self, office: Purchasing) -> list[int]:
        return [office.supplier(name, status=status) for name, status in (
            ("甲", "pending"), ("乙", "suspended"), ("丙", "qualified"), ("丁", "blacklisted"))]

    def test_qualify_changes_pending_and_suspended_ones(self, office: Purchasing, suppliers: list[int]) -> None:
        client, token = office.client(office.manager)
        ids = [str(i) for i in suppliers]

        preview = client.post("/suppliers/bulk/qualify", headers=CONFIRM, data={"csrf_token": token, "ids": ids})
        done = client.post("/suppliers/bulk/qualify", data={"csrf_token": token, "ids": ids, "confirmed": "1",
                                                            "status_reason": "年度审核通过"})

        assert "Qualify 2 suppliers?" in preview.text and "2 selected suppliers stay as they are:" in preview.text
        assert "Only a pending or suspended supplier can be qualified" in preview.text
        assert done.status_code == 303
        assert statuses(office, "suppliers", suppliers) == ["qualified", "qualified", "qualified", "blacklisted"]
        assert sorted(e for e, _ in office.audit("supplier.qualified")) == sorted(ids[:2])
        assert office.rows("SELECT status_reason FROM suppliers WHERE id = :i", i=suppliers[0]) == [("年度审核通过",)]

    def test_suspend_needs_a_reason_then_keeps_it(self, office: Purchasing, suppliers: list[int]) -> None:
        client, token = office.client(office.manager)
        ids = [str(i) for i in suppliers]

        missing = client.post("/suppliers/bulk/suspend", headers=CONFIRM, data={"csrf_token": token, "ids": ids})
        done = client.post("/suppliers/bulk/suspend", data={"csrf_token": token, "ids": ids, "confirmed": "1",
                                                            "status_reason": "交货严重延误"})

        assert missing.status_code == 422 and "Type the reason for the suspension" in missing.text
        assert done.status_code == 303
        assert statuses(office, "suppliers", suppliers) == ["pending", "suspended", "suspended", "blacklisted"]
        assert office.audit("supplier.suspended") == [(str(suppliers[2]), {"status": "suspended",
                                                                            "reason": "交货严重延误"})]

    def test_buyers_may_not_change_qualification(self, office: Purchasing, suppliers: list[int]) -> None:
        client, token = office.client(office.buyer)

        response = client.post("/suppliers/bulk/qualify", data={"csrf_token": token, "ids": [str(suppliers[0])],
                                                                 "confirmed": "1"})

        assert response.status_code == 403 and statuses(office, "suppliers", suppliers[:1]) == ["pending"]


class TestCloseRequisitions:
    @pytest.fixture
    def requisitions(self, office: Purchasing) -> tuple[int, list[int]]:
        budget = add_budget(office.engine, office.purchasing, "10000", office.manager.user_id)
        ids = [add_requisition(office.engine, office.buyer, None if status == "draft" else budget,
                               [("显示器", "2", "台", "1000")], status=status)[0]
               for status in ("approved", "partly_ordered", "draft")]
        far_budget = add_budget(office.engine, office.plant, "10000", office.far.user_id)
        ids.append(add_requisition(office.engine, office.far, far_budget, [("叉车", "1", "台", "500")])[0])
        return budget, ids

    def test_close_releases_their_budget_with_one_audit_each(self, office: Purchasing,
                                                             requisitions: tuple[int, list[int]]) -> None:
        budget, ids = requisitions
        client, token = office.client(office.buyer)
        form = {"csrf_token": token, "ids": [str(i) for i in ids]}

        preview = client.post("/requisitions/bulk/close", headers=CONFIRM, data=form | {"close_reason": "项目取消"})
        missing = client.post("/requisitions/bulk/close", data=form | {"confirmed": "1"}, headers=CONFIRM)
        from_confirmation = client.post("/requisitions/bulk/close", data=form | {"confirmed": "1"}, headers={
            "HX-Request": "true", "HX-Target": "requisition-results"})
        without_js = client.post("/requisitions/bulk/close", data=form | {"confirmed": "1", "status": "approved"})
        done = client.post("/requisitions/bulk/close", data=form | {"confirmed": "1", "close_reason": "项目取消"})

        assert "Close 2 requisitions because “项目取消”?" in preview.text
        assert "Only an approved or (partly) ordered requisition can be closed." in preview.text
        assert missing.status_code == 422 and "Type why the selected requisitions are closed" in missing.text
        assert from_confirmation.status_code == 422 and from_confirmation.headers["HX-Retarget"] == "#bulk-confirm"
        assert from_confirmation.text.startswith('<div id="bulk-confirm">') and "Type why" in from_confirmation.text
        assert without_js.status_code == 422 and "Type why" in without_js.text and "<html" in without_js.text
        assert 'id="filter-status"' in without_js.text
        assert done.status_code == 303
        assert statuses(office, "requisitions", ids) == ["closed", "closed", "draft", "approved"]
        assert sorted(e for e, _ in office.audit("requisition.closed")) == sorted(str(i) for i in ids[:2])
        assert Decimal(office.rows("SELECT committed FROM budgets WHERE id = :b", b=budget)[0][0]) == 0

    def test_employees_may_not_close(self, office: Purchasing, requisitions: tuple[int, list[int]]) -> None:
        client, token = office.client(office.employee)

        response = client.post("/requisitions/bulk/close", data={
            "csrf_token": token, "ids": [str(requisitions[1][0])], "confirmed": "1", "close_reason": "x"})

        assert response.status_code == 403 and office.audit("requisition.closed") == []
