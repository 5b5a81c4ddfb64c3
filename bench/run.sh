#!/usr/bin/env bash
# Houtai web benchmark, side by side with the Django admin peer, in one run.
#
#   bench/run.sh                              # N=200000 customers, N_ORDERS=200000 purchase orders, 15 s per
#                                             # scenario, concurrency 8, 2 sync workers
#   N=20000 N_ORDERS=20000 DURATION=3 bench/run.sh   # quick smoke run
#   PEER=0 bench/run.sh                       # Houtai only
#   N_ORDERS=0 bench/run.sh                   # customer scenarios only
#
# Env knobs: N, N_ORDERS, SEED, DURATION, WARMUP, CONCURRENCY, WORKERS, DEEP_PAGE, ENGINE, PEER, PEER_SRC,
#           ATTEMPTS, MAX_OTHER, QUIET_TIMEOUT (see "5. load").
# Results: bench/results/<run-id>/{table.md,*.json,...} (bench/results/ is git-ignored). The seeded
# database lives in bench/results/var-N<N>/ and is reused while it holds a complete seed for N customers
# and N_ORDERS orders (orders are added to a complete customer seed that has none).
# Every server started here is stopped by PID on exit (also on error or Ctrl-C).
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
cd "$ROOT"

N=${N:-200000}
N_ORDERS=${N_ORDERS:-200000}      # purchase orders for the (o-…) scenarios; 0: none
SEED=${SEED:-42}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-2}
CONCURRENCY=${CONCURRENCY:-8}
WORKERS=${WORKERS:-2}
DEEP_PAGE=${DEEP_PAGE:-2000}
ENGINE=${ENGINE:-auto}
PEER=${PEER:-1}
PEER_SRC=${PEER_SRC:-/work/shared/bench-peer}
ATTEMPTS=${ATTEMPTS:-3}           # runs per scenario at most, when other work disturbs one
MAX_OTHER=${MAX_OTHER:-20}        # % of one core other processes may use during a kept run
QUIET_TIMEOUT=${QUIET_TIMEOUT:-120}

PY=$ROOT/.venv/bin/python
HOUTAI=$ROOT/.venv/bin/houtai
RESULTS=$BENCH/results
LOAD=$PEER_SRC/load.py            # stdlib only; read-only use

# A private, self-contained configuration: nothing from the caller's environment leaks in.
unset DATABASE_URL SECRET_KEY HOUTAI_ENCRYPTION_KEYS REDIS_URL HOUTAI_HTTPS HOUTAI_TRUSTED_PROXIES \
      HOUTAI_BIND GUNICORN_CMD_ARGS
export HOUTAI_VAR=$RESULTS/var-N$N
export HOUTAI_WORKERS=$WORKERS
export PYTHONPATH=$ROOT/src
DB=$HOUTAI_VAR/houtai.db
CREDS=$HOUTAI_VAR/bench-admin.json
MARKER=$HOUTAI_VAR/seeded.json

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- server / child lifecycle (by PID) --------------------------------------
SERVER_PIDS=()
PEER_PID=
stop_server() {
    local pid=$1 kids k i keep=()
    for k in "${SERVER_PIDS[@]}"; do [ "$k" = "$pid" ] || keep+=("$k"); done
    SERVER_PIDS=("${keep[@]}")              # never signal a reaped (reusable) PID twice
    kill -0 "$pid" 2>/dev/null || return 0
    kids=$(pgrep -P "$pid" || true)          # gunicorn workers
    kill -TERM "$pid" 2>/dev/null || true    # graceful: the master stops its workers
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for k in $kids; do                       # stragglers only, checked by PID + name
        if ps -o args= -p "$k" 2>/dev/null | grep -q gunicorn; then kill -KILL "$k" 2>/dev/null || true; fi
    done
    log "stopped server pid $pid (workers: $(echo $kids))"
}
cleanup() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do stop_server "$pid"; done
    if [ -n "$PEER_PID" ] && kill -0 "$PEER_PID" 2>/dev/null; then
        log "stopping the peer run (pid $PEER_PID); its own trap stops its servers"
        kill -TERM "$PEER_PID" 2>/dev/null || true
        wait "$PEER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- 0. tools ------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "wrk missing: apt-get install -y wrk"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
    else
        log "WARNING: wrk not found (apt-get install wrk); load.py falls back to httpx, which under-reports"
    fi
fi
[ -r "$LOAD" ] || { log "no load generator at $LOAD (set PEER_SRC)"; exit 1; }

# --- 1. database: reuse a complete seed for N (+ N_ORDERS), else migrate + seed ------
# seed_state prints "complete", "customers" (customers complete, no procurement data yet) or "none".
seed_state() {
    [ -f "$MARKER" ] && [ -f "$DB" ] || { echo none; return; }
    "$PY" - "$DB" "$MARKER" "$N" "$SEED" "$N_ORDERS" <<'EOF'
import json, sqlite3, sys
db, marker, (n, seed, n_orders) = sys.argv[1], json.load(open(sys.argv[2])), map(int, sys.argv[3:6])
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
count = lambda sql: c.execute(sql).fetchone()[0]
try:
    customers = count("SELECT count(*) FROM customers")
    owners = count("SELECT count(*) FROM users WHERE username LIKE 'demo.%'")
except sqlite3.Error:
    print("none"); sys.exit()
try:  # a database from before the procurement schema has none of these tables
    orders = count("SELECT count(*) FROM purchase_orders")
    procurement = orders + count("SELECT count(*) FROM suppliers") + count("SELECT count(*) FROM requisitions")
except sqlite3.Error:
    orders = procurement = 0
if (marker.get("n"), marker.get("seed"), customers, owners) != (n, seed, n, 40):
    print("none")
elif (marker.get("n_orders", 0), orders) == (n_orders, n_orders):
    print("complete")
else:
    print("customers" if not procurement else "none")
EOF
}
write_marker() {   # write_marker KEY_PREFIX SECONDS REPORT: the seed's figures, kept for the table
    "$PY" - "$MARKER" "$N" "$SEED" "$N_ORDERS" "$@" <<'EOF'
import json, os, sys
from datetime import datetime, timezone
path, n, seed, n_orders, prefix, seconds, report = sys.argv[1:8]
marker = json.load(open(path)) if os.path.exists(path) else {}
marker.update({"n": int(n), "seed": int(seed), "n_orders": int(n_orders) if prefix else 0,
               f"{prefix}seed_seconds": round(float(seconds), 1), f"{prefix}report": " ".join(report.splitlines()),
               "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")})
json.dump(marker, open(path, "w"), indent=2, ensure_ascii=False)
EOF
}
timed_seed() {     # timed_seed KEY_PREFIX ARGS...: run houtai seed-demo, print its report, record it
    local prefix=$1 t0 t1 report
    shift
    t0=$(date +%s.%N)
    report=$("$HOUTAI" seed-demo "$@" --seed "$SEED")
    t1=$(date +%s.%N)
    echo "$report"
    write_marker "$prefix" "$("$PY" -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]))' "$t0" "$t1")" \
        "$report"
}
STATE=$(seed_state)
case $STATE in
    complete)
        log "database: reusing the complete seed in $HOUTAI_VAR"
        "$HOUTAI" migrate >/dev/null ;;      # no-op unless a migration was added since
    customers)
        log "database: customers complete for N=$N; adding N_ORDERS=$N_ORDERS purchase orders"
        "$HOUTAI" migrate >/dev/null ;;
    *)
        log "database: no complete seed for N=$N N_ORDERS=$N_ORDERS in $HOUTAI_VAR; creating it"
        rm -rf "$HOUTAI_VAR"                 # private to the bench: a fresh var dir, keys and DB
        mkdir -p "$HOUTAI_VAR" && chmod 700 "$HOUTAI_VAR"
        "$HOUTAI" migrate
        timed_seed "" --customers "$N" ;;
esac
if [ "$STATE" != complete ] && [ "$N_ORDERS" -gt 0 ]; then
    timed_seed orders_ --customers 0 --orders "$N_ORDERS"
fi
SEED_NOTE=$("$PY" - "$MARKER" "$STATE" <<'EOF'
import json, sys
m, state = json.load(open(sys.argv[1])), sys.argv[2]
parts = ["customers {seed_seconds} s ({report})".format(**m)]
if m.get("n_orders"):
    parts.append("orders {orders_seed_seconds} s ({orders_report})".format(**m))
print(("reused seed from {date_utc}: " if state == "complete" else "seeded in this run, wall time of houtai "
       "seed-demo: ").format(**m) + "; ".join(parts))
EOF
)
log "$SEED_NOTE"

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR=$RESULTS/$RUN_ID
mkdir -p "$RUN_DIR"
log "run $RUN_ID -> $RUN_DIR"

"$PY" - "$RUN_DIR/env.json" "$RUN_ID" "$ENGINE" "$CONCURRENCY" "$DURATION" "$WARMUP" "$WORKERS" "$N" \
    "$DB" "$SEED_NOTE" "$DEEP_PAGE" "$N_ORDERS" <<'EOF'
import json, os, platform, shutil, sqlite3, subprocess, sys
from datetime import datetime, timezone
from importlib.metadata import version
out, run_id, engine, c, d, w, workers, n, db, seed_note, deep, n_orders = sys.argv[1:13]
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
wrk = shutil.which("wrk") and subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(" Copyright")[0].strip()
git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
json.dump({"run_id": run_id, "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(),
           "python": platform.python_version(), "flask": version("flask"), "werkzeug": version("werkzeug"),
           "jinja2": version("jinja2"), "sqlalchemy": version("sqlalchemy"), "gunicorn": version("gunicorn"),
           "sqlite": sqlite3.sqlite_version, "engine": {"auto": wrk or "httpx", "wrk": wrk, "httpx": "httpx"}[engine],
           "concurrency": int(c), "duration_s": float(d), "warmup_s": float(w), "workers": int(workers),
           "customers": int(n), "orders": int(n_orders), "seed_note": seed_note, "db_mib": os.path.getsize(db) / 2**20,
           "peer_deep_page": int(deep), "git_head": git("rev-parse", "--short", "HEAD"),
           "git_dirty": git("status", "--porcelain", "--", "src", "templates").splitlines()},
          open(out, "w"), indent=2)
EOF

# --- 2. Houtai under gunicorn ----------------------------------------------------
start_houtai() {   # sets SERVER_PID, BASE (a new free port each time)
    PORT=$(free_port)
    BASE=http://127.0.0.1:$PORT
    "$ROOT/.venv/bin/gunicorn" -c "$BENCH/gunicorn_bench.py" --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
        --log-level warning --error-logfile "$RUN_DIR/houtai.gunicorn.log" 'bootstrap:wsgi_app()' \
        >> "$RUN_DIR/houtai.gunicorn.log" 2>&1 &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    "$PY" - "$BASE/readyz" "$SERVER_PID" <<'EOF' || { log "Houtai did not come up; see $RUN_DIR/houtai.gunicorn.log"; exit 1; }
import os, sys, time, urllib.request, urllib.error
url, pid = sys.argv[1], int(sys.argv[2])
for _ in range(300):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        urllib.request.urlopen(url, timeout=2)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
    log "Houtai up on $BASE (gunicorn master pid $SERVER_PID, $WORKERS sync workers)"
}
# Other work on a shared box may stop our server (e.g. a test teardown that kills gunicorn by name).
# Notice it, say so, and start a new one: the session cookie lives in the database and stays valid.
ensure_houtai() {
    local rc=0 k keep=()
    kill -0 "$SERVER_PID" 2>/dev/null && return 0
    wait "$SERVER_PID" 2>/dev/null || rc=$?
    for k in "${SERVER_PIDS[@]}"; do [ "$k" = "$SERVER_PID" ] || keep+=("$k"); done
    SERVER_PIDS=("${keep[@]}")
    log "WARNING: Houtai server pid $SERVER_PID exited on its own (status $rc), not stopped by this script; restarting"
    echo "server pid $SERVER_PID exited (status $rc) at $(date -u +%H:%M:%S)" >> "$RUN_DIR/server-restarts.txt"
    start_houtai
}
start_houtai

# --- 3. sign in over HTTP, as a person would ---------------------------------------
ADMINS=$("$PY" - "$DB" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(c.execute("SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id "
                "WHERE r.role = 'administrator' AND u.is_active").fetchone()[0])
EOF
)
COOKIE_FILE=$RUN_DIR/cookie.txt
: > "$COOKIE_FILE"; chmod 600 "$COOKIE_FILE"
if [ "$ADMINS" = 0 ]; then
    SETUP_URL=$("$HOUTAI" setup-link --base-url "$BASE" | grep -o "$BASE/setup/[A-Za-z0-9_-]*")
    log "no administrator yet: creating bench.admin through the one-time setup link"
    "$PY" "$BENCH/houtai_login.py" "$BASE" --creds "$CREDS" --setup-url "$SETUP_URL" > "$COOKIE_FILE"
else
    if [ ! -f "$CREDS" ]; then
        log "an administrator exists but $CREDS is missing: (re)creating bench.admin through the adapters"
        "$PY" "$BENCH/make_admin.py" "$CREDS"
    fi
    log "signing in as bench.admin (password + TOTP)"
    "$PY" "$BENCH/houtai_login.py" "$BASE" --creds "$CREDS" > "$COOKIE_FILE"
fi
log "signed in (session cookie in $COOKIE_FILE)"

# --- 4. scenarios from the data, checked once over HTTP ----------------------------
"$PY" "$BENCH/scenarios.py" pick "$DB" "$N" "$DEEP_PAGE" "$RUN_DIR/scenarios.json" "$N_ORDERS"
"$PY" "$BENCH/scenarios.py" verify "$BASE" "$COOKIE_FILE" "$RUN_DIR/scenarios.json"

# --- 5. load: one load.py run per scenario ---------------------------------------
# The box may be shared: wait for it to be quiet before each scenario, and repeat a scenario (up to
# ATTEMPTS runs) when other work used more than MAX_OTHER % of a core during it; the least disturbed
# run is kept, and the table shows how much CPU other work used in it.
run_load() {   # run_load FILE LABEL PATH [load.py args...]
    local file=$1 label=$2 path=$3 attempt other best=999999
    shift 3
    for attempt in $(seq 1 "$ATTEMPTS"); do
        "$PY" "$BENCH/quiet.py" wait --max-other "$MAX_OTHER" --timeout "$QUIET_TIMEOUT"
        ensure_houtai
        log "scenario $label (attempt $attempt): $path (${DURATION}s, c=$CONCURRENCY)"
        if ! "$PY" "$LOAD" --base-url "$BASE" --path "$path" -c "$CONCURRENCY" -d "$DURATION" --warmup "$WARMUP" \
                --engine "$ENGINE" --server-pid "$SERVER_PID" --label "$label" "$@" > "$RUN_DIR/$file.try"; then
            if ! kill -0 "$SERVER_PID" 2>/dev/null && [ "$attempt" -lt "$ATTEMPTS" ]; then
                log "scenario $label: the server went away during the run; trying again"
                continue
            fi
            log "scenario $label failed; see $RUN_DIR/$file"
            if [ "$best" = 999999 ]; then mv "$RUN_DIR/$file.try" "$RUN_DIR/$file"; else rm -f "$RUN_DIR/$file.try"; fi
            break
        fi
        other=$("$PY" "$BENCH/quiet.py" other "$RUN_DIR/$file.try")
        [ "$other" = nan ] && other=0
        if [ "$other" -lt "$best" ]; then best=$other; mv "$RUN_DIR/$file.try" "$RUN_DIR/$file"; else rm -f "$RUN_DIR/$file.try"; fi
        [ "$other" -le "$MAX_OTHER" ] && break
        log "other work used ${other}% of a core during that run (limit $MAX_OTHER%)"
    done
    printf '%s\t%s\t%s\t%s\n' "$label" "$file" "$path" "$attempt" >> "$RUN_DIR/scenarios.tsv"
}

: > "$RUN_DIR/scenarios.tsv"
N_SCEN=$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["scenarios"]))' "$RUN_DIR/scenarios.json")
for i in $(seq 0 $((N_SCEN - 1))); do
    mapfile -t S < <("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1]))["scenarios"][int(sys.argv[2])]
print(s["key"]); print(s["label"]); print(s["path"]); print(s.get("missing", ""))
for h in s["headers"]: print(h)' "$RUN_DIR/scenarios.json" "$i")
    if [ -n "${S[3]}" ]; then           # the page is not in this build (scenarios.py verify said so)
        log "scenario ${S[1]}: not measured (${S[3]})"
        continue
    fi
    hdr=()
    for h in "${S[@]:4}"; do hdr+=(-H "$h"); done
    run_load "houtai_${S[0]}.json" "${S[1]}" "${S[2]}" --cookie-file "$COOKIE_FILE" "${hdr[@]}"
done
stop_server "$SERVER_PID"

# --- 6. the Django admin peer, same N / DURATION / CONCURRENCY, in this run --------
PEER_RUN=
if [ "$PEER" = 1 ]; then
    PEER_DIR=$RESULTS/peer-harness        # a writable copy: run_peer.sh writes .venv, DBs, results next to itself
    mkdir -p "$PEER_DIR"
    chmod -R u+w "$PEER_DIR"
    (cd "$PEER_SRC" && tar --exclude=./.venv --exclude=./results --exclude='*.sqlite3*' -cf - .) \
        | (cd "$PEER_DIR" && tar --no-same-owner -xf -)
    chmod -R u+w "$PEER_DIR"
    "$PY" "$BENCH/quiet.py" wait --max-other "$MAX_OTHER" --timeout "$QUIET_TIMEOUT"
    log "peer: Django admin via $PEER_DIR/run_peer.sh (log: $RUN_DIR/peer.log)"
    (cd "$PEER_DIR" && exec env N="$N" SEED="$SEED" DURATION="$DURATION" WARMUP="$WARMUP" \
        CONCURRENCY="$CONCURRENCY" WORKERS="$WORKERS" DEEP_PAGE="$DEEP_PAGE" ENGINE="$ENGINE" \
        ./run_peer.sh) > "$RUN_DIR/peer.log" 2>&1 &
    PEER_PID=$!
    if ! wait "$PEER_PID"; then
        PEER_PID=
        log "peer run failed; last lines of $RUN_DIR/peer.log:"; tail -n 20 "$RUN_DIR/peer.log" >&2
    else
        PEER_PID=
        rel=$(grep -o 'results in results/[0-9TZ]*' "$RUN_DIR/peer.log" | tail -n 1 | cut -d' ' -f3)
        if [ -n "$rel" ] && [ -d "$PEER_DIR/$rel" ]; then
            cp -r "$PEER_DIR/$rel" "$RUN_DIR/peer"
            PEER_RUN=$RUN_DIR/peer
        fi
        grep -E '^\[run_peer' "$RUN_DIR/peer.log" | grep -E 'seed|logged|stopped' >&2 || true
    fi
fi

# --- 7. one table --------------------------------------------------------------------
echo
"$PY" "$BENCH/report.py" "$RUN_DIR" ${PEER_RUN:+"$PEER_RUN"}
log "results in $RUN_DIR (table.md)"
