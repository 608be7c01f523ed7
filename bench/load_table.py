#!/usr/bin/env python3
"""Print the load test's figures per screen (Locust's CSV statistics, bench/locustfile.py):
p50/p95/p99 of the KA Users and the KA Managers, the ratio of their p95, and the failures.
Exit status 1 when a request failed."""

import csv
import sys

P95_TARGET_MS = 300
RATIO_TARGET = 1.3


def main(stats_path, failures_path):
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
    print("targets: " + ("met" if not missed else "missed — " + "; ".join(missed)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
