#!/usr/bin/env python3
"""Where the time of one request goes, in-process (no HTTP, no gunicorn), on the bench database.

    HOUTAI_VAR=bench/results/var-N200000 PYTHONPATH=src .venv/bin/python bench/profile_pages.py \
        SCENARIOS.json OUT_DIR [--repeat 1000] [--keys a,b,b2,f,e,o-a,o-e]

Builds the production app exactly as bootstrap.wsgi_app() does, signs a session in through the
domain (start_session, Stage.FULL, for the bench administrator), and calls each scenario's path
through Flask's test client (every scenario of the file by default, except those verify marked missing).
For each page it writes to OUT_DIR:
  <key>.phases.txt       exclusive time per phase (wrapped functions; nested calls go to the inner phase)
  <key>.cprofile.txt     cProfile top 40 by own time and by cumulative time
  <key>.pyinstrument.txt pyinstrument call tree (when pyinstrument is importable)
and prints a summary table. The test client adds some overhead of its own to "Flask/Werkzeug + rest".
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import json
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

import bootstrap
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWork
from domain.identity.models import Stage
from domain.identity.sessions import start_session

_totals: dict[str, float] = defaultdict(float)
_calls: dict[str, int] = defaultdict(int)
_stack: list[list] = []  # [phase, started, child_time]


def _wrap(owner: object, attr: str, phase: str) -> None:
    original = getattr(owner, attr)

    def timed(*args, **kwargs):
        frame = [phase, time.perf_counter(), 0.0]
        _stack.append(frame)
        try:
            return original(*args, **kwargs)
        finally:
            _stack.pop()
            spent = time.perf_counter() - frame[1]
            _totals[phase] += spent - frame[2]
            _calls[phase] += 1
            if _stack:
                _stack[-1][2] += spent

    timed.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(owner, attr, timed)


# Purchase-order pages: wrapped when this build has them (a build before issue 5's orders has not).
ORDER_PHASES = (("adapters.sqlalchemy.purchase_orders", "SqlPurchaseOrderRepository", "search", "orders list query"),
                ("adapters.sqlalchemy.purchase_orders", "SqlPurchaseOrderRepository", "get", "order detail query"))


def _wrap_if_present(module: str, owner: str, attr: str, phase: str) -> None:
    try:
        target = getattr(importlib.import_module(module), owner)
    except (ImportError, AttributeError):
        return
    if hasattr(target, attr):
        _wrap(target, attr, phase)


def _instrument() -> None:
    import flask
    import flask.templating
    import flask_wtf.csrf
    import sqlalchemy.engine.base as sa_base

    import adapters.sqlalchemy.customers as customers_sql
    import adapters.sqlalchemy.identity as identity_sql
    import adapters.sqlalchemy.unit_of_work as uow_mod
    import web.customers.views as views
    import web.guard as guard
    import web.sessions as sessions
    import web.templating as templating

    _wrap(flask.templating, "_render", "Jinja render (rest)")
    _wrap(flask.Flask, "url_for", "url_for")
    _wrap(templating, "_list_link", "list_link (query string)")
    _wrap(flask_wtf.csrf, "generate_csrf", "CSRF token")
    _wrap(sessions.ServerSessionInterface, "open_session", "session open (rest)")
    _wrap(sessions.ServerSessionInterface, "save_session", "session save")
    _wrap(identity_sql.SqlSessionRepository, "load", "session+user+roles queries")
    _wrap(guard, "check_access", "check_access")
    _wrap(customers_sql.SqlCustomerRepository, "search", "list query (build+run+map)")
    _wrap(customers_sql.SqlCustomerRepository, "_text_match", "search: FTS count + choose")
    _wrap(customers_sql.SqlCustomerRepository, "get", "detail: customer query")
    _wrap(customers_sql.SqlFollowUpRepository, "for_customer", "detail: follow-ups query")
    _wrap(views, "_owner_choices", "owner <select> query")
    _wrap(uow_mod.SqlUnitOfWork, "__enter__", "UoW enter (pool checkout+BEGIN)")
    _wrap(uow_mod.SqlUnitOfWork, "__exit__", "UoW exit (ROLLBACK+checkin)")
    _wrap(sa_base.Connection, "_execute_context", "SQLAlchemy execute (compile+run)")
    for module, owner, attr, phase in ORDER_PHASES:
        _wrap_if_present(module, owner, attr, phase)


def _client_and_cookie():
    app = bootstrap.wsgi_app()
    engine = make_engine(bootstrap.database_url())
    with engine.connect() as c:
        user_id = c.exec_driver_sql("SELECT id FROM users WHERE username = 'bench.admin'").scalar_one()
    from adapters.clock import SystemClock

    token, _ = start_session(Stage.FULL, user_id, ip="127.0.0.1", user_agent="profile_pages", replaces=None,
                             uow=SqlUnitOfWork(engine), clock=SystemClock())
    client = app.test_client()
    client.set_cookie("houtai", token, domain="localhost")
    return app, client


def _get(client, scenario):
    headers = dict(h.split(": ", 1) for h in scenario["headers"])
    response = client.get(scenario["path"], headers=headers)
    assert response.status_code == 200, (scenario["path"], response.status_code)
    return response


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("scenarios")
    ap.add_argument("out_dir")
    ap.add_argument("--repeat", type=int, default=1000)
    ap.add_argument("--keys", default="", help="comma-separated scenario keys (default: all measurable)")
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open(args.scenarios) as fh:
        doc = json.load(fh)
    scenarios = [s for s in doc["scenarios"] if not s.get("missing")
                 and (not args.keys or s["key"] in args.keys.split(","))]
    _app, client = _client_and_cookie()
    summary = []
    for s in scenarios:
        for _ in range(50):
            _get(client, s)  # warm caches: templates, compiled SQL, SQLite pages
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            _get(client, s)
        plain_ms = 1000 * (time.perf_counter() - t0) / args.repeat
        summary.append((s, plain_ms))

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(min(args.repeat, 300)):
            _get(client, s)
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        buf.write(f"{s['label']}  {s['path']}  ({min(args.repeat, 300)} requests)\n\n== by own time ==\n")
        stats.sort_stats("tottime").print_stats(40)
        buf.write("\n== by cumulative time ==\n")
        stats.sort_stats("cumulative").print_stats(40)
        (out / f"{s['key']}.cprofile.txt").write_text(buf.getvalue())

        try:
            from pyinstrument import Profiler
        except ImportError:
            Profiler = None
        if Profiler is not None:
            p = Profiler(interval=0.0002)
            p.start()
            for _ in range(min(args.repeat, 500)):
                _get(client, s)
            p.stop()
            (out / f"{s['key']}.pyinstrument.txt").write_text(p.output_text(unicode=True, color=False, show_all=False))

    _instrument()
    rows = []
    for s, plain_ms in summary:
        for _ in range(20):
            _get(client, s)
        _totals.clear()
        _calls.clear()
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            _get(client, s)
        wall = 1000 * (time.perf_counter() - t0) / args.repeat
        phases = {k: 1000 * v / args.repeat for k, v in _totals.items()}
        phases["Flask/Werkzeug/test client (rest)"] = wall - sum(phases.values())
        lines = [f"{s['label']}  {s['path']}", f"mean wall without wrappers: {plain_ms:.2f} ms/request; "
                 f"with wrappers: {wall:.2f} ms", ""]
        for k, v in sorted(phases.items(), key=lambda kv: -kv[1]):
            lines.append(f"{v:7.3f} ms  {100 * v / wall:5.1f}%  {k}  ({_calls.get(k, 0) / args.repeat:g} calls/req)")
        (out / f"{s['key']}.phases.txt").write_text("\n".join(lines) + "\n")
        print("\n".join(lines) + "\n")
        rows.append((s, plain_ms, phases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
