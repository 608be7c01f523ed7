#!/usr/bin/env python3
"""Print the load test's figures per screen (Locust's CSV statistics, bench/locustfile.py):
p50/p95/p99 of the KA Users and the KA Managers, the ratio of their p95, and the failures;
given the server's log, the scheduled actions that ran in the measured window (they share the
machine's CPUs with the screens). Exit status 1 when a request failed."""

import csv
import re
import sys
from collections import defaultdict

# "<date> <time>,<ms> <pid> INFO <db> odoo.addons.base.models.ir_cron: Job 'name' (id) done in 0.687s"
CRON_DONE = re.compile(
    r"^(\S+ \S+),\d+ \d+ INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job '(.*)' \(\d+\) done in ([\d.]+)s"
)
MEASURED = " measured from here"

P95_TARGET_MS = 300
RATIO_TARGET = 1.3


def crons_in_window(log_path):
    """{cron name: (runs, seconds)} of the jobs done after the log's 'measured from here' line."""
    runs, measuring = defaultdict(lambda: [0, 0.0]), False
    with open(log_path, errors="replace") as handle:
        for line in handle:
            measuring = measuring or MEASURED in line
            match = measuring and CRON_DONE.match(line)
            if match:
                runs[match[2]][0] += 1
                runs[match[2]][1] += float(match[3])
    return runs


def main(stats_path, failures_path, log_path=None):
    rows = {}
    with open(stats_path, newline="") as handle:
        for row in csv.DictReader(handle):
            role, _, screen = row["Name"].partition(": ")
            if row["Name"].startswith("(set-up)") or not screen:
                continue
            rows.setdefault(screen, {})[role] = row
    header = f"{'screen':<18} {'role':<11} {'requests':>8} {'fail':>4} {'p50':>6} {'p95':>6} {'p99':>6}  {'p95 ≤ 300 ms':<12}"
    print(header)
    print("-" * len(header))
    missed = []
    for screen in sorted(rows):
        for role in ("KA User", "KA Manager"):
            row = rows[screen].get(role)
            if not row:
                continue
            p95 = float(row["95%"])
            ok = p95 <= P95_TARGET_MS
            missed += [] if ok else [f"{role}: {screen} p95 {p95:.0f} ms"]
            print(
                f"{screen:<18} {role:<11} {row['Request Count']:>8} {row['Failure Count']:>4} {row['50%']:>6} "
                f"{row['95%']:>6} {row['99%']:>6}  {'yes' if ok else 'NO'}"
            )
        if {"KA User", "KA Manager"} <= rows[screen].keys():
            user, manager = (float(rows[screen][r]["95%"]) for r in ("KA User", "KA Manager"))
            ratio = user / manager if manager else 0.0
            missed += [] if ratio <= RATIO_TARGET else [f"{screen}: KA User / KA Manager p95 {ratio:.2f}"]
            print(f"{'':<18} {'ratio p95 KA User / KA Manager: ' + format(ratio, '.2f'):<50}")
    print("(milliseconds, whole request on localhost)")
    failures = 0
    with open(failures_path, newline="") as handle:
        for row in csv.DictReader(handle):
            failures += int(row["Occurrences"])
            print(f"FAILED {row['Occurrences']}× {row['Name']}: {row['Error'][:300]}")
    if not rows:
        print("FAILED: no screen was measured (see .kam/load-locust.log)")
        failures += 1
    if log_path:
        crons = crons_in_window(log_path)
        print(
            "scheduled actions in the measured window: "
            + (
                "; ".join(f"{name} ×{runs} ({seconds:.1f} s)" for name, (runs, seconds) in sorted(crons.items()))
                or "none"
            )
        )
    print("targets: " + ("met" if not missed else "missed — " + "; ".join(missed)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
