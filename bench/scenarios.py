#!/usr/bin/env python3
"""Pick the bench scenarios from the seeded data, and check them over HTTP before the timed runs.

    PYTHONPATH=src python bench/scenarios.py pick   DB_FILE N DEEP_PAGE OUT.json [N_ORDERS]
    python bench/scenarios.py verify BASE_URL COOKIE_FILE SCENARIOS.json

`pick` reads the SQLite file directly (sqlite3, read-only) and writes
{"meta": {...}, "scenarios": [{"key", "group", "label", "path", "headers", "expect_rows"}, ...]}: the customer
scenarios (a)-(f) and, when the database holds purchase orders and N_ORDERS > 0, the purchase-order list
scenarios (o-a)-(o-f). The deep-page cursors are made with the app's own domain.shared.paging.encode_cursor.
`verify` fetches every path once with the cookie: status 200, the expected number of rows (counted by each
row's first-cell link), fragment vs full page. When a group's list page answers 404 (e.g. the purchase-order
pages are not in this build yet), its scenarios are marked "missing" in SCENARIOS.json, said so plainly, and
left out of the timed runs; any other failure fails the check.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

PER_PAGE = 50
# Each list row's first cell links to the record: how rows are counted, per group of scenarios.
GROUPS = {"customers": ("/customers", re.compile(r'<td><a href="/customers/\d+"[ >]')),
          "orders": ("/purchase-orders", re.compile(r'<td><a href="/purchase-orders/\d+"[ >]'))}
DETAIL_KEYS = ("e", "o-e")


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _customer_count(db: sqlite3.Connection, term: str) -> int:
    return db.execute("SELECT count(*) FROM customers WHERE archived_at IS NULL AND name LIKE ? ESCAPE '\\'",
                      (_like(term),)).fetchone()[0]


def _order_count(db: sqlite3.Connection, term: str) -> int:
    """Orders whose number, supplier name or title contains `term` (what the list's q searches)."""
    return db.execute("SELECT count(*) FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id "
                      "WHERE o.number LIKE ?1 ESCAPE '\\' OR s.name LIKE ?1 ESCAPE '\\' OR o.title LIKE ?1 "
                      "ESCAPE '\\'", (_like(term),)).fetchone()[0]


def _pick_terms(names: Iterable[tuple[str, int]], target: int, count: Callable[[str], int],
                recheck: int = 1) -> dict[str, tuple[str, int]]:
    """The English phrase and the Chinese term (>= 3 characters) whose match counts are nearest `target`.

    `names` are (name, weight): a name matched counts `weight` rows. English candidates: 1-3 whole words from a
    name, optionally followed by " " + the first letter of the next word (e.g. "Kestrel C"); Chinese candidates:
    every 3-character substring. Counts are of distinct names in Python; the `recheck` nearest candidates are then
    counted with `count` (SQL LIKE, the figure reported) and the nearest of those wins."""
    english, chinese = Counter(), Counter()
    for name, weight in names:
        if _cjk(name):
            chinese.update(dict.fromkeys({name[i:i + 3] for i in range(len(name) - 2)}, weight))
            continue
        words, found = name.split(" "), set()
        for i in range(len(words)):
            for j in range(i + 1, min(i + 3, len(words)) + 1):
                phrase = " ".join(words[i:j])
                found.add(phrase)
                if j < len(words):
                    found.add(phrase + " " + words[j][0])
        english.update(dict.fromkeys((p for p in found if len(p) >= 3), weight))
    picks = {}
    for key, counts in (("en", english), ("zh", chinese)):
        if not counts:
            continue
        # nearest count; ties go to the longer (more natural) term, then alphabetical for determinism
        nearest = sorted(counts, key=lambda t: (abs(counts[t] - target), -len(t), t))[:recheck]
        counted = [(term, count(term)) for term in nearest]
        picks[key] = min(counted, key=lambda tc: (abs(tc[1] - target), nearest.index(tc[0])))
    return picks


def _cursor(created_at: str, row_id: int) -> str:
    from domain.shared.paging import encode_cursor  # the app's own cursor format (PYTHONPATH=src)

    value = datetime.fromisoformat(created_at).replace(tzinfo=UTC)  # SQLite holds naive UTC text
    return encode_cursor((value.isoformat(), row_id))


def pick(db_file: str, n: int, deep_page: int, out: str, n_orders: int = 0) -> int:
    started = time.perf_counter()
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    customers, meta = _customer_scenarios(db, n, deep_page)
    orders: list[tuple[str, str, str, list[str], int | None]] = []
    if n_orders > 0:
        orders, meta["orders"] = _order_scenarios(db, n_orders, deep_page)
    meta["pick_seconds"] = round(time.perf_counter() - started, 1)
    doc = {"meta": meta, "scenarios": [
        {"key": k, "group": group, "label": label, "path": path, "headers": headers, "expect_rows": rows}
        for group, scenarios in (("customers", customers), ("orders", orders))
        for k, label, path, headers, rows in scenarios]}
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)
    print(json.dumps(meta, ensure_ascii=False), file=sys.stderr)
    return 0


def _customer_scenarios(db: sqlite3.Connection, n: int, deep_page: int) -> tuple[list[Any], dict[str, Any]]:
    total = db.execute("SELECT count(*) FROM customers WHERE archived_at IS NULL").fetchone()[0]
    terms = _pick_terms(((name, 1) for (name,) in db.execute("SELECT name FROM customers WHERE archived_at IS NULL")),
                        max(1, round(n / 1000)), lambda term: _customer_count(db, term))
    owner_id, owner_name, owner_user = db.execute(
        "SELECT id, display_name, username FROM users WHERE username LIKE 'demo.%' ORDER BY id LIMIT 1").fetchone()
    filter_rows = db.execute("SELECT count(*) FROM customers WHERE archived_at IS NULL AND stage = 'lead' "
                             "AND owner_id = ?", (owner_id,)).fetchone()[0]
    last_page = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    deep_page = max(2, min(deep_page, last_page))
    # Page P is reached from page P-1's "Next" link: after = cursor of row (P-1)*50 (1-based) in list order.
    created_at, after_id = db.execute(
        "SELECT created_at, id FROM customers WHERE archived_at IS NULL ORDER BY created_at DESC, id DESC "
        "LIMIT 1 OFFSET ?", ((deep_page - 1) * PER_PAGE - 1,)).fetchone()
    deep_rows = min(PER_PAGE, total - (deep_page - 1) * PER_PAGE)
    detail_id = db.execute("SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET ?", (total // 2,)).fetchone()[0]
    q = urllib.parse.quote
    en, en_hits = terms["en"]
    zh, zh_hits = terms["zh"]
    hx = ["HX-Request: true", "HX-Target: customer-results"]
    scenarios = [
        ("a", "(a) list page 1", "/customers", [], PER_PAGE),
        ("b", f"(b) search '{en}'", f"/customers?q={q(en)}", [], min(PER_PAGE, en_hits)),
        ("b2", f"(b2) search '{zh}'", f"/customers?q={q(zh)}", [], min(PER_PAGE, zh_hits)),
        ("c", "(c) filter stage=lead + owner", f"/customers?stage=lead&owner={owner_id}", [],
         min(PER_PAGE, filter_rows)),
        ("d", f"(d) keyset page {deep_page:,}", f"/customers?after={_cursor(created_at, after_id)}", [], deep_rows),
        ("e", "(e) detail page", f"/customers/{detail_id}", [], None),
        ("f", "(f) htmx partial of (a)", "/customers", hx, PER_PAGE),
    ]
    meta = {
        "customers": total, "n": n, "target_hits": round(n / 1000),
        "search_term": en, "search_matches": en_hits, "search_term_zh": zh, "search_matches_zh": zh_hits,
        "filter_owner_id": owner_id, "filter_owner": f"{owner_user} ({owner_name})", "filter_matches": filter_rows,
        "deep_page": deep_page, "deep_page_first_row": (deep_page - 1) * PER_PAGE + 1, "detail_id": detail_id,
    }
    return scenarios, meta


def _order_scenarios(db: sqlite3.Connection, n_orders: int, deep_page: int) -> tuple[list[Any], dict[str, Any]]:
    """(o-a)-(o-f) on /purchase-orders: list, supplier-name searches near 0.1 %, status + supplier, deep page,
    a closed order with receipts and invoices as the detail page, and the htmx partial."""
    total = db.execute("SELECT count(*) FROM purchase_orders").fetchone()[0]
    if not total:
        sys.exit("scenarios: N_ORDERS > 0 but the database holds no purchase orders (houtai seed-demo --orders N)")
    names = db.execute("SELECT s.name, count(*) FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id "
                       "GROUP BY s.id").fetchall()
    terms = _pick_terms(names, max(1, round(n_orders / 1000)), lambda term: _order_count(db, term), recheck=12)
    supplier_id, supplier_name, status, filter_rows = db.execute(
        "SELECT s.id, s.name, o.status, count(*) AS hits FROM purchase_orders o "
        "JOIN suppliers s ON s.id = o.supplier_id GROUP BY s.id, o.status ORDER BY hits DESC, s.id LIMIT 1").fetchone()
    last_page = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    deep_page = max(2, min(deep_page, last_page))
    created_at, after_id = db.execute(
        "SELECT created_at, id FROM purchase_orders ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
        ((deep_page - 1) * PER_PAGE - 1,)).fetchone()
    deep_rows = min(PER_PAGE, total - (deep_page - 1) * PER_PAGE)
    middle = db.execute("SELECT id FROM purchase_orders ORDER BY id LIMIT 1 OFFSET ?", (total // 2,)).fetchone()[0]
    detail = db.execute(  # from the middle on, a closed order of 3+ lines with receipts and an invoice: a full page
        "SELECT o.id, o.number FROM purchase_orders o WHERE o.id >= ? AND o.status = 'closed' "
        "AND (SELECT count(*) FROM purchase_order_lines l WHERE l.order_id = o.id) >= 3 "
        "AND EXISTS (SELECT 1 FROM supplier_invoices i WHERE i.order_id = o.id) ORDER BY o.id LIMIT 1",
        (middle,)).fetchone() or db.execute("SELECT id, number FROM purchase_orders WHERE id >= ? ORDER BY id LIMIT 1",
                                            (middle,)).fetchone()
    lines = db.execute("SELECT count(*) FROM purchase_order_lines WHERE order_id = ?", (detail[0],)).fetchone()[0]
    q = urllib.parse.quote
    hx = ["HX-Request: true", "HX-Target: order-results"]
    scenarios = [("o-a", "(o-a) orders list page 1", "/purchase-orders", [], min(PER_PAGE, total))]
    for key, lang in (("o-b", "en"), ("o-b2", "zh")):
        if lang in terms:
            term, hits = terms[lang]
            scenarios.append((key, f"({key}) orders search '{term}'", f"/purchase-orders?q={q(term)}", [],
                              min(PER_PAGE, hits)))
    scenarios += [
        ("o-c", f"(o-c) orders status={status} + supplier", f"/purchase-orders?status={status}&supplier={supplier_id}",
         [], min(PER_PAGE, filter_rows)),
        ("o-d", f"(o-d) orders keyset page {deep_page:,}", f"/purchase-orders?after={_cursor(created_at, after_id)}",
         [], deep_rows),
        ("o-e", "(o-e) order detail page", f"/purchase-orders/{detail[0]}", [], None),
        ("o-f", "(o-f) htmx partial of (o-a)", "/purchase-orders", hx, min(PER_PAGE, total)),
    ]
    meta = {"orders": total, "n_orders": n_orders, "target_hits": round(n_orders / 1000),
            "search_term": terms.get("en", ("", 0))[0], "search_matches": terms.get("en", ("", 0))[1],
            "search_term_zh": terms.get("zh", ("", 0))[0], "search_matches_zh": terms.get("zh", ("", 0))[1],
            "filter_status": status, "filter_supplier_id": supplier_id, "filter_supplier": supplier_name,
            "filter_matches": filter_rows, "deep_page": deep_page,
            "deep_page_first_row": (deep_page - 1) * PER_PAGE + 1, "detail_id": detail[0],
            "detail_number": detail[1], "detail_lines": lines}
    return scenarios, meta


def verify(base: str, cookie_file: str, scenarios_file: str) -> int:
    with open(cookie_file) as fh:
        cookie = fh.read().strip()
    with open(scenarios_file) as fh:
        doc = json.load(fh)
    failed, absent = 0, {}
    for s in doc["scenarios"]:
        prefix, row_link = GROUPS[s.get("group", "customers")]
        if s.get("group") in absent:
            s["missing"] = absent[s["group"]]
            print(f"[verify] skip {s['label']}: {s['missing']}", file=sys.stderr)
            continue
        status, body, final = _fetch(base, cookie, s)
        if status == 404 and s["path"] == prefix and not s["headers"]:
            absent[s["group"]] = s["missing"] = (f"{prefix} answered 404: these pages are not in this build, so "
                                                 f"the {s['group']} scenarios are not measured")
            print(f"[verify] MISSING {s['label']}: {s['missing']}", file=sys.stderr)
            continue
        rows = len(row_link.findall(body))
        full = "<html" in body
        ok = status == 200 and urllib.parse.urlsplit(final).path.startswith(prefix)
        if s["expect_rows"] is not None:
            ok = ok and rows == s["expect_rows"]
        if s["headers"]:
            ok = ok and not full  # the partial must not carry the layout
        if s["key"] in DETAIL_KEYS:
            ok = ok and full
        failed += not ok
        expected = "" if s["expect_rows"] is None else f" (expected {s['expect_rows']})"
        print(f"[verify] {'ok  ' if ok else 'FAIL'} {s['label']}: {status}, {rows} rows{expected}, "
              f"{len(body.encode()):,} B{', full page' if full else ', fragment'}", file=sys.stderr)
    with open(scenarios_file, "w") as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)
    return 1 if failed else 0


def _fetch(base: str, cookie: str, scenario: dict[str, Any]) -> tuple[int, str, str]:
    """Status, body and final URL (after redirects) of one scenario's request."""
    req = urllib.request.Request(base.rstrip("/") + scenario["path"], headers={"Cookie": cookie})
    for h in scenario["headers"]:
        name, value = h.split(":", 1)
        req.add_header(name.strip(), value.strip())
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8", "replace"), resp.geturl()
    except urllib.error.HTTPError as err:
        return err.code, "", scenario["path"]


if __name__ == "__main__":
    if len(sys.argv) in (6, 7) and sys.argv[1] == "pick":
        sys.exit(pick(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
                      int(sys.argv[6]) if len(sys.argv) == 7 else 0))
    if len(sys.argv) == 5 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2], sys.argv[3], sys.argv[4]))
    sys.exit(__doc__)
