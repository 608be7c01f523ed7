from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .key_account_state_suggestion import RULE_STATE

CURSOR_PARAM = "key_account_mgmt.state_watch_cursor"
# seed 002: 没有合作 = 三年内没有合作
NO_COOPERATION_MONTHS = 36
# an agreement expired without renewal suggests a problem for a year after its end
EXPIRED_AGREEMENT_DAYS = 365
RUNNING_KINDS = ("supply", "quality", "framework", "tender_won")


class KeyAccountStateWatch(models.AbstractModel):
    """The state watch: reads invoices, complaints, scores and agreements of key accounts and
    raises or clears their cooperation state suggestions (key.account.state.suggestion). The
    daily scheduled action checks every key account once per pass, a batch per call, in a
    number of queries per batch that does not grow with the accounts (one set-based statement
    per rule, through key.account.metrics' consolidation rule: a branch counts for its
    headquarters). The rules (``_rule_finders``):

    - no invoice: no posted customer invoice of the account or its branches in the last 36
      months → 没有合作 (no cooperation);
    - complaint surge: at least the company's number of valid complaints in its number of days
      → 问题客户 (problem customer);
    - score drop: the latest score of a month that ended at least the company's points below the
      one before (same scorecard) → 问题客户;
    - running agreement or won tender (signed, today within its validity; a shortlisted tender
      is not won) → 合作良好 (good cooperation); an agreement expired without renewal (expired,
      or signed and past its end, with no renewal) in the last year, none of its kind running
      → 问题客户. These two read
      ``key.account.agreement`` and are skipped where that model is not installed.

    A suggestion is raised once per account and rule while the data shows it (not for an
    account already in the suggested state, nor for a refused one: the blacklist is a decision),
    and cleared when the data no longer shows it; still to decide, it is cleared too once the
    account is in the suggested state."""

    _name = "key.account.state.watch"
    _inherit = "key.account.watch.mixin"
    _description = "Cooperation State Watch"
    _watch_cursor_param = CURSOR_PARAM
    _watch_row_model = "key.account.state.suggestion"

    @api.model
    def _cron_state_watch(self, batch_size=500):
        """Each call checks the next ``batch_size`` accounts (key accounts and accounts with a
        suggestion the data still shows) after the cursor; the scheduler commits and calls
        again while some remain, and the pass starts again at the next run."""
        return self._watch_next_batch(batch_size)

    @api.model
    def _watch(self, accounts):
        """Raise the suggestions these accounts have and have not yet, update the facts of
        those still shown, clear those gone (sudo: called by the scheduler)."""
        accounts = accounts.sudo().with_context(active_test=False).exists()
        if not accounts:
            return
        # two runs at once must not both raise a suggestion: the second waits
        self.env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", accounts.ids)
        )
        accounts.fetch(["is_key_account", "cooperation_state", "company_id"])
        found = self._findings(accounts)
        Suggestion = self.env["key.account.state.suggestion"].sudo()
        shown = Suggestion.search([("partner_id", "in", accounts.ids)])
        shown.fetch(["partner_id", "rule", "suggested_state", "decision", "facts"])
        by_key = {(suggestion.partner_id.id, suggestion.rule): suggestion for suggestion in shown}
        shown.filtered(
            lambda s: (
                (s.partner_id.id, s.rule) not in found
                or (s.decision == "pending" and s.partner_id.cooperation_state == s.suggested_state)
            )
        )._resolve()
        new = []
        for (account_id, rule), facts in found.items():
            suggestion = by_key.get((account_id, rule))
            account = accounts.browse(account_id)
            if not suggestion:
                if account.cooperation_state not in (RULE_STATE[rule], "refused"):
                    new.append(
                        {"partner_id": account_id, "rule": rule, "suggested_state": RULE_STATE[rule], "facts": facts}
                    )
            elif suggestion.active and (suggestion.facts or {}) != facts:
                suggestion.write({"facts": facts})
        if new:
            Suggestion.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
                new
            )._schedule_activity()

    # ------------------------------------------------------------------ the rules
    @api.model
    def _rule_finders(self):
        """[(model the rule reads, finder)]: ``finder(accounts, today)`` answers
        {(account id, rule): facts} in one statement for the batch; a rule whose model is not
        installed is skipped."""
        return [
            ("account.move", self._find_no_invoice),
            ("helpdesk.ticket", self._find_complaint_surge),
            ("key.account.score", self._find_score_drop),
            ("key.account.agreement", self._find_agreements),
        ]

    @api.model
    def _findings(self, accounts):
        """{(account id, rule): facts} of the suggestions the data shows for these key accounts,
        the documents of every company counted."""
        keys = accounts.filtered(lambda a: a.is_key_account and a.active)
        if not keys:
            return {}
        # every company's documents; the current company first: its thresholds apply to shared accounts
        others = self.env["res.company"].sudo().search([("id", "!=", self.env.company.id)])
        watch = self.sudo().with_context(allowed_company_ids=[self.env.company.id, *others.ids])
        today = fields.Date.context_today(watch)
        found = {}
        for model, finder in watch._rule_finders():
            if model in watch.env:
                found.update(finder(keys.with_env(watch.env), today))
        return found

    @api.model
    def _settings(self, accounts):
        """{account id: its company} (the environment's for an account shared by companies):
        whose thresholds apply."""
        return {account.id: account.company_id or self.env.company for account in accounts}

    @api.model
    def _find_no_invoice(self, accounts, today):
        since = fields.Date.subtract(today, months=NO_COOPERATION_MONTHS)
        self.env.cr.execute(
            self.env["key.account.metrics"]._invoices_query(
                SQL("a.account_id, MAX(m.invoice_date)"),
                accounts.ids,
                consolidate=True,
                where=SQL("m.move_type = 'out_invoice'"),
                tail=SQL("GROUP BY 1"),
            )
        )
        last = dict(self.env.cr.fetchall())
        return {
            (account.id, "no_invoice"): {
                "months": NO_COOPERATION_MONTHS,
                "last": last[account.id].isoformat() if last.get(account.id) else False,
            }
            for account in accounts
            if not last.get(account.id) or last[account.id] < since
        }

    @api.model
    def _find_complaint_surge(self, accounts, today):
        """One statement per distinct number of days among the companies (usually one)."""
        companies = self._settings(accounts)
        by_days = defaultdict(list)
        for account in accounts:
            company = companies[account.id]
            if company.key_account_suggestion_complaints > 0 and company.key_account_suggestion_complaint_days > 0:
                by_days[company.key_account_suggestion_complaint_days].append(account.id)
        found = {}
        metrics = self.env["key.account.activity.metrics"]
        for days, account_ids in by_days.items():
            summary = metrics._complaint_summary(today - timedelta(days=days - 1), today, account_ids)
            for account_id in account_ids:
                count = summary.get(account_id, {}).get("valid", 0)
                threshold = companies[account_id].key_account_suggestion_complaints
                if count >= threshold:
                    found[(account_id, "complaint_surge")] = {"count": count, "days": days, "threshold": threshold}
        return found

    @api.model
    def _find_score_drop(self, accounts, today):
        """The latest snapshot of a month that ended against the one before of the same
        scorecard (the current month's, by "Compute Now", is provisional: its month runs)."""
        self.env["key.account.score"].flush_model(["partner_id", "scorecard_id", "period_date", "score"])
        self.env.cr.execute(
            SQL(
                """
                SELECT last.partner_id, last.period_date, last.score, before.score
                  FROM (SELECT DISTINCT ON (partner_id) partner_id, scorecard_id, period_date, score
                          FROM key_account_score
                         WHERE partner_id = ANY(%(ids)s) AND period_date < %(month)s
                         ORDER BY partner_id, period_date DESC, id DESC) AS last
                  JOIN LATERAL (SELECT score FROM key_account_score s
                                 WHERE s.partner_id = last.partner_id AND s.scorecard_id = last.scorecard_id
                                   AND s.period_date < last.period_date
                                 ORDER BY s.period_date DESC LIMIT 1) AS before ON TRUE
                """,
                ids=self.env["key.account.metrics"]._int_array(accounts.ids),
                month=today.replace(day=1),
            )
        )
        companies = self._settings(accounts)
        found = {}
        for account_id, month, after, before in self.env.cr.fetchall():
            points = companies[account_id].key_account_suggestion_score_drop
            if points > 0 and before - after >= points:
                found[(account_id, "score_drop")] = {
                    "before": round(before, 2),
                    "after": round(after, 2),
                    "month": month.strftime("%Y-%m"),
                    "points": points,
                }
        return found

    @api.model
    def _find_agreements(self, accounts, today):
        """Running agreements and won tenders, and agreements expired without renewal in the
        last year with none of their kind running, of the account or its branches."""
        Agreement = self.env["key.account.agreement"]
        Agreement.flush_model(["partner_id", "kind", "state", "date_start", "date_end", "renewal_id"])
        running = SQL(
            "g.state = 'signed' AND g.kind = ANY(%(kinds)s) AND g.date_start <= %(today)s AND g.date_end >= %(today)s",
            kinds=list(RUNNING_KINDS),
            today=today,
        )
        self.env.cr.execute(
            SQL(
                """
                WITH %(accounts)s
                SELECT a.account_id, g.id, g.kind,
                       CASE WHEN %(running)s THEN 'contract_running' ELSE 'contract_expired' END
                  FROM %(table)s g
                  JOIN accounts a ON a.partner_id = g.partner_id
                 WHERE %(running)s
                    OR (g.kind != 'tender_shortlisted' AND g.renewal_id IS NULL
                        AND (g.state = 'expired' OR (g.state = 'signed' AND g.date_end < %(today)s))
                        AND g.date_end >= %(since)s)
                 ORDER BY g.id
                """,
                accounts=self.env["key.account.metrics"]._score_accounts(accounts.ids),
                running=running,
                table=SQL.identifier(Agreement._table),
                today=today,
                since=today - timedelta(days=EXPIRED_AGREEMENT_DAYS),
            )
        )
        rows = self.env.cr.fetchall()
        running_kinds = {(account_id, kind) for account_id, _id, kind, rule in rows if rule == "contract_running"}
        found = {}
        for account_id, agreement_id, kind, rule in rows:
            if rule == "contract_expired" and (account_id, kind) in running_kinds:
                continue
            found.setdefault((account_id, rule), {"agreement_ids": []})["agreement_ids"].append(agreement_id)
        return found
