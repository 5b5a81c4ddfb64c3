"""Migrations on a database that holds data: SQLite table rebuilds keep every referencing row."""

from pathlib import Path

import pytest
from sqlalchemy import exc, text
from sqlalchemy.pool import StaticPool

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import downgrade, is_current, upgrade

USER = ("INSERT INTO users (id, username, display_name, password_hash, is_active, totp_confirmed, failed_logins, "
        "created_at, version) VALUES (1, 'u', 'U', '!', true, true, 0, '2026-01-01', 1)")
CUSTOMER = ("INSERT INTO customers (id, name, industry, region, stage, owner_id, created_at, updated_at, created_by, "
            "version) VALUES (1, 'C', 'other', 'other', 'lead', 1, '2026-01-01', '2026-01-01', 1, 1)")
CONTRACT = ("INSERT INTO contracts (id, number, title, customer_id, amount, currency, owner_id, payment_terms, notes, "
            "status, amendment, created_by, created_at, updated_at, version) VALUES (1, 'HT-1', 't', 1, 10, 'CNY', 1, "
            "'', '', 'active', 1, 1, '2026-01-01', '2026-01-01', 1)")
AMENDMENT = ("INSERT INTO contract_amendments (contract_id, number, reason, changes, snapshot, created_by, created_at) "
             "VALUES (1, 1, 'r', '[]', '{}', 1, '2026-01-01')")
NO_PARTY = ("INSERT INTO contracts (number, title, amount, currency, owner_id, payment_terms, notes, status, "
            "amendment, created_by, created_at, updated_at, version) "
            "VALUES ('HT-2', 't', 10, 'CNY', 1, '', '', 'draft', 0, 1, '2026-01-01', '2026-01-01', 1)")


def test_the_procurement_migration_keeps_contracts_and_their_amendments(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0008")
    with engine.begin() as connection:
        for statement in (USER, CUSTOMER, CONTRACT, AMENDMENT):
            connection.execute(text(statement))

    upgrade(engine)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, customer_id, supplier_id FROM contracts")).all() == [(1, 1, None)]
        assert connection.execute(text("SELECT count(*) FROM contract_amendments")).scalar() == 1
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on after migrating
    with pytest.raises(exc.IntegrityError), engine.begin() as connection:
        connection.execute(text(NO_PARTY))  # a contract needs exactly one party
    downgrade(engine, "0008")
    upgrade(engine)
    assert is_current(engine)
    engine.dispose()


def test_a_failed_migration_leaves_foreign_keys_on_for_the_next_user_of_its_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}", poolclass=StaticPool)  # one connection, reused
    upgrade(engine, "0008")
    raw = engine.raw_connection()
    raw.execute("PRAGMA foreign_keys=OFF")  # a contract whose customer is gone: 0009's check refuses it
    raw.execute(USER)
    raw.execute(CONTRACT)
    raw.execute("PRAGMA foreign_keys=ON")
    raw.close()

    with pytest.raises(RuntimeError, match="dangling references"):
        upgrade(engine)

    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


VIEW = ("INSERT INTO saved_views (owner_id, name, query, shared_department_id, created_at) "
        "VALUES (1, 'Leads', 'stage=lead', NULL, '2026-01-01')")


def test_saved_views_of_before_the_list_tools_become_customer_list_views(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0009")
    with engine.begin() as connection:
        for statement in (USER, VIEW):
            connection.execute(text(statement))

    upgrade(engine)

    with engine.begin() as connection:
        assert connection.execute(text("SELECT list_key, name FROM saved_views")).all() == [("customers", "Leads")]
        connection.execute(text("INSERT INTO saved_views (list_key, owner_id, name, query, created_at) "
                                "VALUES ('contracts', 1, 'Drafts', 'status=draft', '2026-01-01')"))
    with pytest.raises(exc.IntegrityError), engine.begin() as connection:
        connection.execute(text(VIEW))  # a view must name its list now
    downgrade(engine, "0009")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM saved_views")).scalars().all() == ["Leads"]
    upgrade(engine)
    assert is_current(engine)
    engine.dispose()


BATCH = ("INSERT INTO import_batches (id, owner_id, file_id, filename, format, status, header, mapping, mode, counts, "
         "problems, created_at, version) VALUES (1, 1, 'f', 'a.csv', 'csv', 'committed', '[]', '[]', 'create', '{}', "
         "'[]', '2026-01-01', 1)")
ITEM = "INSERT INTO import_batch_items (batch_id, row, customer_id, created, version) VALUES (1, 2, 1, true, 1)"


def test_customer_import_batches_of_before_the_supplier_import_stay_customer_batches(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0011")
    with engine.begin() as connection:
        for statement in (USER, CUSTOMER, BATCH, ITEM):
            connection.execute(text(statement))

    upgrade(engine)

    with engine.begin() as connection:
        assert connection.execute(text("SELECT target FROM import_batches")).scalars().all() == ["customer"]
        assert connection.execute(text("SELECT record_id FROM import_batch_items")).scalars().all() == [1]
        connection.execute(text(BATCH.replace("(1, 1,", "(2, 1,").replace("'committed'", "'checked'")))
        connection.execute(text("UPDATE import_batches SET target = 'supplier' WHERE id = 2"))
        connection.execute(text("INSERT INTO import_batch_items (batch_id, row, record_id, created, version) "
                                "VALUES (2, 2, 7, true, 1)"))
    downgrade(engine, "0011")
    with engine.connect() as connection:  # the supplier batch has no place in the older schema
        assert connection.execute(text("SELECT batch_id, customer_id FROM import_batch_items")).all() == [(1, 1)]
        assert connection.execute(text("SELECT id FROM import_batches")).scalars().all() == [1]
    upgrade(engine)
    assert is_current(engine)
    engine.dispose()
