"""Staged supplier import through the app (the customer import's pages and jobs with the supplier target):
guessed mapping, dry run with an error file, commit as pending with sealed bank accounts, undo, access."""

import io
import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Actor
from domain.suppliers.models import Supplier, SupplierStatus
from domain.suppliers.services import register_supplier
from tests.fakes import FakeClock
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.import_files import (
    SUPPLIER_FIELDS,
    SUPPLIER_HEADER,
    as_csv,
    as_xlsx,
    bad_suppliers,
    code,
    good_suppliers,
    read_back,
)
from tests.integration.import_steps import batch_row, check, offered_mapping, post, upload
from tests.supplier_builders import supplier_form
from web.deps import Dependencies

BASE = "/suppliers/import"
FORMATS = {"csv": as_csv, "xlsx": as_xlsx}


@pytest.fixture
def purchasing(engine: Engine) -> int:
    return add_department(engine, "Purchasing")


@pytest.fixture
def manager(uow: SqlUnitOfWork, purchasing: int) -> Actor:
    return add_user(uow, "pm", {"procurement_manager"}, purchasing)


@pytest.fixture
def signed_in(client: FlaskClient, deps: Dependencies, manager: Actor) -> FlaskClient:
    sign_in_as(client, deps, manager)
    return client


def existing(uow: SqlUnitOfWork, actor: Actor, **fields: str) -> Supplier:
    return register_supplier(supplier_form(**fields), "", confirmed=True, actor=actor, uow=uow, clock=FakeClock())


def imported(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(
            "SELECT name, status FROM suppliers WHERE name LIKE '导入供应商%' ORDER BY id"))]


def upload_and_check(client: FlaskClient, data: bytes, filename: str, mode: str = "create") -> int:
    batch_id = upload(client, data, filename, BASE)
    check(client, batch_id, mode, base=BASE)
    return batch_id


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_chinese_headers_dry_run_error_file_commit_as_pending_with_sealed_accounts_then_undo(
    signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork, manager: Actor, file_format: str
) -> None:
    existing(uow, manager, name="苏州已有供应商有限公司", credit_code=code(999))
    good = good_suppliers(6)
    original = FORMATS[file_format]([*good, *bad_suppliers(code(999), "已有供应商（苏州）有限公司", good[0])],
                                    SUPPLIER_HEADER)

    batch_id = upload(signed_in, original, f"供应商.{file_format}", BASE)
    assert offered_mapping(signed_in.get(f"{BASE}/{batch_id}").text) == SUPPLIER_FIELDS
    check(signed_in, batch_id, base=BASE)

    assert batch_row(engine, batch_id) == {"status": "checked",
                                           "counts": {"rows": 14, "ok": 6, "errors": 8, "create": 6}}
    page = signed_in.get(f"{BASE}/{batch_id}").text
    assert "A supplier with this credit code is registered already" in page and "Supplier field" in page
    assert "same name spelt differently" in page and "bank accounts included" in page
    back = read_back(signed_in.get(f"{BASE}/{batch_id}/errors").data, file_format)
    assert back[0] == [*SUPPLIER_HEADER, "Errors"]
    assert [bool(r[-1]) for r in back[1:]] == [False] * 6 + [True] * 8
    assert back[10][7] == "12ab-34" and back[10][-1].startswith("Bank account:")  # as uploaded, with its error
    assert "Category:" in back[9][-1] and "Name:" in back[14][-1]
    assert imported(engine) == []  # a dry run registers nobody

    assert post(signed_in, f"{BASE}/{batch_id}/commit", BASE) == 303

    assert imported(engine) == [(row[0], "pending") for row in good]
    with engine.connect() as connection:
        sealed = connection.execute(text("SELECT bank_account_enc, bank_account_index, category, region FROM suppliers "
                                         "WHERE name = :n"), {"n": good[0][0]}).one()
        audit = connection.execute(text("SELECT action, before, after FROM audit_events ORDER BY id")).all()
    assert b"6222" not in bytes(sealed.bank_account_enc) and sealed.bank_account_index
    assert (sealed.category, sealed.region) == ("raw_materials", "shanghai")
    with SqlUnitOfWork(engine, uow._crypto) as reader:
        stored = reader.suppliers.get_many([reader.suppliers.credit_code_holder(code(500)) or 0])
    assert [s.fields.bank_account for s in stored.values()] == [good[0][7]]
    assert [a.action for a in audit if a.action.startswith("supplier.import")] == [
        "supplier.import_uploaded", "supplier.import_checked", "supplier.imported"]
    assert "6222" not in str([tuple(a) for a in audit])

    assert post(signed_in, f"{BASE}/{batch_id}/undo", BASE) == 303

    assert batch_row(engine, batch_id)["status"] == "undone" and imported(engine) == []
    assert batch_row(engine, batch_id)["counts"]["deleted"] == 6


def test_update_by_credit_code_keeps_the_earlier_account_sealed_and_undo_restores_it(
    signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork, manager: Actor
) -> None:
    old = existing(uow, manager, credit_code=code(7))
    row = ["", code(7), "设备", "", "", "货到付款", "", "6222 9999 8888 7777", ""]
    batch_id = upload_and_check(signed_in, as_xlsx([row], SUPPLIER_HEADER), "update.xlsx", mode="credit_code")
    assert batch_row(engine, batch_id)["counts"] == {"rows": 1, "ok": 1, "update": 1}

    post(signed_in, f"{BASE}/{batch_id}/commit", BASE)

    with SqlUnitOfWork(engine, uow._crypto) as reader:
        updated = reader.suppliers.get(old.id or 0)
    assert updated and (updated.fields.category, updated.fields.payment_terms, updated.fields.bank_account) == \
        ("equipment", "货到付款", "6222 9999 8888 7777")
    assert updated.fields.name == old.fields.name and updated.status is SupplierStatus.PENDING
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT before FROM import_batch_items")).scalar()
    before = stored if isinstance(stored, dict) else json.loads(stored)
    assert before["payment_terms"] == "月结 60 天" and before["bank_account"]
    assert not any(ch.isspace() for ch in before["bank_account"]) and "6222" not in before["bank_account"]

    post(signed_in, f"{BASE}/{batch_id}/undo", BASE)

    with SqlUnitOfWork(engine, uow._crypto) as reader:
        restored = reader.suppliers.get(old.id or 0)
    assert restored and restored.fields == old.fields
    assert batch_row(engine, batch_id)["counts"]["restored"] == 1


def test_undo_keeps_suppliers_that_something_points_at_or_that_changed_and_says_so(
    signed_in: FlaskClient, engine: Engine
) -> None:
    batch_id = upload_and_check(signed_in, as_csv(good_suppliers(4), SUPPLIER_HEADER), "keep.csv")
    post(signed_in, f"{BASE}/{batch_id}/commit", BASE)
    with engine.begin() as connection:
        ids = list(connection.execute(text("SELECT id FROM suppliers ORDER BY id")).scalars())
        connection.execute(text("INSERT INTO supplier_contacts (supplier_id, name, title, notes, created_at, "
                                "updated_at, version) VALUES (:s, '王经理', '', '', CURRENT_TIMESTAMP, "
                                "CURRENT_TIMESTAMP, 1)"), {"s": ids[0]})
        connection.execute(text("UPDATE suppliers SET status = 'qualified', version = version + 1 WHERE id = :s"),
                           {"s": ids[1]})

    post(signed_in, f"{BASE}/{batch_id}/undo", BASE)

    counts = batch_row(engine, batch_id)["counts"]
    assert isinstance(counts, dict)
    assert (counts["deleted"], counts["kept_linked"], counts["kept_changed"]) == (2, 1, 1)
    assert [name for name, _status in imported(engine)] == [good_suppliers(4)[0][0], good_suppliers(4)[1][0]]
    page = signed_in.get(f"{BASE}/{batch_id}").text
    assert "Kept: contacts, documents, orders, contracts or invoices added since" in page


def test_without_supplier_import_403_and_nothing_stored(client: FlaskClient, deps: Dependencies,
                                                        uow: SqlUnitOfWork, engine: Engine) -> None:
    sign_in_as(client, deps, add_user(uow, "buyer", {"buyer"}))
    token = csrf_of(client, "/suppliers")

    page = client.get(BASE)
    posted = client.post(BASE, data={"csrf_token": token,
                                     "file": (io.BytesIO(as_csv(good_suppliers(1), SUPPLIER_HEADER)), "a.csv")})

    assert page.status_code == 403 and posted.status_code == 403
    assert "/suppliers/import" not in client.get("/suppliers").text  # no Import button either
    sales = client.application.test_client()
    sign_in_as(sales, deps, add_user(uow, "sales", {"sales_manager"}))  # customer.import is not supplier.import
    assert sales.get(BASE).status_code == 403
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_batches")).scalar() == 0


def test_another_users_batch_is_404_and_overseers_need_a_step_up_for_its_error_file(
    signed_in: FlaskClient, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork
) -> None:
    assert "/suppliers/import" in signed_in.get("/suppliers").text
    batch_id = upload_and_check(signed_in, as_csv(good_suppliers(2), SUPPLIER_HEADER), "秘密供应商.csv")
    post(signed_in, f"{BASE}/{batch_id}/commit", BASE)
    stranger = signed_in.application.test_client()
    sign_in_as(stranger, deps, add_user(uow, "importer", {_importer_role(engine)}))
    token = csrf_of(stranger, BASE)

    answers = [stranger.get(f"{BASE}/{batch_id}"), stranger.get(f"{BASE}/{batch_id}/errors"),
               stranger.post(f"{BASE}/{batch_id}/undo", data={"csrf_token": token})]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert all("秘密供应商" not in a.text for a in answers)
    admin = signed_in.application.test_client()
    sign_in_as(admin, deps, add_user(uow, "admin", {"administrator"}), fresh=False)
    assert admin.get(f"/customers/import/{batch_id}").status_code == 404  # a supplier batch is no customer batch
    stale = admin.get(f"{BASE}/{batch_id}/errors")
    assert stale.status_code == 303 and "/account/reauth" in stale.headers["Location"]
    assert signed_in.get(f"{BASE}/{batch_id}/errors").status_code == 200  # the uploader's own file: no step-up
    sign_in_as(admin, deps, add_user(uow, "admin2", {"administrator"}))
    assert admin.get(f"{BASE}/{batch_id}/errors").status_code == 200
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_events WHERE action = "
                                       "'supplier.import_errors_downloaded'")).scalar() == 1
    assert post(admin, f"{BASE}/{batch_id}/undo", BASE) == 303
    assert batch_row(engine, batch_id)["status"] == "undone"


def _importer_role(engine: Engine) -> str:
    """A custom role that may import suppliers but not reveal bank accounts (so it oversees nobody's batches)."""
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO roles (key, name, builtin, version) VALUES ('importer', 'Importer', "
                                "false, 1)"))
        for permission in ("supplier.read", "supplier.import"):
            connection.execute(text("INSERT INTO role_permissions (role, permission) VALUES ('importer', :p)"),
                               {"p": permission})
    return "importer"


def test_undo_keeps_an_update_whose_earlier_credit_code_another_supplier_holds_now(
    signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork, manager: Actor
) -> None:
    old = existing(uow, manager, name="上海精密零件有限公司", credit_code=code(7))
    batch_id = upload_and_check(signed_in, as_csv([["上海精密零件有限公司", code(8), "", "", "", "", "", "", ""]],
                                                  SUPPLIER_HEADER), "recode.csv", mode="name")
    post(signed_in, f"{BASE}/{batch_id}/commit", BASE)
    existing(uow, manager, name="后来的供应商有限公司", credit_code=code(7))  # the freed code, taken meanwhile

    post(signed_in, f"{BASE}/{batch_id}/undo", BASE)

    assert batch_row(engine, batch_id)["status"] == "undone"
    assert batch_row(engine, batch_id)["counts"]["kept_taken"] == 1
    with SqlUnitOfWork(engine, uow._crypto) as reader:
        kept = reader.suppliers.get(old.id or 0)
    assert kept and kept.fields.credit_code == code(8)
    assert "its earlier credit code belongs to another record now" in signed_in.get(f"{BASE}/{batch_id}").text
