#!/usr/bin/env python3
"""Pick the bench scenarios from the seeded data, and check them over HTTP before the timed runs.

    PYTHONPATH=src python bench/scenarios.py pick   DB_FILE N DEEP_PAGE OUT.json
    python bench/scenarios.py verify BASE_URL COOKIE_FILE SCENARIOS.json

`pick` reads the SQLite file directly (sqlite3, read-only) and writes
{"meta": {...}, "scenarios": [{"key", "label", "path", "headers", "expect_rows"}, ...]}.
The deep-page cursor is made with the app's own domain.shared.paging.encode_cursor.
`verify` fetches every path once with the cookie: status 200 and the expected number of rows.
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
from datetime import UTC, datetime

PER_PAGE = 50
ROW_LINK = re.compile(r'<td><a href="/customers/\d+"[ >]')  # the name cell that opens each list row


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _like_count(db: sqlite3.Connection, term: str) -> int:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return db.execute("SELECT count(*) FROM customers WHERE archived_at IS NULL AND name LIKE ? ESCAPE '\\'",
                      (f"%{escaped}%",)).fetchone()[0]


def _pick_terms(db: sqlite3.Connection, target: int) -> dict[str, tuple[str, int]]:
    """The English phrase and the Chinese term (>= 3 characters) whose match counts are nearest `target`.

    English candidates: 1-3 whole words from a name, optionally followed by " " + the first letter of the
    next word (e.g. "Kestrel C"); Chinese candidates: every 3-character substring. Counts are of distinct
    names in Python, then the winner is re-counted with SQL LIKE (the figure reported)."""
    english, chinese = Counter(), Counter()
    for (name,) in db.execute("SELECT name FROM customers WHERE archived_at IS NULL"):
        if _cjk(name):
            chinese.update({name[i:i + 3] for i in range(len(name) - 2)})
            continue
        words, found = name.split(" "), set()
        for i in range(len(words)):
            for j in range(i + 1, min(i + 3, len(words)) + 1):
                phrase = " ".join(words[i:j])
                found.add(phrase)
                if j < len(words):
                    found.add(phrase + " " + words[j][0])
        english.update(p for p in found if len(p) >= 3)
    picks = {}
    for key, counts in (("en", english), ("zh", chinese)):
        # nearest count; ties go to the longer (more natural) term, then alphabetical for determinism
        term = min(counts, key=lambda t: (abs(counts[t] - target), -len(t), t))
        picks[key] = (term, _like_count(db, term))
    return picks


def _cursor(created_at: str, row_id: int) -> str:
    from domain.shared.paging import encode_cursor  # the app's own cursor format (PYTHONPATH=src)

    value = datetime.fromisoformat(created_at).replace(tzinfo=UTC)  # SQLite holds naive UTC text
    return encode_cursor((value.isoformat(), row_id))


def pick(db_file: str, n: int, deep_page: int, out: str) -> int:
    started = time.perf_counter()
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    total = db.execute("SELECT count(*) FROM customers WHERE archived_at IS NULL").fetchone()[0]
    terms = _pick_terms(db, max(1, round(n / 1000)))
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
        "pick_seconds": round(time.perf_counter() - started, 1),
    }
    doc = {"meta": meta, "scenarios": [
        {"key": k, "label": label, "path": path, "headers": headers, "expect_rows": rows}
        for k, label, path, headers, rows in scenarios]}
    with open(out, "w") as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)
    print(json.dumps(meta, ensure_ascii=False), file=sys.stderr)
    return 0


def verify(base: str, cookie_file: str, scenarios_file: str) -> int:
    cookie = open(cookie_file).read().strip()
    doc = json.load(open(scenarios_file))
    failed = 0
    for s in doc["scenarios"]:
        req = urllib.request.Request(base.rstrip("/") + s["path"], headers={"Cookie": cookie})
        for h in s["headers"]:
            name, value = h.split(":", 1)
            req.add_header(name.strip(), value.strip())
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, body = resp.status, resp.read().decode("utf-8", "replace")
                final = resp.geturl()
        except urllib.error.HTTPError as err:
            status, body, final = err.code, "", s["path"]
        rows = len(ROW_LINK.findall(body))
        full = "<html" in body
        ok = status == 200 and urllib.parse.urlsplit(final).path.startswith("/customers")
        if s["expect_rows"] is not None:
            ok = ok and rows == s["expect_rows"]
        if s["headers"]:
            ok = ok and not full  # the partial must not carry the layout
        if s["key"] == "e":
            ok = ok and full
        failed += not ok
        print(f"[verify] {'ok  ' if ok else 'FAIL'} {s['label']}: {status}, {rows} rows, {len(body.encode()):,} B"
              f"{', full page' if full else ', fragment'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "pick":
        sys.exit(pick(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]))
    if len(sys.argv) == 5 and sys.argv[1] == "verify":
        sys.exit(verify(sys.argv[2], sys.argv[3], sys.argv[4]))
    sys.exit(__doc__)
