#!/usr/bin/env python3
"""Add the histories of a company that has used the addon for three years to the benchmark
database that bench/generate.py built (issue #25): the people who work in it and what they
recorded.

At scale 1 (20,000 key accounts): 400 KA Users (bench_user_1…, each managing ~50 accounts and
on the team of ~25 more), 4 KA Managers (bench_manager_1…), 150,000 visits and 50,000
receptions (a gift line on every other one, an expense on every done one), 100,000 cooperation-
state log rows, 240,000 score snapshots (12 months of every key account), 50,000 complaints
(helpdesk tickets with SLA figures), 20,000 client archives with 5,000 access grants and
20,000 access-register rows, 20,000 news items, three annual reviews with a line per account.

Bulk SQL (INSERT … SELECT generate_series) like generate.py; the users are created through
the ORM (their groups and partners), sharing one password hash: every bench user logs in with
the password ``bench``.

    .venv/bin/python bench/generate_histories.py --config C --db kam_bench [--scale 0.01]
"""

import argparse
import os
import sys
import time

ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/.cache/key_account_mgmt/odoo-18.0"))
PASSWORD = "bench"


def step(label):
    print(f"[{time.strftime('%H:%M:%S')}] {label}", flush=True)


def create_users(env, users, managers):
    """KA Users and KA Managers of the main company, all with the password ``bench``."""
    groups = {
        "user": env.ref("key_account_mgmt.group_ka_user") | env.ref("base.group_user"),
        "manager": env.ref("key_account_mgmt.group_ka_manager") | env.ref("base.group_user"),
    }
    existing = set(
        env["res.users"].with_context(active_test=False).search([("login", "=like", "bench_%")]).mapped("login")
    )
    values = []
    for kind, count in (("user", users), ("manager", managers)):
        for n in range(1, count + 1):
            login = f"bench_{kind}_{n}"
            if login not in existing:
                values.append(
                    {
                        "name": f"Bench {kind.title()} {n}",
                        "login": login,
                        "tz": "Asia/Shanghai",
                        "groups_id": [(6, 0, groups[kind].ids)],
                    }
                )
    created = env["res.users"].with_context(no_reset_password=True, mail_create_nolog=True).create(values)
    # the KA Managers score the manual criteria (the scoring sheet is one of their screens)
    managers = env["res.users"].search([("login", "=like", "bench_manager_%")])
    for group in env["key.account.scorecard.criterion"].search([("kind", "=", "manual")]).group_id:
        group.users = [(4, user.id) for user in managers]
    digest = env["res.users"]._crypt_context().hash(PASSWORD)
    env.flush_all()
    env.cr.execute("UPDATE res_users SET password = %s WHERE login LIKE 'bench\\_%%'", [digest])
    return len(created)


def assign_teams(cr, params):
    """Each KA User manages a consecutive slice of the key accounts and is on the team of the
    next user's first half: a realistic team of ~75 accounts, ~50 of them managed."""
    cr.execute(
        """
        WITH u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM res_users WHERE login LIKE 'bench\\_user\\_%%'),
             ka AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM res_partner WHERE is_key_account AND id >= %(p0)s),
             size AS (SELECT GREATEST(1, (SELECT COUNT(*) FROM ka) / GREATEST(1, (SELECT COUNT(*) FROM u))) AS s)
        UPDATE res_partner p SET key_account_manager_id = u.id
          FROM ka, u, size WHERE ka.id = p.id AND u.n = LEAST(ka.n / size.s, (SELECT COUNT(*) - 1 FROM u))
        """,
        params,
    )
    cr.execute(
        """
        DELETE FROM res_partner_key_account_team_user_rel WHERE partner_id >= %(p0)s;
        INSERT INTO res_partner_key_account_team_user_rel (partner_id, user_id)
        SELECT id, key_account_manager_id FROM res_partner WHERE is_key_account AND id >= %(p0)s;
        WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM res_users WHERE login LIKE 'bench\\_user\\_%%'),
             prev AS (SELECT u.id AS user_id, v.id AS previous_id FROM u JOIN u v ON v.n = u.n + 1)
        INSERT INTO res_partner_key_account_team_user_rel (partner_id, user_id)
        SELECT p.id, prev.previous_id FROM res_partner p JOIN prev ON prev.user_id = p.key_account_manager_id
         WHERE p.is_key_account AND p.id >= %(p0)s AND p.id %% 2 = 0
        ON CONFLICT DO NOTHING;
        """,
        params,
    )


def visits_sql(table, prefix, count, checkin):
    """Visits (or receptions) spread over three years, each on a key account by its manager:
    the last 20 days planned, the rest done (one in ten cancelled)."""
    checkin_columns = "checkin_status, checkout_status, onsite_hours, " if checkin else ""
    checkin_values = "'none', 'none', 2, " if checkin else ""
    return f"""
    INSERT INTO {table} (name, partner_id, company_id, user_id, state, method, purpose, date_planned, date_done,
           {checkin_columns}budget, gift_total, expense_total, duration, report_review_state,
           create_uid, write_uid, create_date, write_date)
    SELECT '{prefix}' || g, p.id, %(company)s, p.key_account_manager_id, s.state,
           CASE WHEN g %% 5 = 0 THEN 'phone' ELSE 'onsite' END, 'Bench {prefix}' || g, x.d,
           CASE WHEN s.state = 'done' THEN x.d END, {checkin_values}500, 0, 0, 2,
           CASE WHEN s.state = 'done' THEN 'accepted' END, 1, 1, now(), now()
      FROM generate_series(1, %({count})s) g
      CROSS JOIN LATERAL (SELECT %(p0)s + (g * 7919) %% %(kas)s AS pid,
                                 now() - (g %% 1095) * interval '1 day' + interval '9 hours' AS d) x
      JOIN res_partner p ON p.id = x.pid
      CROSS JOIN LATERAL (SELECT CASE WHEN x.d > now() - interval '20 days'
                                      THEN (ARRAY['draft', 'submitted', 'approved'])[1 + g %% 3]
                                      WHEN g %% 10 = 0 THEN 'cancelled' ELSE 'done' END AS state) s
    """


def add_visits(cr, params):
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM key_account_visit")
    params["v0"] = cr.fetchone()[0]
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM key_account_reception")
    params["r0"] = cr.fetchone()[0]
    cr.execute(visits_sql("key_account_visit", "BVIS/", "visits", checkin=True), params)
    cr.execute(visits_sql("key_account_reception", "BREC/", "receptions", checkin=False), params)
    for table, column, first in (
        ("key_account_visit", "visit_id", "v0"),
        ("key_account_reception", "reception_id", "r0"),
    ):
        params["first"] = params[first]
        cr.execute(
            f"""
            INSERT INTO key_account_visit_gift (partner_id, company_id, {column}, name, unit_value, quantity, quantity_given,
                   subtotal, create_uid, write_uid, create_date, write_date)
            SELECT v.partner_id, v.company_id, v.id, 'Calendar', 80, 2, CASE WHEN v.state = 'done' THEN 2 ELSE 0 END, 160,
                   1, 1, now(), now()
              FROM {table} v WHERE v.id > %(first)s AND v.id %% 2 = 0;
            INSERT INTO key_account_visit_expense (partner_id, company_id, {column}, user_id, expense_type, name, state, date,
                   amount, create_uid, write_uid, create_date, write_date)
            SELECT v.partner_id, v.company_id, v.id, v.user_id, 'travel', 'Train tickets',
                   CASE WHEN v.date_done > now() - interval '30 days' THEN 'claimed' ELSE 'paid' END,
                   v.date_done::date, 320, 1, 1, now(), now()
              FROM {table} v WHERE v.id > %(first)s AND v.state = 'done';
            UPDATE {table} v SET gift_total = COALESCE(g.total, 0), expense_total = COALESCE(e.total, 0)
              FROM {table} w
              LEFT JOIN (SELECT {column} AS id, SUM(subtotal) AS total FROM key_account_visit_gift GROUP BY 1) g ON g.id = w.id
              LEFT JOIN (SELECT {column} AS id, SUM(amount) AS total FROM key_account_visit_expense GROUP BY 1) e ON e.id = w.id
             WHERE v.id = w.id AND w.id > %(first)s;
            """,
            params,
        )


HISTORIES = {
    "cooperation-state log rows": """
        INSERT INTO key_account_state_log (partner_id, company_id, user_id, state_from, state_to, change_type, period, date,
               levels, escalated, create_uid, write_uid, create_date, write_date)
        SELECT p.id, %(company)s, p.key_account_manager_id, 'good', CASE WHEN g %% 17 = 0 THEN 'problem' ELSE 'good' END,
               CASE WHEN g %% 17 = 0 THEN 'downgrade' ELSE 'confirm' END, date_trunc('month', d)::date, d, 0, false,
               1, 1, now(), now()
          FROM generate_series(1, %(state_logs)s) g
          CROSS JOIN LATERAL (SELECT %(p0)s + (g * 7907) %% %(kas)s AS pid,
                                     now() - (g %% 1095) * interval '1 day' AS d) x
          JOIN res_partner p ON p.id = x.pid
    """,
    "score snapshots (12 months of every key account)": """
        INSERT INTO key_account_score (partner_id, scorecard_id, period_date, date_computed, score, previous_score, score_change,
               grade, suggested_tier_id, revenue, sales_share, breakdown)
        SELECT p.id, %(scorecard)s, m, m + interval '1 month', s, s - 2, 2,
               CASE WHEN s >= 80 THEN 'a' WHEN s >= 60 THEN 'b' ELSE 'c' END, p.key_account_tier_id,
               (p.id %% 997) * 1000, 0.01, '{}'
          FROM res_partner p
          CROSS JOIN generate_series(date_trunc('month', now()) - interval '12 months',
                                     date_trunc('month', now()) - interval '1 month', interval '1 month') m
          CROSS JOIN LATERAL (SELECT 40 + (p.id * 31 + extract(month FROM m)::int * 7) %% 60 AS s) x
         WHERE p.is_key_account AND p.id >= %(p0)s
        ON CONFLICT DO NOTHING
    """,
    "complaints": """
        INSERT INTO helpdesk_ticket (number, name, description, company_id, partner_id, commercial_partner_id, key_account_id,
               key_account_manager_id, team_id, stage_id, request_type, complaint_validity, is_valid_complaint, date_received,
               date_replied, reply_in_sla, resolve_in_sla, sla_breached, priority, active, create_uid, write_uid, create_date,
               write_date)
        SELECT 'BHT' || g, 'Bench complaint ' || g, '<p>Late delivery</p>', %(company)s, p.id, p.id, p.id,
               p.key_account_manager_id, %(helpdesk_team)s, %(helpdesk_stage)s, 'complaint',
               CASE WHEN g %% 3 = 0 THEN 'invalid' ELSE 'valid' END, g %% 3 <> 0, d, d + interval '3 hours',
               g %% 7 <> 0, g %% 5 <> 0, g %% 7 = 0, '1', true, 1, 1, d, d
          FROM generate_series(1, %(complaints)s) g
          CROSS JOIN LATERAL (SELECT %(p0)s + (g * 7901) %% %(kas)s AS pid,
                                     now() - (g %% 1095) * interval '1 day' AS d) x
          JOIN res_partner p ON p.id = x.pid
    """,
    "client archives": """
        INSERT INTO key_account_archive (partner_id, company_id, archivist_id, name, date_created, legal_representative,
               main_business, registered_capital, completeness, create_uid, write_uid, create_date, write_date)
        SELECT p.id, %(company)s, p.key_account_manager_id, 'Archive ' || p.name, current_date - 400, 'Zhang San',
               'Steel products', 1000000, 60 + p.id %% 40, 1, 1, now(), now()
          FROM res_partner p WHERE p.is_key_account AND p.id >= %(p0)s
        ON CONFLICT DO NOTHING
    """,
    "archive grants and register rows": """
        INSERT INTO key_account_archive_grant (partner_id, company_id, archive_id, user_id, state, date_expiry, valid_until,
               reason, decided_by_id, decided_date, create_uid, write_uid, create_date, write_date)
        SELECT a.partner_id, a.company_id, a.id, u.id, 'granted', current_date + 30, now() + interval '30 days',
               'Joint visit', 2, now(), 1, 1, now(), now()
          FROM key_account_archive a
          JOIN LATERAL (SELECT id FROM res_users WHERE login LIKE 'bench\\_user\\_%%'
                         ORDER BY id OFFSET a.id %% GREATEST(1, %(users)s) LIMIT 1) u ON true
         WHERE a.partner_id >= %(p0)s AND a.id %% 4 = 0;
        INSERT INTO key_account_archive_access_log (partner_id, company_id, archive_id, user_id, date, first_read,
               create_uid, write_uid, create_date, write_date)
        SELECT a.partner_id, a.company_id, a.id, p.key_account_manager_id, current_date - (a.id %% 300), now(), 1, 1, now(), now()
          FROM key_account_archive a JOIN res_partner p ON p.id = a.partner_id
         WHERE a.partner_id >= %(p0)s
        ON CONFLICT DO NOTHING
    """,
    "news items": """
        INSERT INTO key_account_news (partner_id, company_id, user_id, name, news_type, importance, date, description,
               create_uid, write_uid, create_date, write_date)
        SELECT p.id, %(company)s, p.key_account_manager_id, 'Bench news ' || g,
               (ARRAY['organisation','personnel','business','purchase_plan','competitor','other'])[1 + g %% 6],
               (g %% 3)::text, current_date - (g %% 1095), 'A new purchase plan', 1, 1, now(), now()
          FROM generate_series(1, %(news)s) g
          JOIN res_partner p ON p.id = %(p0)s + (g * 7883) %% %(kas)s
    """,
    "annual reviews with a line per account": """
        INSERT INTO key_account_review (company_id, year, scorecard_id, name, state, date, period_date, needs_director_approval,
               create_uid, write_uid, create_date, write_date)
        SELECT %(company)s, y, %(scorecard)s, 'Annual review ' || y, 'approved', make_date(y, 12, 20), make_date(y, 12, 1),
               false, 1, 1, now(), now()
          FROM generate_series(extract(year FROM now())::int - 3, extract(year FROM now())::int - 1) y
        ON CONFLICT DO NOTHING;
        INSERT INTO key_account_review_line (partner_id, company_id, review_id, old_tier_id, proposed_tier_id, new_tier_id,
               change, preliminary_grade, create_uid, write_uid, create_date, write_date)
        SELECT p.id, %(company)s, r.id, p.key_account_tier_id, p.key_account_tier_id, p.key_account_tier_id, 'same', 'b',
               1, 1, now(), now()
          FROM key_account_review r CROSS JOIN res_partner p
         WHERE r.name LIKE 'Annual review %%' AND p.is_key_account AND p.id >= %(p0)s
    """,
}


def check(args):
    import psycopg2

    sys.path.insert(0, ODOO_SRC)
    import odoo

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    try:
        with odoo.sql_db.db_connect(args.db).cursor() as cr:
            cr.execute(
                "SELECT COUNT(*) FILTER (WHERE login LIKE 'bench\\_user\\_%%'), "
                "COUNT(*) FILTER (WHERE login LIKE 'bench\\_manager\\_%%') FROM res_users"
            )
            users, managers = cr.fetchone()
            print(users, managers)
            return 0 if users and managers else 1
    except psycopg2.OperationalError:
        return 1


def check_policies(env):
    """Run the policy check through every invoice (a live database's scheduled action keeps up
    with the invoices; left to the server, it would check 250,000 of them during the load test)."""
    deviation, checked, remaining = env["key.account.policy.deviation"], 0, True
    while remaining:
        done, remaining = deviation._check_next_batch(batch_size=5000)
        checked += done
        env.cr.commit()
    return checked


def run_due_crons(registry, db_name, passes=50):
    """Run every scheduled action due until none is (each pass: Odoo's cron worker's, in its
    own transactions): the load test's server then starts where a live one runs, without a
    day of crons (state suggestions, watches over 20,000 accounts…) to catch up on in the
    measured minutes. Returns the number of runs."""
    cron = registry["ir.cron"]
    runs = 0
    for _pass in range(passes):
        with registry.cursor() as cr:
            ready = len(cron._get_all_ready_jobs(cr))
        if not ready:
            break
        cron._process_jobs(db_name)
        runs += ready
    return runs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", default="kam_bench")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--check", action="store_true", help="print the numbers of KA Users and Managers; exit 1 without histories"
    )
    args = parser.parse_args()
    if args.check:
        return check(args)
    started = time.time()
    sys.path.insert(0, ODOO_SRC)
    import odoo

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db])
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("SELECT MIN(id), COUNT(*) FROM res_partner WHERE is_key_account AND name LIKE 'Bench Customer %%'")
        p0, kas = cr.fetchone()
        if not kas:
            sys.exit(f"{args.db} has no bench key accounts: run bench/generate.py first")
        users = max(2, round(kas / 50))
        managers = max(1, round(4 * args.scale)) if args.scale < 1 else 4
        step(f"{users} KA Users and {managers} KA Managers (password '{PASSWORD}')")
        create_users(env, users, managers)
        company = env.ref("base.main_company")
        stage = env["helpdesk.ticket.stage"].search([], limit=1)
        team = env["helpdesk.ticket.team"].search([], limit=1) or env["helpdesk.ticket.team"].create({"name": "Bench"})
        params = {
            "company": company.id,
            "p0": p0,
            "kas": kas,
            "users": users,
            "scorecard": env["key.account.scorecard"].search([("company_id", "=", company.id)], limit=1).id,
            "helpdesk_team": team.id,
            "helpdesk_stage": stage.id,
            **{
                name: max(1, round(count * args.scale))
                for name, count in (
                    ("visits", 150_000),
                    ("receptions", 50_000),
                    ("state_logs", 100_000),
                    ("complaints", 50_000),
                    ("news", 20_000),
                )
            },
        }
        env.flush_all()
        cr.execute("SET session_replication_role = replica")
        step("teams: each KA User manages ~50 key accounts and helps on ~25 more")
        assign_teams(cr, params)
        step(f"{params['visits']} visits and {params['receptions']} receptions with gifts and expenses")
        add_visits(cr, params)
        for label, statement in HISTORIES.items():
            step(label)
            cr.execute(statement, params)
        cr.execute("SET session_replication_role = DEFAULT")
        cr.execute("ANALYZE")
        cr.commit()
        step("the credit split of every month kept, as its scheduled action does")
        months = env["key.account.credit.month"]
        for month, tz in months._months_to_compute(months._zones()):
            months._compute_month(month, tz)
        cr.commit()
        step("the invoices checked against the preferential policies, as their scheduled action does")
        checked = check_policies(env)
        step(f"{checked} invoices checked")
    step("the scheduled actions due, run as the cron worker runs them on a new database")
    step(f"{run_due_crons(registry, args.db)} runs")
    step(f"histories done in {time.time() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
