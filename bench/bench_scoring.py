#!/usr/bin/env python3
"""Scoring benchmark over kam_bench (build it first with bench/generate.py).

Prints: the full recompute of every key account's score (set-based engine, snapshots and
lines written), one raw SQL aggregate over the same invoice lines, a per-partner ORM loop on a
sample scaled up to the population, and the statements per batch.

    ./kam bench scoring [--small]          # the usual way: builds kam_bench, then runs this
    .venv/bin/python bench/bench_scoring.py --config .kam/bench.conf [--sample 200] [--rounds 3]
"""

import argparse
import json
import os
import sys
import time

import psycopg2

ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/.cache/key_account_mgmt/odoo-18.0"))


def python_points(criterion, raw, average):
    """The points of the scorecard criterion in plain Python (the ORM loop's own version of
    key.account.scorecard.criterion._points_sql)."""
    if raw is None:
        return 0.0
    if criterion.scale == "average":
        if average is None:
            return 0.0
        average = float(average)
        if criterion.average_step:
            delta = (average - raw) if criterion.lower_is_better else (raw - average)
            points = 3 + delta / criterion.average_step
        elif average <= 0:
            points = 3.0
        elif criterion.lower_is_better:
            points = 5.0 if raw <= 0 else 3 * average / raw
        else:
            points = 3 * raw / average
        return round(min(5.0, max(0.0, points)), 2)
    if criterion.lower_is_better:
        return float(sum(1 for t in criterion._thresholds() if raw <= t))
    return float(sum(1 for t in criterion._thresholds() if raw >= t))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="Odoo config (./kam bench writes .kam/bench.conf)")
    parser.add_argument("--db", default="kam_bench")
    parser.add_argument("--sample", type=int, default=200, help="partners of the ORM-loop baseline")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of raw aggregate, first run and rerun")
    args = parser.parse_args()
    sys.path.insert(0, ODOO_SRC)
    import odoo
    from odoo import fields

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
        scorecard = env.ref("key_account_mgmt.scorecard_default")
        engine = env["key.account.score.engine"]
        company = scorecard.company_id
        period = fields.Date.context_today(scorecard).replace(day=1)
        windows = env["key.account.score.facts"]._score_windows(period)
        population = engine._population(scorecard)
        cr.execute(
            "SELECT COUNT(*) FROM account_move_line WHERE parent_state = 'posted' AND company_id = %s", [company.id]
        )
        lines = cr.fetchone()[0]
        print(
            f"population: {len(population)} key accounts, {lines} posted invoice lines, "
            f"{len(scorecard.criterion_ids)} criteria, period {period}"
        )

        # 1. and 2., in rounds so that both sides see the machine in the same state (figures: the
        # best of the rounds): the raw SQL aggregate over the same lines (the floor any engine
        # pays to read them), in a session as it comes and with the settings the engine gives
        # its own transaction; the full recompute, as the first run of the month (every snapshot
        # inserted) and a rerun (every snapshot replaced in place), phase by phase
        raw_sql = """
            SELECT ml.partner_id, SUM(ml.balance) FROM account_move_line ml
             WHERE ml.parent_state = 'posted' AND ml.display_type = 'product' AND ml.company_id = %s
               AND ml.date BETWEEN %s AND %s GROUP BY ml.partner_id"""

        def time_raw():
            start = time.perf_counter()
            cr.execute(raw_sql, [company.id, windows[2][0], windows[0][1]])
            cr.fetchall()
            return time.perf_counter() - start

        def vacuum():
            # the month's snapshots deleted before a first run: their space back, as autovacuum would
            connection = psycopg2.connect(**odoo.sql_db.connection_info_for(args.db)[1])
            connection.autocommit = True
            connection.cursor().execute("VACUUM key_account_score")
            connection.close()

        batch_counts, phases = [], {}
        engine_class = type(engine)
        originals = {name: getattr(engine_class, name) for name in ("_score_population", "_write_batch")}

        def timed(name):
            def method(self, *method_args):
                before, start = cr.sql_log_count, time.perf_counter()
                result = originals[name](self, *method_args)
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - start
                if name == "_write_batch":
                    batch_counts.append((len(method_args[1]), cr.sql_log_count - before))
                return result

            return method

        for name in originals:
            setattr(engine_class, name, timed(name))
        labels = ("first run of the month", "rerun of the month")
        rounds = {"raw": [], "raw_tuned": [], **{label: [] for label in labels}}
        round_phases = {label: [] for label in labels}
        for _round in range(args.rounds):
            rounds["raw"].append(time_raw())
            engine._tune_transaction()
            rounds["raw_tuned"].append(time_raw())
            cr.rollback()
            cr.execute(
                "DELETE FROM key_account_score WHERE scorecard_id = %s AND period_date = %s", [scorecard.id, period]
            )
            cr.commit()
            vacuum()
            for label in labels:
                batch_counts.clear()
                phases.clear()
                start = time.perf_counter()
                written = scorecard._compute_scores(period_date=period, batch_size=args.batch_size)
                env.flush_all()
                rounds[label].append(time.perf_counter() - start)
                round_phases[label].append(dict(phases))
                cr.commit()
        for name, method in originals.items():
            setattr(engine_class, name, method)

        def runs(key):
            return ", ".join(f"{t:.2f}" for t in rounds[key])

        raw, raw_tuned = min(rounds["raw"]), min(rounds["raw_tuned"])
        print(f"raw SQL aggregate over the lines: {raw:.2f} s (rounds: {runs('raw')})")
        print(
            f"  the same with the engine's settings (no JIT, work_mem 64MB): {raw_tuned:.2f} s (rounds: {runs('raw_tuned')})"
        )
        full = max(min(rounds[label]) for label in labels)
        cr.execute(
            "SELECT COUNT(*) FROM key_account_score_line l JOIN key_account_score s ON s.id = l.score_id "
            "WHERE s.period_date = %s AND s.scorecard_id = %s",
            [period, scorecard.id],
        )
        lines_count = cr.fetchone()[0]
        for label in labels:
            best = min(rounds[label])
            detail = round_phases[label][rounds[label].index(best)]
            print(
                f"full recompute, {label}: {best:.2f} s = {best / raw:.2f}x the raw aggregate "
                f"({best / raw_tuned:.2f}x with the engine's settings; rounds: {runs(label)})"
            )
            print(
                f"  gathering and scoring {detail['_score_population']:.2f} s, writing {detail['_write_batch']:.2f} s, "
                f"the rest {best - sum(detail.values()):.2f} s"
            )
        print(
            f"  {written} snapshots, {lines_count} criterion lines; statements per batch (size, count): "
            f"{sorted(set(batch_counts))}"
        )
        # the invoice facts alone (seven sums per account over the same invoices, fetched like the
        # raw aggregate)
        reference_date = min(fields.Date.context_today(scorecard), fields.Date.add(windows[0][1], days=1))
        facts_query = env["key.account.score.facts"]._score_invoice_facts_query(
            [pid for pid, _tier in population], company.id, period, reference_date
        )
        engine._tune_transaction()
        facts_times = []
        for _ in range(2):
            start = time.perf_counter()
            cr.execute(facts_query)
            cr.fetchall()
            facts_times.append(time.perf_counter() - start)
        cr.rollback()
        print(
            f"  the invoice facts alone (the revenue, growth, collection and overdue sources): {min(facts_times):.2f} s = "
            f"{min(facts_times) / raw:.2f}x the raw aggregate"
        )

        # 3. per-partner ORM loop on a sample, scaled up
        sample = env["res.partner"].browse(
            [pid for pid, _tier in population[:: max(1, len(population) // args.sample)]][: args.sample]
        )
        criteria = scorecard.dimension_ids.criterion_ids
        ref_date = reference_date
        run_record = env["key.account.score.run"].search(
            [("scorecard_id", "=", scorecard.id), ("period_date", "=", period)]
        )
        averages = {cid: average for cid, _weight, average, _manual in run_record.plan}
        (f0, t0), (f1, t1), (f2, t2) = windows
        start = time.perf_counter()
        for partner in sample:
            accounts = partner | partner.key_account_branch_ids
            moves = env["account.move"].search(
                [
                    ("commercial_partner_id", "in", accounts.ids),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("company_id", "=", company.id),
                    ("invoice_date", "<=", t0),
                ]
            )
            rev = [sum(m.amount_untaxed_signed for m in moves if f <= m.invoice_date <= t) for f, t in windows]
            w0 = moves.filtered(lambda m: f0 <= m.invoice_date <= t0)
            total, residual = sum(w0.mapped("amount_total_signed")), sum(w0.mapped("amount_residual_signed"))
            open_amount = sum(moves.mapped("amount_residual_signed"))
            overdue = sum(
                m.amount_residual_signed for m in moves if m.invoice_date_due and m.invoice_date_due < ref_date
            )
            orders = env["sale.order"].search(
                [
                    ("partner_id", "in", accounts.ids),
                    ("state", "=", "sale"),
                    ("company_id", "=", company.id),
                    ("date_order", ">=", f0),
                    ("date_order", "<", fields.Date.add(t0, days=1)),
                ]
            )
            visits = env["key.account.visit"].search_count(
                [("partner_id", "=", partner.id), ("state", "in", ("done", "closed"))]
            )
            ratings = {
                r.criterion_id.id: r.points
                for r in env["key.account.manual.score"].search([("partner_id", "=", partner.id)])
            }
            values = {
                "revenue_12m": rev[0],
                "margin_12m": sum(orders.mapped("margin")),
                "growth_yoy": (rev[0] - rev[1]) / rev[1] * 100 if rev[1] > 0 else None,
                "growth_3y": (rev[0] - rev[2]) / rev[2] * 100 if rev[2] > 0 else None,
                "collection_rate": (total - residual) / total * 100 if total > 0 else None,
                "overdue_ratio": overdue / open_amount * 100 if open_amount > 0 else 0.0,
                "order_count": len(orders),
                "visit_count": visits,
            }
            score, breakdown = 0.0, []
            for criterion in criteria:
                weight = criterion.dimension_id.weight / len(criterion.dimension_id.criterion_ids)
                if criterion.kind == "manual":
                    raw = points = ratings.get(criterion.id, 0.0)
                else:
                    raw = values[criterion.source]
                    points = python_points(criterion, raw, averages.get(criterion.id))
                score += weight * points / 5
                breakdown.append([criterion.id, raw, None, points, weight, weight * points / 5, None])
            env["key.account.score"].create(
                {
                    "partner_id": partner.id,
                    "scorecard_id": scorecard.id,
                    "period_date": f0,
                    "date_computed": fields.Datetime.now(),
                    "score": round(score, 2),
                    "grade": scorecard._grade(score),
                    "breakdown": json.dumps(breakdown),
                }
            )
        env.flush_all()
        loop = time.perf_counter() - start
        scaled = loop * len(population) / len(sample)
        cr.rollback()
        print(
            f"ORM loop: {loop:.2f} s for {len(sample)} partners -> {scaled:.0f} s scaled to {len(population)}; "
            f"the set-based recompute is {scaled / full:.0f}x faster"
        )


if __name__ == "__main__":
    main()
