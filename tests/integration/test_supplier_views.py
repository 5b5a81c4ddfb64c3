"""Supplier records through the views on SQLite and PostgreSQL: register, edit, duplicates, qualification
status, the sealed bank account (masks, audited reveal with step-up)."""

import json

import pytest
from flask import Flask
from sqlalchemy import Engine

from tests.integration.supplier_helpers import Office
from tests.integration.test_sensitive_fields import stored_bytes
from tests.supplier_builders import ACCOUNT, OTHER_CODE, SUPPLIER_CODE, supplier_form
from web.deps import Dependencies

MASK = "**** **** **** 0123"


@pytest.fixture
def office(app: Flask, deps: Dependencies, engine: Engine) -> Office:
    return Office(app, deps, engine)


def _json(value: object) -> dict[str, object]:
    return json.loads(value) if isinstance(value, str) else dict(value)  # type: ignore[arg-type]


class TestRegister:
    def test_registered_pending_with_the_account_sealed_masked_and_audited_masked(self, office: Office) -> None:
        client = office.client(office.buyer)

        supplier_id = office.register(client)
        page = client.get(f"/suppliers/{supplier_id}").text

        assert "上海精密零件有限公司" in page and "Pending qualification" in page and MASK in page
        assert ACCOUNT not in page and "Reveal" not in page  # buyers hold no supplier.reveal
        assert ACCOUNT.replace(" ", "").encode() not in stored_bytes(office.engine)
        assert ACCOUNT.encode() not in stored_bytes(office.engine)
        [(entity, _, after, actor)] = office.audit("supplier.created")
        assert (entity, actor) == (str(supplier_id), office.buyer.user_id)
        assert _json(after)["bank_account"] == MASK and ACCOUNT not in str(after)

    def test_bad_input_is_422_with_messages_and_what_was_typed(self, office: Office) -> None:
        client = office.client(office.buyer)

        response = office.post(client, "/suppliers", supplier_form(name="", bank_account="12", address="浦东 99 号"),
                               **{"HX-Request": "true", "HX-Target": "supplier-form"})

        assert response.status_code == 422 and "<html" not in response.text
        assert "Fill in this field." in response.text and "8 to 32 digits" in response.text
        assert "浦东 99 号" in response.text
        assert office.query("SELECT count(*) FROM suppliers")[0][0] == 0

    def test_the_same_form_submitted_twice_makes_one_supplier(self, office: Office) -> None:
        client = office.client(office.buyer)

        first, second = office.register(client, "same"), office.register(client, "same")

        assert first == second and office.query("SELECT count(*) FROM suppliers")[0][0] == 1

    def test_a_taken_credit_code_is_refused_with_a_link_to_the_holder(self, office: Office) -> None:
        client = office.client(office.buyer)
        holder = office.register(client)

        response = office.post(client, "/suppliers", supplier_form(name="另一家公司", form_token="f2"))

        assert response.status_code == 422
        assert "registered already" in response.text and f'href="/suppliers/{holder}"' in response.text

    def test_a_similar_name_warns_and_saves_once_confirmed(self, office: Office) -> None:
        client = office.client(office.buyer)
        first = office.register(client)
        twin = supplier_form(name="精密零件（上海）有限公司", credit_code=OTHER_CODE, form_token="f2")

        warned = office.post(client, "/suppliers", twin)
        saved = office.post(client, "/suppliers", twin | {"confirm_duplicate": "1"})

        assert warned.status_code == 422 and f'href="/suppliers/{first}"' in warned.text
        assert 'name="confirm_duplicate"' in warned.text and "精密零件（上海）有限公司" in warned.text
        assert saved.status_code == 303 and office.query("SELECT count(*) FROM suppliers")[0][0] == 2

    def test_the_live_duplicate_check_returns_the_warning_fragment(self, office: Office) -> None:
        client = office.client(office.buyer)
        supplier_id = office.register(client)

        hint = client.get("/suppliers/duplicates?name=精密零件股份有限公司",
                          headers={"HX-Request": "true", "HX-Target": "duplicate-warning"})
        itself = client.get(f"/suppliers/duplicates?name=上海精密零件有限公司&exclude={supplier_id}",
                            headers={"HX-Request": "true", "HX-Target": "duplicate-warning"})

        assert "<html" not in hint.text and f'href="/suppliers/{supplier_id}"' in hint.text
        assert "similar name" in hint.text and "/suppliers/" not in itself.text

    def test_employees_cannot_open_or_post_the_form(self, office: Office) -> None:
        client = office.client(office.employee)

        assert client.get("/suppliers/new").status_code == 403
        assert office.post(client, "/suppliers", supplier_form()).status_code == 403
        assert client.get("/suppliers").status_code == 403


class TestEdit:
    def test_saves_keeps_the_account_and_audits_only_the_change(self, office: Office) -> None:
        client = office.client(office.buyer)
        supplier_id = office.register(client)

        form = client.get(f"/suppliers/{supplier_id}/edit").text
        saved = office.post(client, f"/suppliers/{supplier_id}",
                            supplier_form(bank_account="", payment_terms="月结 30 天", version="1"))

        assert f'placeholder="{MASK}"' in form and ACCOUNT not in form
        assert saved.status_code == 303
        [(_, before, after, _)] = office.audit("supplier.updated")
        assert (_json(before), _json(after)) == ({"payment_terms": "月结 60 天"}, {"payment_terms": "月结 30 天"})
        assert office.query("SELECT bank_account_enc IS NOT NULL, version FROM suppliers")[0] == (True, 2)

    def test_a_stale_version_gets_409_with_the_saved_values_and_keeps_the_typed_ones(self, office: Office) -> None:
        client = office.client(office.buyer)
        supplier_id = office.register(client)
        office.post(client, f"/suppliers/{supplier_id}", supplier_form(payment_terms="款到发货", version="1"))

        response = office.post(client, f"/suppliers/{supplier_id}",
                               supplier_form(payment_terms="月结 90 天", version="1"),
                               **{"HX-Request": "true", "HX-Target": "supplier-form"})

        assert response.status_code == 409 and "Someone else saved this supplier" in response.text
        assert "款到发货" in response.text and 'value="月结 90 天"' in response.text
        assert 'name="version" value="2"' in response.text

    def test_renaming_into_a_duplicate_needs_confirmation(self, office: Office) -> None:
        client = office.client(office.buyer)
        office.register(client)
        other = office.register(client, "f2", name="北京宏达物流有限公司", credit_code=OTHER_CODE)

        warned = office.post(client, f"/suppliers/{other}",
                             supplier_form(name="上海精密零件股份有限公司", credit_code=OTHER_CODE, version="1"))

        assert warned.status_code == 422 and 'name="confirm_duplicate"' in warned.text


class TestStatus:
    def test_the_manager_qualifies_then_suspends_with_a_reason_shown_and_audited(self, office: Office) -> None:
        supplier_id = office.register(office.client(office.buyer))
        client = office.client(office.manager)

        form = client.get(f"/suppliers/{supplier_id}/qualify")
        qualified = office.post(client, f"/suppliers/{supplier_id}/qualify", {"reason": "现场审核通过", "version": "1"})
        suspended = office.post(client, f"/suppliers/{supplier_id}/suspend", {"reason": "交期连续延误", "version": "2"})
        page = client.get(f"/suppliers/{supplier_id}").text

        assert form.status_code == 200 and qualified.status_code == 303 and suspended.status_code == 303
        assert "Suspended" in page and "交期连续延误" in page
        [(_, before, after, actor)] = office.audit("supplier.suspended")
        assert _json(before) == {"status": "qualified", "reason": "现场审核通过"}
        assert _json(after) == {"status": "suspended", "reason": "交期连续延误"} and actor == office.manager.user_id

    def test_blacklisting_without_a_reason_is_422_and_changes_nothing(self, office: Office) -> None:
        supplier_id = office.register(office.client(office.buyer))
        client = office.client(office.manager)

        response = office.post(client, f"/suppliers/{supplier_id}/blacklist", {"reason": " ", "version": "1"})

        assert response.status_code == 422 and "Say why" in response.text
        assert office.query("SELECT status FROM suppliers")[0][0] == "pending"

    def test_roles_without_supplier_qualify_get_403(self, office: Office) -> None:
        supplier_id = office.register(office.client(office.buyer))

        for actor in (office.buyer, office.finance):
            client = office.client(actor)
            assert client.get(f"/suppliers/{supplier_id}/qualify").status_code == 403
            assert office.post(client, f"/suppliers/{supplier_id}/qualify", {"version": "1"}).status_code == 403
        assert office.query("SELECT status FROM suppliers")[0][0] == "pending"
        assert office.audit("supplier.qualified") == []

    def test_a_refused_or_stale_change_says_why_on_the_page(self, office: Office) -> None:
        supplier_id = office.register(office.client(office.buyer))
        client = office.client(office.manager)

        wrong = office.post(client, f"/suppliers/{supplier_id}/suspend", {"reason": "x", "version": "1"})
        after_wrong = client.get(f"/suppliers/{supplier_id}").text
        stale = office.post(client, f"/suppliers/{supplier_id}/qualify", {"version": "9"})
        after_stale = client.get(f"/suppliers/{supplier_id}").text

        assert wrong.status_code == 303 and stale.status_code == 303
        assert "Only a qualified supplier can be suspended." in after_wrong
        assert "Someone changed this supplier meanwhile" in after_stale
        assert office.query("SELECT status, version FROM suppliers")[0] == ("pending", 1)


class TestReveal:
    def test_reveal_needs_step_up_then_shows_the_account_once_and_audits_the_field(self, office: Office) -> None:
        supplier_id = office.register(office.client(office.buyer))
        target = {"HX-Request": "true", "HX-Target": "sensitive-bank_account"}

        stale = office.post(office.client(office.manager, fresh=False), f"/suppliers/{supplier_id}/reveal/bank_account")
        client = office.client(office.manager)
        page = client.get(f"/suppliers/{supplier_id}").text
        shown = office.post(client, f"/suppliers/{supplier_id}/reveal/bank_account", **target)

        assert stale.status_code == 303 and "/account/reauth" in stale.headers["Location"]
        assert "Reveal" in page and ACCOUNT not in page
        assert shown.status_code == 200 and ACCOUNT in shown.text and "<html" not in shown.text
        [(entity, _, after, actor)] = office.audit("supplier.revealed")
        assert (entity, _json(after), actor) == (str(supplier_id), {"field": "bank_account"}, office.manager.user_id)

    def test_buyers_may_not_reveal(self, office: Office) -> None:
        client = office.client(office.buyer)
        supplier_id = office.register(client)

        response = office.post(client, f"/suppliers/{supplier_id}/reveal/bank_account")

        assert response.status_code == 403 and ACCOUNT not in response.text
        assert office.audit("supplier.revealed") == []


def test_credit_code_is_normalised_on_the_page(office: Office) -> None:
    client = office.client(office.buyer)

    supplier_id = office.register(client, credit_code=SUPPLIER_CODE.lower()[:9] + " " + SUPPLIER_CODE[9:])

    assert SUPPLIER_CODE in client.get(f"/suppliers/{supplier_id}").text
