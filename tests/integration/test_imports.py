"""Staged customer import through the app: upload, dry run, error file, commit, undo, scope and permissions."""

import io
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, text

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.customers.models import Customer
from domain.identity.models import Actor
from tests.builders import customer_form
from tests.integration.conftest import add_department, add_user, csrf_of, sign_in_as
from tests.integration.import_files import HEADER, as_csv, as_xlsx, bad_rows, code, good_rows, read_back
from tests.integration.import_steps import batch_row, check, post, upload
from web.deps import Dependencies

FORMATS = {"csv": as_csv, "xlsx": as_xlsx}


@pytest.fixture
def sales(engine: Engine) -> int:
    return add_department(engine, "Sales")


@pytest.fixture
def manager(uow: SqlUnitOfWork, sales: int) -> Actor:
    return add_user(uow, "manager", {"sales_manager"}, sales)


@pytest.fixture
def stranger(uow: SqlUnitOfWork, engine: Engine) -> Actor:
    return add_user(uow, "stranger", {"sales_manager"}, add_department(engine, "Purchasing"))


@pytest.fixture
def signed_in(client: FlaskClient, deps: Dependencies, manager: Actor) -> FlaskClient:
    sign_in_as(client, deps, manager)
    return client


def names(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(text("SELECT name FROM customers")).scalars())


def existing(uow: SqlUnitOfWork, owner: Actor, **fields: str) -> Customer:
    from domain.customers.services import register_customer
    from tests.fakes import FakeClock

    return register_customer(customer_form(owner_id=str(owner.user_id)) | fields, "", actor=owner, uow=uow,
                             clock=FakeClock())


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_dry_run_counts_every_row_and_the_error_file_is_the_original_plus_errors(
    signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork, manager: Actor, stranger: Actor, file_format: str
) -> None:
    existing(uow, manager, name="已有客户", credit_code=code(999))
    good = good_rows(12, "manager")
    rows = good + bad_rows("manager", "stranger", code(999), good[0])
    original = FORMATS[file_format](rows)

    batch_id = upload(signed_in, original, f"客户.{file_format}")
    check(signed_in, batch_id)

    state = batch_row(engine, batch_id)
    assert state["status"] == "checked"
    assert state["counts"] == {"rows": 22, "ok": 12, "errors": 10, "create": 12}
    page = signed_in.get(f"/customers/import/{batch_id}").text
    assert "A customer with this credit code exists already" in page and "<td>14</td>" in page
    download = signed_in.get(f"/customers/import/{batch_id}/errors")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    back, sent = read_back(download.data, file_format), read_back(original, file_format) if file_format == "xlsx" \
        else [HEADER, *rows]
    assert [r[:-1] for r in back] == sent
    assert back[0][-1] == "Errors"
    assert [bool(r[-1]) for r in back[1:]] == [False] * 12 + [True] * 10
    assert "Owner:" in back[17][-1] and "E-mail:" in back[22][-1]
    assert names(engine) == {"已有客户"}  # a dry run writes no customer


def test_commit_creates_valid_rows_and_undo_removes_them(
    signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork, manager: Actor
) -> None:
    good = good_rows(5, "manager")
    batch_id = upload(signed_in, as_csv([*good, ["", "", "", "", "", "", "", "", "no name"]]), "new.csv")
    check(signed_in, batch_id)

    assert post(signed_in, f"/customers/import/{batch_id}/commit") == 303

    counts = batch_row(engine, batch_id)["counts"]
    assert isinstance(counts, dict) and (counts["created"], counts["skipped"]) == (5, 1)
    assert names(engine) == {row[0] for row in good}
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT phone_enc, region, industry, stage, owner_id FROM customers "
                                         "ORDER BY id")).all()
        audit = connection.execute(text("SELECT action, after FROM audit_events WHERE entity_type = 'import_batch' "
                                        "ORDER BY id")).all()
    assert b"13800000000" not in bytes(stored[0].phone_enc)
    assert [(r.region, r.industry, r.stage) for r in stored[:3]] == [
        ("shanghai", "manufacturing", "lead"), ("zhejiang", "technology", "prospect"), ("beijing", "retail", "lead")]
    assert {r.owner_id for r in stored} == {manager.user_id}
    assert [a.action for a in audit] == ["customer.import_uploaded", "customer.import_checked", "customer.imported"]
    assert "1380000" not in str(audit[-1].after) and "5" in str(audit[-1].after)

    _follow_up(engine, manager, min(_ids(engine)))
    assert post(signed_in, f"/customers/import/{batch_id}/undo") == 303

    state = batch_row(engine, batch_id)
    assert state["status"] == "undone"
    assert state["counts"]["deleted"] == 4 and state["counts"]["kept_linked"] == 1
    assert len(names(engine)) == 1
    assert post(signed_in, f"/customers/import/{batch_id}/undo") == 303  # once only: refused with a message
    assert batch_row(engine, batch_id)["status"] == "undone"


def test_update_by_credit_code_changes_filled_fields_and_undo_restores_exactly(
    signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork, manager: Actor, stranger: Actor
) -> None:
    mine = existing(uow, manager, name="老客户", credit_code=code(1), phone="13911112222", stage="lead")
    theirs = existing(uow, stranger, name="别人的客户", credit_code=code(2))
    rows = [["老客户（新名）", code(1), "", "", "成交客户", "", "13900000000", "", ""],
            ["别人的客户", code(2), "", "", "流失", "", "", "", ""],
            *good_rows(1, "manager", start=50)]
    batch_id = upload(signed_in, as_xlsx(rows), "update.xlsx")
    check(signed_in, batch_id, mode="credit_code")
    assert batch_row(engine, batch_id)["counts"] == {"rows": 3, "ok": 2, "errors": 1, "update": 1, "create": 1}

    post(signed_in, f"/customers/import/{batch_id}/commit")

    with SqlUnitOfWork(engine, uow._crypto) as reader:
        updated = reader.customers.get(mine.id or 0, manager)
        untouched = reader.customers.get(theirs.id or 0, stranger)
    assert updated and updated.fields.name == "老客户（新名）" and updated.fields.stage == "customer"
    assert updated.fields.phone == "13900000000" and updated.fields.industry == mine.fields.industry
    assert untouched and untouched.fields == theirs.fields

    post(signed_in, f"/customers/import/{batch_id}/undo")

    with SqlUnitOfWork(engine, uow._crypto) as reader:
        restored = reader.customers.get(mine.id or 0, manager)
    assert restored and restored.fields == mine.fields and restored.department_id == mine.department_id
    assert names(engine) == {"老客户", "别人的客户"}
    assert batch_row(engine, batch_id)["counts"]["restored"] == 1


def test_update_by_name_matches_exact_names_in_scope(signed_in: FlaskClient, engine: Engine, uow: SqlUnitOfWork,
                                                     manager: Actor) -> None:
    existing(uow, manager, name="名称匹配公司", credit_code="")
    batch_id = upload(signed_in, as_csv([["名称匹配公司", "", "", "", "潜在客户", "", "", "", ""]]), "n.csv")
    check(signed_in, batch_id, mode="name")
    post(signed_in, f"/customers/import/{batch_id}/commit")

    with engine.connect() as connection:
        assert connection.execute(text("SELECT stage FROM customers")).scalars().all() == ["prospect"]


def test_mapping_is_remembered_and_errors_re_render_the_form(signed_in: FlaskClient, engine: Engine) -> None:
    first = upload(signed_in, as_csv(good_rows(1, "manager")), "a.csv")
    check(signed_in, first, mapping=["name", "", "", "", "", "", "", "", "industry"])
    second = upload(signed_in, as_csv(good_rows(1, "manager")), "b.csv")

    page = signed_in.get(f"/customers/import/{second}").text
    refused = signed_in.post(f"/customers/import/{second}/check", data={
        "csrf_token": csrf_of(signed_in, "/customers/import"), "column": [""] * 9, "mode": "create"})

    assert re.search(r'name="column">\s*<option value="">[^<]*</option>\s*<option value="name" selected', page)
    assert page.count(" selected>") == 3  # name, industry, and the mode radio's "checked" is not counted
    assert refused.status_code == 422 and "Choose the column that holds the customer name" in refused.text


def test_upload_refuses_wrong_formats_and_files_over_the_limit(signed_in: FlaskClient, engine: Engine) -> None:
    token = csrf_of(signed_in, "/customers/import")
    html = signed_in.post("/customers/import", data={"csrf_token": token,
                                                     "file": (io.BytesIO(b"<html>x</html>"), "x.xlsx")})
    body = (f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n--b\r\n'
            'Content-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n').encode() + \
        b"a" * (20 * 1024 * 1024 + 10) + b"\r\n--b--\r\n"  # built here: the test client would spool it to a file
    big = signed_in.post("/customers/import", data=body, content_type="multipart/form-data; boundary=b")
    gbk = upload(signed_in, as_csv(good_rows(1, "manager"), encoding="gb18030"), "gbk.csv")

    assert html.status_code == 422 and "Upload a CSV file" in html.text
    assert big.status_code == 413 and "larger than 20 MB" in big.text
    assert signed_in.get(f"/customers/import/{gbk}").text.count("统一社会信用代码") >= 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_batches")).scalar() == 1


def test_without_the_permission_403_and_nothing_stored(client: FlaskClient, deps: Dependencies, uow: SqlUnitOfWork,
                                                       engine: Engine) -> None:
    rep = add_user(uow, "rep", {"sales_rep"})
    sign_in_as(client, deps, rep)
    token = csrf_of(client, "/customers/new")

    page = client.get("/customers/import")
    posted = client.post("/customers/import", data={"csrf_token": token,
                                                    "file": (io.BytesIO(as_csv(good_rows(1, "rep"))), "a.csv")})

    assert page.status_code == 403 and posted.status_code == 403
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM import_batches")).scalar() == 0


def test_another_users_batch_is_404_with_nothing_of_it_in_the_body(
    signed_in: FlaskClient, app: object, deps: Dependencies, engine: Engine, uow: SqlUnitOfWork, stranger: Actor
) -> None:
    batch_id = upload(signed_in, as_csv(good_rows(2, "manager")), "秘密文件.csv")
    check(signed_in, batch_id)
    post(signed_in, f"/customers/import/{batch_id}/commit")
    other = signed_in.application.test_client()
    sign_in_as(other, deps, stranger)

    answers = [other.get(f"/customers/import/{batch_id}"), other.get(f"/customers/import/{batch_id}/errors"),
               other.post(f"/customers/import/{batch_id}/undo",
                          data={"csrf_token": csrf_of(other, "/customers/import")})]

    assert [a.status_code for a in answers] == [404, 404, 404]
    assert all("秘密文件" not in a.text and "导入测试" not in a.text for a in answers)
    assert batch_row(engine, batch_id)["status"] == "committed"
    admin = signed_in.application.test_client()
    sign_in_as(admin, deps, add_user(uow, "admin", {"administrator"}))
    assert post(admin, f"/customers/import/{batch_id}/undo") == 303
    assert batch_row(engine, batch_id)["status"] == "undone"


def test_two_thousand_rows_through_the_jobs(signed_in: FlaskClient, engine: Engine) -> None:
    batch_id = upload(signed_in, as_xlsx(good_rows(2000, "manager")), "big.xlsx")
    check(signed_in, batch_id)
    post(signed_in, f"/customers/import/{batch_id}/commit")

    assert batch_row(engine, batch_id)["counts"]["created"] == 2000
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 2000
        job = connection.execute(text("SELECT status, done, total FROM jobs ORDER BY id DESC LIMIT 1")).one()
        assert connection.execute(text("SELECT count(*) FROM import_batch_items")).scalar() == 2000
    assert tuple(job) == ("done", 2000, 2000)


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT id FROM customers")).scalars())


def _follow_up(engine: Engine, author: Actor, customer_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO follow_ups (customer_id, author_id, kind, content, created_at) "
                                "VALUES (:c, :a, 'call', 'x', CURRENT_TIMESTAMP)"), {"c": customer_id,
                                                                                     "a": author.user_id})


def test_the_progress_poll_refreshes_the_whole_batch_panel(signed_in: FlaskClient, engine: Engine) -> None:
    batch_id = upload(signed_in, as_csv(good_rows(3, "manager")), "poll.csv")
    check(signed_in, batch_id)
    with engine.connect() as connection:
        job_id = connection.execute(text("SELECT job_id FROM import_batches WHERE id = :i"), {"i": batch_id}).scalar()

    poll = {"HX-Request": "true", "HX-Target": f"job-{job_id}"}
    polled = signed_in.get(f"/customers/import/{batch_id}", headers=poll)
    page = signed_in.get(f"/customers/import/{batch_id}")

    assert polled.headers["HX-Retarget"] == "#import-batch" and polled.text.startswith('<section id="import-batch"')
    assert "<html" in page.text and "Would create" in page.text and "HX-Retarget" not in page.headers
