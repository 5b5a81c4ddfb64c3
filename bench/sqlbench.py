#!/usr/bin/env python3
"""The SQL of each scenario alone: capture what the app sends, re-run it on raw sqlite3, show plans.

    HOUTAI_VAR=bench/results/var-N200000 PYTHONPATH=src .venv/bin/python bench/sqlbench.py SCENARIOS.json \
        [--keys a,b,b2,c,d,e,f,o-a,...] [--repeat 200] > OUT.txt

Each scenario's path is requested once in-process (Flask test client, bench administrator session
started through the domain); every statement SQLAlchemy executes is captured with its parameters,
then timed on a separate read-only sqlite3 connection (median of --repeat runs, all rows fetched)
and shown with EXPLAIN QUERY PLAN. BEGIN/ROLLBACK and PRAGMAs are left out. By default every scenario of the
file is shown, except those verify marked missing.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time

from sqlalchemy import Engine, event

import bootstrap
from adapters.clock import SystemClock
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Stage
from domain.identity.sessions import start_session


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenarios")
    ap.add_argument("--keys", default="", help="comma-separated scenario keys (default: all measurable)")
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    doc = json.load(open(args.scenarios))
    app = bootstrap.wsgi_app()
    captured: list[tuple[str, tuple]] = []

    @event.listens_for(Engine, "before_cursor_execute")
    def _capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        captured.append((statement, tuple(parameters) if isinstance(parameters, (list, tuple)) else parameters))

    own = make_engine(bootstrap.database_url())
    with own.connect() as c:
        user_id = c.exec_driver_sql("SELECT id FROM users WHERE username = 'bench.admin'").scalar_one()
    token, _ = start_session(Stage.FULL, user_id, ip="127.0.0.1", user_agent="sqlbench", replaces=None,
                             uow=SqlUnitOfWork(own), clock=SystemClock())
    client = app.test_client()
    client.set_cookie("houtai", token, domain="localhost")
    raw = sqlite3.connect(f"file:{bootstrap.database_url().split('///', 1)[1]}?mode=ro", uri=True)
    raw.execute("PRAGMA cache_size=-32000")
    for s in doc["scenarios"]:
        if s.get("missing") or (args.keys and s["key"] not in args.keys.split(",")):
            continue
        client.get(s["path"], headers=dict(h.split(": ", 1) for h in s["headers"]))  # warm
        captured.clear()
        status = client.get(s["path"], headers=dict(h.split(": ", 1) for h in s["headers"])).status_code
        print(f"== {s['label']}  {s['path']}  (HTTP {status})")
        total = 0.0
        for sql, params in captured:
            if sql.startswith(("BEGIN", "ROLLBACK", "COMMIT", "PRAGMA", "SELECT 1")):
                continue
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                raw.execute(sql, params).fetchall()
                times.append(time.perf_counter() - t0)
            ms = 1000 * statistics.median(times)
            total += ms
            plan = "; ".join(r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
            print(f"  {ms:7.3f} ms  {' '.join(sql.split())[:220]}")
            print(f"             params {params!r:.120}\n             plan: {plan}")
        print(f"  {total:7.3f} ms  SQL total for this page\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
