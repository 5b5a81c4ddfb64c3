#!/usr/bin/env python3
"""The bench shares its box with other work (test runs, type checks, browsers). Measure that, and wait it out.

    quiet.py wait  [--max-other 15] [--timeout 120] [--window 2]   # until the host is (nearly) idle
    quiet.py other RESULT.json                                     # CPU used by others during a load.py run

Figures are % of one core (2 cores = 200%). `wait` samples /proc/stat over `window` seconds until
the busy CPU is at most --max-other (the bench's own idle server counts, so keep it > 0), or gives up
after --timeout and says so (exit 0 either way: a busy box is reported, not fatal).
`other` = host busy - server - load generator, from load.py's own counters.
"""

import argparse
import json
import os
import sys
import time


def _host() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as fh:
        vals = [int(v) for v in fh.readline().split()[1:]]
    return sum(vals[:8]), vals[3] + vals[4]


def busy_pct(window: float) -> float:
    t0, i0 = _host()
    time.sleep(window)
    t1, i1 = _host()
    total = t1 - t0
    return 100.0 * (os.cpu_count() or 1) * (total - (i1 - i0)) / total if total else 0.0


def other_pct(result: dict) -> float | None:
    if "host_cpu_busy_pct" not in result or "server_cpu_pct" not in result:
        return None
    return max(0.0, result["host_cpu_busy_pct"] * (os.cpu_count() or 1) - result["server_cpu_pct"]
               - result.get("loadgen_cpu_pct", 0.0))


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("wait")
    w.add_argument("--max-other", type=float, default=15.0)
    w.add_argument("--timeout", type=float, default=120.0)
    w.add_argument("--window", type=float, default=2.0)
    o = sub.add_parser("other")
    o.add_argument("result")
    args = ap.parse_args()
    if args.cmd == "other":
        try:
            value = other_pct(json.load(open(args.result)))
        except (OSError, ValueError):
            value = None
        print("nan" if value is None else f"{value:.0f}")
        return 0
    deadline, waited = time.monotonic() + args.timeout, 0.0
    while True:
        busy = busy_pct(args.window)
        if busy <= args.max_other:
            if waited:
                print(f"[quiet] host quiet ({busy:.0f}% of a core busy) after {waited:.0f} s", file=sys.stderr)
            return 0
        if time.monotonic() >= deadline:
            print(f"[quiet] WARNING: host still busy ({busy:.0f}% of a core) after {waited:.0f} s; going on",
                  file=sys.stderr)
            return 0
        if not waited:
            print(f"[quiet] host busy ({busy:.0f}% of a core used by other work); waiting", file=sys.stderr)
        waited += args.window


if __name__ == "__main__":
    sys.exit(main())
