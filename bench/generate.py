#!/usr/bin/env python3
"""Build the benchmark database ``kam_bench``: 100,000 customers, 20,000 key accounts (1,000
of them group headquarters with two branches each), 1,000,000 posted customer invoice lines
over three years (250,000 invoices and refunds of 3 product lines + 1 receivable line, amounts
consistent: lines sum to the move totals, residuals on the receivable line and the move),
60,000 confirmed sales orders with margins, and manual ratings for every key account.

Everything after the module install is bulk SQL (INSERT … SELECT generate_series), straight
into res_partner, account_move, account_move_line and sale_order, with the per-row foreign-key
triggers off for the session (session_replication_role = replica; the rows are consistent by
construction).

    ./kam bench [scoring|report|all] [--small]         # the usual way: config written by kam
    .venv/bin/python bench/generate.py --config C      # drop + rebuild kam_bench
    .venv/bin/python bench/generate.py --config C --keep-db   # add data to an existing kam_bench
    .venv/bin/python bench/generate.py --config C --scale 0.01   # 1 % of every count

Used by bench/bench_scoring.py (scoring, issue #4) and by the monthly-report benchmark (#7).
The config (--config, an Odoo config whose addons_path holds this checkout) is written by
``./kam bench``; by hand, --base-config makes it from another config when it is missing.
"""

import argparse
import configparser
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/.cache/key_account_mgmt/odoo-18.0"))


def make_config(path, base, db):
    if os.path.exists(path):
        return
    if not base:
        sys.exit(f"No config {path}: run ./kam bench, or give --base-config to make it from another config.")
    parser = configparser.ConfigParser()
    parser.read(base)
    parser["options"]["db_name"] = db
    parser["options"]["dbfilter"] = f"^{db}$"
    parser["options"]["addons_path"] = ",".join(
        [p for p in parser["options"]["addons_path"].split(",") if not p.startswith("/work/")] + [ROOT]
    )
    parser["options"]["data_dir"] = os.path.join(ROOT, ".kam", "filestore_bench")
    with open(path, "w") as handle:
        parser.write(handle)
    print(f"wrote {path} from {base}")


def drop_database(config, db):
    """Drop ``db`` on the server of ``config`` (and its filestore)."""
    sys.path.insert(0, ODOO_SRC)
    import shutil

    from psycopg2 import sql

    import odoo

    odoo.tools.config.parse_config(["-c", config])
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))
    odoo.sql_db.close_all()
    shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)


def step(label):
    print(f"[{time.strftime('%H:%M:%S')}] {label}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="Odoo config (./kam bench writes .kam/bench.conf)")
    parser.add_argument("--base-config", help="config to make --config from when it is missing")
    parser.add_argument("--db", default="kam_bench")
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--key-accounts", type=int, default=20_000)
    parser.add_argument("--headquarters", type=int, default=1_000, help="key accounts with two branches each")
    parser.add_argument("--moves", type=int, default=250_000, help="invoices and refunds, 4 lines each")
    parser.add_argument("--orders", type=int, default=60_000)
    parser.add_argument("--keep-db", action="store_true", help="do not drop and reinstall the database")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (0.01: a quick check)")
    args = parser.parse_args()
    for name in ("partners", "key_accounts", "headquarters", "moves", "orders"):
        setattr(args, name, max(1, round(getattr(args, name) * args.scale)))
    started = time.time()
    make_config(args.config, args.base_config, args.db)
    python = sys.executable
    if not args.keep_db:
        step(f"drop and install {args.db}")
        drop_database(args.config, args.db)
        subprocess.run(
            [
                python,
                os.path.join(ODOO_SRC, "odoo-bin"),
                "-c",
                args.config,
                "-d",
                args.db,
                "-i",
                "key_account_mgmt",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )
    sys.path.insert(0, ODOO_SRC)
    import odoo

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        if not env["account.journal"].search_count([("company_id", "=", company.id), ("type", "=", "sale")]):
            step("load the generic chart of accounts")
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")], limit=1)
        income = journal.default_account_id
        receivable = env["account.account"].search(
            [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)], limit=1
        )
        tiers = [env.ref(f"key_account_mgmt.tier_{t}").id for t in ("strategic", "key", "normal")]
        manual = env["key.account.scorecard.criterion"].search([("kind", "=", "manual")]).ids
        params = {
            "company": company.id,
            "currency": company.currency_id.id,
            "journal": journal.id,
            "income": income.id,
            "receivable": receivable.id,
            "partners": args.partners,
            "kas": args.key_accounts,
            "hqs": args.headquarters,
            "moves": args.moves,
            "orders": args.orders,
            "t1": tiers[0],
            "t2": tiers[1],
            "t3": tiers[2],
            "manual": manual,
        }
        env.flush_all()
        # bulk load: the rows are consistent by construction, so skip the per-row foreign-key
        # triggers (several per line of account_move_line) for this session only
        cr.execute("SET session_replication_role = replica")

        step(f"{args.partners} customers, {args.key_accounts} key accounts, {args.headquarters} groups")
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
        params["p0"] = cr.fetchone()[0] + 1
        cr.execute(
            """
            INSERT INTO res_partner (id, name, complete_name, is_company, active, type, autopost_bills, lang, company_id,
                                     customer_rank, create_uid, write_uid, create_date, write_date,
                                     is_key_account, key_account_tier_id, key_account_code, key_account_manager_id,
                                     cooperation_state)
            SELECT %(p0)s + g, 'Bench Customer ' || g, 'Bench Customer ' || g, true, true, 'contact', 'ask', 'en_US', NULL,
                   1, 1, 1, now(), now(),
                   g < %(kas)s,
                   CASE WHEN g >= %(kas)s THEN NULL WHEN g %% 20 = 0 THEN %(t1)s WHEN g %% 4 = 0 THEN %(t2)s ELSE %(t3)s END,
                   CASE WHEN g < %(kas)s THEN 'BKA' || lpad(g::text, 6, '0') END,
                   CASE WHEN g < %(kas)s THEN 2 END,
                   CASE WHEN g < %(kas)s THEN 'good' END
              FROM generate_series(0, %(partners)s - 1) g
        """,
            params,
        )
        cr.execute("SELECT setval('res_partner_id_seq', (SELECT MAX(id) FROM res_partner))")
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id >= %(p0)s", params)
        # group customers: key accounts 0..hqs-1 are headquarters; customers kas+2i, kas+2i+1 their branches
        cr.execute(
            """
            UPDATE res_partner SET key_account_headquarters_id = %(p0)s + (id - %(p0)s - %(kas)s) / 2,
                                   key_account_group_relation = 'branch'
             WHERE id >= %(p0)s + %(kas)s AND id < %(p0)s + %(kas)s + 2 * %(hqs)s
        """,
            params,
        )
        cr.execute(
            """
            INSERT INTO res_partner_key_account_team_user_rel (partner_id, user_id)
            SELECT id, 2 FROM res_partner WHERE id >= %(p0)s AND is_key_account
        """,
            params,
        )

        step(f"{args.moves} posted invoices and refunds over three years ({args.moves * 4} lines)")
        cr.execute(
            """
            CREATE TEMP TABLE bench_move AS
            SELECT g AS n,
                   CASE WHEN random() < 0.7 THEN %(p0)s + floor(%(kas)s * random() ^ 2)::int
                        ELSE %(p0)s + %(kas)s + floor((%(partners)s - %(kas)s) * random())::int END AS partner_id,
                   CASE WHEN random() < 0.05 THEN 'out_refund' ELSE 'out_invoice' END AS move_type,
                   (current_date - interval '3 years')::date
                     + floor(random() * (current_date - (current_date - interval '3 years')::date))::int AS invoice_date,
                   round((100 + random() * 9900)::numeric, 2) AS a1,
                   round((100 + random() * 9900)::numeric, 2) AS a2,
                   round((100 + random() * 9900)::numeric, 2) AS a3,
                   random() AS r
              FROM generate_series(1, %(moves)s) g
        """,
            params,
        )
        cr.execute("""
            ALTER TABLE bench_move ADD COLUMN total numeric, ADD COLUMN sign int, ADD COLUMN residual numeric, ADD COLUMN due date;
            UPDATE bench_move SET total = a1 + a2 + a3, sign = CASE WHEN move_type = 'out_refund' THEN -1 ELSE 1 END,
                   due = invoice_date + 30;
            -- older invoices are mostly paid, recent ones mostly open
            UPDATE bench_move SET residual = CASE WHEN r < (CASE WHEN invoice_date < current_date - 90 THEN 0.92 ELSE 0.35 END)
                                                  THEN 0 ELSE total END;
        """)
        cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
        params["m0"] = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO account_move (id, name, ref, move_type, state, journal_id, company_id, currency_id, partner_id,
                   commercial_partner_id, date, invoice_date, invoice_date_due, auto_post, payment_state,
                   amount_untaxed, amount_tax, amount_total, amount_residual,
                   amount_untaxed_signed, amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                   amount_total_in_currency_signed, amount_residual_signed, sequence_prefix, sequence_number,
                   create_uid, write_uid, create_date, write_date)
            SELECT %(m0)s + n, CASE WHEN move_type = 'out_refund' THEN 'BRINV/' ELSE 'BINV/' END || n, 'bench', move_type,
                   'posted', %(journal)s, %(company)s, %(currency)s, partner_id, partner_id, invoice_date, invoice_date, due,
                   'no', CASE WHEN residual = 0 THEN 'paid' ELSE 'not_paid' END,
                   total, 0, total, residual,
                   sign * total, sign * total, 0, sign * total, sign * total, sign * residual,
                   CASE WHEN move_type = 'out_refund' THEN 'BRINV/' ELSE 'BINV/' END, n,
                   1, 1, now(), now()
              FROM bench_move
        """,
            params,
        )
        cr.execute("SELECT setval('account_move_id_seq', (SELECT MAX(id) FROM account_move))")
        cr.execute(
            """
            INSERT INTO account_move_line (move_id, move_name, journal_id, company_id, company_currency_id, currency_id,
                   account_id, partner_id, date, invoice_date, parent_state, display_type, name, sequence, quantity, price_unit,
                   price_subtotal, price_total, balance, debit, credit, amount_currency, amount_residual,
                   amount_residual_currency, reconciled, date_maturity)
            SELECT %(m0)s + m.n, 'BINV/' || m.n, %(journal)s, %(company)s, %(currency)s, %(currency)s,
                   CASE WHEN k = 4 THEN %(receivable)s ELSE %(income)s END,
                   m.partner_id, m.invoice_date, m.invoice_date, 'posted',
                   CASE WHEN k = 4 THEN 'payment_term' ELSE 'product' END,
                   CASE WHEN k = 4 THEN 'BINV/' || m.n ELSE 'Steel product ' || k END, k,
                   CASE WHEN k = 4 THEN 0 ELSE 1 END,
                   CASE k WHEN 1 THEN m.a1 WHEN 2 THEN m.a2 WHEN 3 THEN m.a3 ELSE 0 END,
                   CASE k WHEN 1 THEN m.a1 WHEN 2 THEN m.a2 WHEN 3 THEN m.a3 ELSE -m.sign * m.total END,
                   CASE k WHEN 1 THEN m.a1 WHEN 2 THEN m.a2 WHEN 3 THEN m.a3 ELSE -m.sign * m.total END,
                   v.balance, GREATEST(v.balance, 0), GREATEST(-v.balance, 0), v.balance,
                   CASE WHEN k = 4 THEN m.sign * m.residual ELSE 0 END,
                   CASE WHEN k = 4 THEN m.sign * m.residual ELSE 0 END,
                   k = 4 AND m.residual = 0,
                   CASE WHEN k = 4 THEN m.due END
              FROM bench_move m
             CROSS JOIN generate_series(1, 4) k
             CROSS JOIN LATERAL (SELECT CASE k WHEN 1 THEN -m.sign * m.a1 WHEN 2 THEN -m.sign * m.a2
                                               WHEN 3 THEN -m.sign * m.a3 ELSE m.sign * m.total END AS balance) v
        """,
            params,
        )

        step(f"{args.orders} confirmed sales orders with margins")
        cr.execute(
            """
            INSERT INTO sale_order (name, state, company_id, partner_id, partner_invoice_id, partner_shipping_id, date_order,
                   currency_id, currency_rate, amount_untaxed, amount_total, amount_tax, margin, margin_percent, user_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'BSO/' || g, 'sale', %(company)s, p, p, p, d, %(currency)s, 1, a, a, 0, round(a * mp, 2), mp, 2,
                   1, 1, now(), now()
              FROM (SELECT g, %(p0)s + floor(%(kas)s * random() ^ 2)::int AS p,
                           now() - random() * interval '3 years' AS d,
                           round((1000 + random() * 30000)::numeric, 2) AS a,
                           round((0.05 + random() * 0.3)::numeric, 4) AS mp
                      FROM generate_series(1, %(orders)s) g) s
        """,
            params,
        )

        step("manual ratings of every key account")
        cr.execute(
            """
            INSERT INTO key_account_manual_score (partner_id, criterion_id, company_id, points, user_id, date,
                   create_uid, write_uid, create_date, write_date)
            SELECT p.id, c, %(company)s, floor(random() * 6), 2, now(), 1, 1, now(), now()
              FROM res_partner p CROSS JOIN unnest(%(manual)s::int[]) c
             WHERE p.id >= %(p0)s AND p.is_key_account
        """,
            params,
        )
        cr.execute("SET session_replication_role = DEFAULT")
        cr.commit()
    step("ANALYZE")
    # through Odoo's own connection (the configuration's host and port, not a psql of its own)
    with registry.cursor() as cr:
        cr.execute("ANALYZE")
    step(f"done in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
