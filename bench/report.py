#!/usr/bin/env python3
"""One table for a bench run: Houtai's scenarios, then the Django admin peer's from the same run.

    python bench/report.py bench/results/<run-id> [PEER_RUN_DIR]

Reads <run-id>/{env.json,scenarios.json,scenarios.tsv,*.json} (written by run.sh) and, if given,
the peer's results/<id>/ folder (run_peer.sh). Prints Markdown and writes <run-id>/table.md.
"""

import json
import sys
from pathlib import Path

LIST_TARGET = (400.0, 30.0)   # req/s at least, p95 ms at most: list, search, filter, deep page, partial
DETAIL_TARGET = 750.0         # req/s at least: detail page
DETAIL_KEYS = ("e", "o-e")    # customer detail, purchase-order detail
CPUS = 2
# Server CPU ms/req of the peer on the reference box (2-vCPU AMD EPYC, /work/shared/bench-peer/README.md,
# 2026-11-25), where the targets were set. The same peer measured in this run tells how fast this box is.
PEER_REFERENCE = {"django: changelist p1": 68.4, "django: search": 205.4, "django: filter": 74.0,
                  "django: deep page": 160.6, "django: change page": 25.0, "flask: hello world": 0.38}


def fmt(v, nd=1):
    return "-" if v is None else f"{v:,.{nd}f}"


def rows_of(run_dir: Path) -> list[tuple[str, str, dict]]:
    rows = []
    tsv = run_dir / "scenarios.tsv"
    if not tsv.exists():
        return rows
    for line in tsv.read_text().splitlines():
        if not line.strip():
            continue
        label, fname, path, runs = (line.split("\t") + ["", "", ""])[:4]
        f = run_dir / fname
        r = json.loads(f.read_text()) if fname and f.exists() and f.stat().st_size else {"error": "no result"}
        r["_runs"] = runs or "1"
        rows.append((label, path, r))
    return rows


def target(key: str, r: dict) -> str:
    if key in DETAIL_KEYS:
        return f"≥{DETAIL_TARGET:.0f}/s: " + ("met" if r["rps"] >= DETAIL_TARGET else "MISSED")
    rps, p95 = LIST_TARGET
    ok = r["rps"] >= rps and r["p95_ms"] <= p95
    return f"≥{rps:.0f}/s, p95≤{p95:.0f}: " + ("met" if ok else "MISSED")


def line(app: str, label: str, r: dict, goal: str) -> str:
    if "error" in r:
        bad = "; ".join(f"{p['path']} -> {p['status']}" for p in r.get("preflight", []))
        return f"| {app} | {label} | FAILED: {r['error']} {bad} |||||||||||"
    cpu_ms = r.get("server_cpu_ms_per_req")
    if cpu_ms is None and r.get("server_cpu_pct") is not None and r.get("requests"):
        cpu_ms = 10 * r["server_cpu_pct"] * r["measured_s"] / r["requests"]
    other = None
    if r.get("host_cpu_busy_pct") is not None and r.get("server_cpu_pct") is not None:
        other = max(0.0, r["host_cpu_busy_pct"] * CPUS - r["server_cpu_pct"] - r.get("loadgen_cpu_pct", 0.0))
    return (f"| {app} | {label} | {fmt(r['rps'])} | {fmt(r['p50_ms'])} | {fmt(r['p95_ms'])} | {fmt(r['p99_ms'])} "
            f"| {r['errors']:,} | {fmt(r['bytes_per_request'] / 1024)} | {fmt(r.get('server_cpu_pct'), 0)} "
            f"| {fmt(cpu_ms, 2)} | {fmt(other, 0)} | {r['_runs']} | {goal} |")


def main(run_dir: str, peer_dir: str | None = None) -> int:
    d = Path(run_dir)
    global CPUS
    env = json.loads((d / "env.json").read_text())
    CPUS = env.get("cpus") or 2
    doc = json.loads((d / "scenarios.json").read_text())
    meta = doc["meta"]
    keys = {s["label"]: s["key"] for s in doc["scenarios"]}
    missing = [s for s in doc["scenarios"] if s.get("missing")]
    peer = Path(peer_dir) if peer_dir else None
    peer_env = json.loads((peer / "env.json").read_text()) if peer and (peer / "env.json").exists() else {}
    peer_meta = json.loads((peer / "meta.json").read_text()) if peer and (peer / "meta.json").exists() else {}

    out = [
        f"Run {env['run_id']} - {env['date_utc']} - {env['cpus']} CPUs ({env['cpu_model']}), {env['engine']}, "
        f"concurrency {env['concurrency']}, {env['duration_s']} s per scenario (+{env['warmup_s']} s warm-up), "
        f"gunicorn {env['gunicorn']}, {env['workers']} sync workers, access log off",
        f"Python {env['python']}, Flask {env['flask']}, SQLAlchemy {env['sqlalchemy']}, Jinja2 {env['jinja2']}, "
        f"SQLite {env['sqlite']}" + (f"; peer: Django {peer_env.get('django')}" if peer_env else "")
        + f". Houtai code: commit {env.get('git_head', '?')}"
        + (f" + uncommitted changes in {len(env['git_dirty'])} files under src/ templates/" if env.get("git_dirty")
           else " (src/ and templates/ clean)"),
        f"Houtai data: {meta['customers']:,} customers ({env['seed_note']}), db {env['db_mib']:.1f} MiB. "
        f"(b) '{meta['search_term']}' matches {meta['search_matches']:,} rows (LIKE), (b2) "
        f"'{meta['search_term_zh']}' {meta['search_matches_zh']:,}; (c) owner {meta['filter_owner']} id "
        f"{meta['filter_owner_id']}: {meta['filter_matches']:,} leads; (d) rows "
        f"{meta['deep_page_first_row']:,}-{meta['deep_page_first_row'] + 49:,}; (e) id {meta['detail_id']}.",
    ]
    if meta.get("orders"):
        o = meta["orders"]
        searches = "; ".join(f"{key} '{o[term]}' matches {o[hits]:,} orders (number, supplier or title LIKE)"
                             for key, term, hits in (("(o-b)", "search_term", "search_matches"),
                                                     ("(o-b2)", "search_term_zh", "search_matches_zh")) if o[term])
        out.append(f"Houtai orders: {o['orders']:,} purchase orders. {searches}; (o-c) status={o['filter_status']} "
                   f"+ supplier {o['filter_supplier']} (id {o['filter_supplier_id']}): {o['filter_matches']:,} "
                   f"orders; (o-d) rows {o['deep_page_first_row']:,}-{o['deep_page_first_row'] + 49:,}; (o-e) "
                   f"{o['detail_number']} (id {o['detail_id']}, {o['detail_lines']} lines, closed, with receipts "
                   "and invoices; the first such order from the middle id on).")
    if peer_meta:
        out.append(f"Django data: {peer_meta.get('customers', 0):,} customers (seed {peer_meta.get('seed_seconds')} s when "
                   f"made), search '{peer_meta.get('search_term')}'"
                   f" matches {peer_meta.get('search_matches')} rows, filter {peer_meta.get('filter_matches')} rows,"
                   f" deep page ?p={env.get('peer_deep_page', 2000)} (100 rows/page, OFFSET).")
    out += ["", "| App | Scenario | req/s | p50 ms | p95 ms | p99 ms | Errors | KB/resp | Server CPU % "
            "| Server CPU ms/req | Other CPU % | Runs | Target |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for label, _path, r in rows_of(d):
        key = keys.get(label, "")
        out.append(line("Houtai", label, r, target(key, r) if "error" not in r else ""))
    for s in missing:
        out.append(f"| Houtai | {s['label']} | not measured: {s['missing']} |||||||||||")
    if peer:
        for label, _path, r in rows_of(peer):
            app, _, rest = label.partition(": ")
            out.append(line("Django admin" if app == "django" else "hello Flask", rest or label, r, ""))
    if peer:
        ratios = sorted(r["server_cpu_ms_per_req"] / PEER_REFERENCE[label] for label, _p, r in rows_of(peer)
                        if label in PEER_REFERENCE and r.get("server_cpu_ms_per_req"))
        if ratios:
            factor = ratios[len(ratios) // 2] if len(ratios) % 2 else sum(ratios[len(ratios) // 2 - 1:][:2]) / 2
            out += ["", f"Box speed check: the peer's server CPU ms/req in this run is {ratios[0]:.2f}-{ratios[-1]:.2f}x "
                    f"(median {factor:.2f}x) its reference figures (bench-peer/README.md, the box the targets were set "
                    f"on). Houtai's CPU ms/req divided by {factor:.2f} estimates the reference box: "
                    + ", ".join(f"{lab.split(' ')[0]} {r['server_cpu_ms_per_req'] / factor:.1f}"
                                for lab, _p, r in rows_of(d) if r.get("server_cpu_ms_per_req"))
                    + " ms (≈ 1,900 / ms req/s there, PERFORMANCE.md rule of thumb)."]
    out += ["", "Paths:", ""]
    for s in doc["scenarios"]:
        hdr = f" with `{'`, `'.join(s['headers'])}`" if s["headers"] else ""
        out.append(f"* {s['label']}: `{s['path']}`{hdr}" + (" (not measured: page missing)" if s.get("missing")
                                                           else ""))
    if peer:
        for label, path, _r in rows_of(peer):
            out.append(f"* {label}: `{path}`")
    out += ["", "CPU % is of one core (2 cores = 200%). Server = gunicorn master + workers; Server CPU ms/req = "
            "server CPU time / requests, the figure least disturbed by other work on the box. Other CPU % = "
            "host busy - server - load generator during the measured run: other processes sharing the box "
            "(Houtai rows: the least disturbed of `Runs` attempts is kept; the peer runs once). Latency at c=8 "
            "with 2 sync workers is mostly queueing (p50 ≈ 4 × service time)."]
    text = "\n".join(out)
    print(text)
    (d / "table.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) > 1 else __doc__)
