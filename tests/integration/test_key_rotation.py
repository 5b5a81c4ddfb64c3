"""rotate-keys against real databases, and migration 0003 encrypting rows written before it."""

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from adapters.crypto.fields import field_crypto
from adapters.keys import KeyRing, load_key_ring
from adapters.rotation import RotationRefused, retire_old_keys, rotate_keys
from adapters.sqlalchemy.migrate import downgrade, upgrade
from adapters.sqlalchemy.rekey import key_usage
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from bootstrap import crypto_of
from domain.customers import services
from domain.identity.models import Actor
from tests.builders import customer_form
from tests.fakes import FakeClock
from tests.integration.conftest import add_user


@pytest.fixture(autouse=True)
def _keys_from_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOUTAI_ENCRYPTION_KEYS", raising=False)
    monkeypatch.delenv("HOUTAI_BLIND_INDEX_KEY", raising=False)


def add_customer(uow: SqlUnitOfWork, owner: Actor, name: str, phone: str) -> int:
    form = customer_form(owner_id=str(owner.user_id), name=name, credit_code="", phone=phone)
    customer = services.register_customer(form, name, actor=owner, uow=uow, clock=FakeClock())
    assert customer.id is not None
    return customer.id


def sealed_prefixes(engine: Engine) -> set[bytes]:
    with engine.connect() as connection:
        tokens = connection.execute(text("SELECT phone_enc FROM customers UNION ALL SELECT email_enc FROM customers "
                                         "UNION ALL SELECT totp_secret FROM users")).scalars().all()
    return {bytes(t).split(b":", 1)[0] for t in tokens if t is not None}


def everything_decrypts(engine: Engine, tmp_path: Path, admin: Actor, ids: list[int]) -> list[str | None]:
    uow = SqlUnitOfWork(engine, crypto_of(tmp_path))
    cipher = field_crypto(load_key_ring(tmp_path)).cipher
    with uow:
        user = uow.users.get(admin.user_id)
        assert user is not None and user.totp_secret is not None and cipher.decrypt(user.totp_secret) == b"SEED"
    return [services.get_customer(i, actor=admin, uow=uow).customer.fields.phone for i in ids]


def test_rotate_then_retire_round_trip(engine: Engine, uow: SqlUnitOfWork, tmp_path: Path) -> None:
    admin = add_user(uow, "admin", {"administrator"})
    with engine.begin() as connection:
        connection.execute(text("UPDATE users SET totp_secret = :s WHERE id = :id"),
                           {"s": field_crypto(load_key_ring(tmp_path)).cipher.encrypt(b"SEED"), "id": admin.user_id})
    ids = [add_customer(uow, admin, f"Customer {i}", f"1380013800{i}") for i in range(3)]

    lines = rotate_keys(engine, tmp_path, FakeClock())

    assert "Re-encrypted 7 values under k2." in lines
    assert sealed_prefixes(engine) == {b"k2"} and set(load_key_ring(tmp_path).keys) == {"k1", "k2"}
    assert everything_decrypts(engine, tmp_path, admin, ids) == [f"1380013800{i}" for i in range(3)]

    ring = load_key_ring(tmp_path)
    stale_uow = SqlUnitOfWork(engine, field_crypto(KeyRing({"k1": ring.keys["k1"]}, "k1", ring.index_key)))
    add_customer(stale_uow, admin, "Written by an old process", "13900000000")  # still under k1
    with pytest.raises(RotationRefused, match="k1: 2"):
        retire_old_keys(engine, tmp_path, FakeClock())

    assert "Re-encrypted 2 values under k2." in rotate_keys(engine, tmp_path, FakeClock())  # finishes, no k3
    assert retire_old_keys(engine, tmp_path, FakeClock()) == ["Retired k1; k2 is the only key left."]
    assert set(load_key_ring(tmp_path).keys) == {"k2"} and sealed_prefixes(engine) == {b"k2"}
    assert everything_decrypts(engine, tmp_path, admin, ids) == [f"1380013800{i}" for i in range(3)]
    assert key_usage(engine, ["k1", "k2"]) == {"k1": 0, "k2": 9}
    with engine.connect() as connection:
        audit = connection.execute(text("SELECT action, after FROM audit_events WHERE entity_type = 'keys' "
                                        "ORDER BY seq")).all()
    assert [a for a, _ in audit] == ["keys.rotated", "keys.rotated", "keys.retired"]
    key_material = list(json.loads((tmp_path / "keys.json").read_text())["keys"].values())
    assert not any(k in str(audit) for k in key_material)


def test_with_keys_from_the_environment_it_prints_the_change_and_writes_nothing(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOUTAI_ENCRYPTION_KEYS", load_key_ring(tmp_path / "elsewhere").document(compact=True))

    lines = rotate_keys(engine, tmp_path, FakeClock())

    assert "nothing was written" in lines[0] and json.loads(lines[1])["current"] == "k2"
    assert not (tmp_path / "keys.json").exists()


def test_migration_0003_encrypts_rows_written_before_it(engine: Engine, uow: SqlUnitOfWork, tmp_path: Path) -> None:
    owner = add_user(uow, "rep", {"sales_rep"})
    crypto = crypto_of(tmp_path)
    downgrade(engine, "0002", crypto)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO customers (name, industry, region, stage, owner_id, phone, email, created_at, updated_at, "
            "created_by, version) VALUES ('Old Row Ltd', 'other', 'other', 'lead', :o, '+86 138 0013 8000', "
            "'old.canary@example.cn', :t, :t, :o, 1)"), {"o": owner.user_id, "t": "2026-01-01 00:00:00"})

    with pytest.raises(RuntimeError, match="houtai migrate"):
        upgrade(engine)
    upgrade(engine, crypto=crypto)

    customer = services.list_customers(services.CustomerListQuery(text="13800138000"), actor=owner, uow=uow)
    assert [c.name for c in customer.page.items] == ["Old Row Ltd"]
    stored = services.get_customer(customer.page.items[0].id, actor=owner, uow=uow).customer.fields
    assert (stored.phone, stored.email) == ("+86 138 0013 8000", "old.canary@example.cn")
    with engine.connect() as connection:
        columns = connection.execute(text("SELECT * FROM customers")).keys()
    assert "phone" not in columns and "email" not in columns
    renamed = services.list_customers(services.CustomerListQuery(text="Old Row"), actor=owner, uow=uow)
    assert len(renamed.page.items) == 1  # the name search (FTS5 triggers on SQLite) still works
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside a transaction: a checkpoint cannot run inside one
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        assert b"old.canary" not in Path(str(engine.url.database)).read_bytes()
