"""Benchmark of the monthly key-account report (issue #7): generate the report of one month for
N key accounts of one company over the scoring benchmark's database, and print its time, its
peak memory and its query count. Target: ≤ 30 s and ≤ 400 MB for 10,000 key accounts.

    ./kam bench report [--small]           # the usual way: builds kam_bench, then runs this
    .venv/bin/python bench/bench_report.py -c .kam/bench.conf -d kam_bench [--accounts 10000] [--month 2026-10-01]

The database comes from bench/generate.py (see bench/README.md). Everything runs in one
transaction that is rolled back: the database is left as it was.
"""

import argparse
import resource
import sys
import time
import tracemalloc


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--accounts", type=int, default=10000, help="key accounts in the report (default 10,000)")
    parser.add_argument("--month", help="first day of the month reported (default: last month)")
    args = parser.parse_args()

    import odoo
    from odoo.tools import SQL

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        month = args.month or odoo.fields.Date.subtract(odoo.fields.Date.today(), months=1).replace(day=1)
        cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE is_key_account AND (company_id = %s OR company_id IS NULL) ORDER BY id",
                company.id,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if len(ids) < args.accounts:
            sys.exit(f"Only {len(ids)} key accounts in {args.database}; build it with bench/generate.py first.")
        # keep exactly N key accounts for this run (rolled back at the end)
        cr.execute(SQL("UPDATE res_partner SET is_key_account = false WHERE id = ANY(%s)", ids[args.accounts :]))
        env.invalidate_all()
        cr.execute("SELECT COUNT(*) FROM account_move_line")
        lines = cr.fetchone()[0]
        print(f"database {args.database}: {lines:,} journal items, {args.accounts:,} key accounts, month {month}")

        rss_before = rss_mb()
        queries_before = cr.sql_log_count
        start = time.perf_counter()
        report = env["key.account.report"].generate(month, company.id)
        env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - queries_before
        rss_after = rss_mb()
        # again, for the memory: tracemalloc slows Python down, so it is not on for the time
        tracemalloc.start()
        start = time.perf_counter()
        env["key.account.report"].generate(month, company.id)
        env.flush_all()
        traced = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"rows {len(report.line_ids):,}, file {len(report.with_context(bin_size=False).file or b'') * 3 // 4 / 1e6:.1f} MB"
        )
        print(f"generate():           {elapsed:8.2f} s   (target ≤ 30 s)")
        print(f"SQL queries:          {queries:8d}")
        print(
            f"process max RSS:      {rss_after:8.1f} MB  (before: {rss_before:.1f} MB: Odoo and its registry; target ≤ 400 MB)"
        )
        print(
            f"Python peak (traced): {peak / 1e6:8.1f} MB  (second generation, regenerating: {traced:.1f} s with tracemalloc on)"
        )
        cr.rollback()


if __name__ == "__main__":
    main()
