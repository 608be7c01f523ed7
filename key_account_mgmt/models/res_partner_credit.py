from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_amount

from ..tools import clean_text, ensure_one, label
from .res_partner import KA_MANAGER, KA_USER

CREDIT_WATCH_PASS_PARAM = "key_account_mgmt.credit_watch_pass"


class ResPartner(models.Model):
    """Credit watch of key accounts (seed 003 第十四条: 信用档案和欠款监控预警机制; seed 002
    客户资信等级评估表), preferential policies on the account, and the credit suspension decided
    by a KA Manager (暂停记账服务). Kept apart from res_partner.py: same model, its own topic."""

    _inherit = "res.partner"

    key_account_overdue_amount = fields.Monetary(
        string="Overdue Receivables",
        compute="_compute_key_account_receivables",
        currency_field="key_account_currency_id",
        groups=KA_USER,
        help="Open amount of invoice instalments past their due date (headquarters: with their branches).",
    )
    key_account_receivable_amount = fields.Monetary(
        string="Open Receivables",
        compute="_compute_key_account_receivables",
        currency_field="key_account_currency_id",
        groups=KA_USER,
    )
    key_account_overdue_days = fields.Integer(
        string="Days Overdue",
        compute="_compute_key_account_receivables",
        groups=KA_USER,
        help="Days past due of the oldest open invoice instalment.",
    )
    key_account_credit_flag = fields.Boolean(
        string="Credit Warning",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        groups=KA_USER,
        help="Set by the credit watch: receivables overdue longer than the company allows, or over the credit limit.",
    )
    key_account_credit_flag_reason = fields.Char(
        string="Credit Warning Reason", copy=False, readonly=True, groups=KA_USER
    )
    key_account_credit_flag_date = fields.Date(string="Credit Warning Since", copy=False, readonly=True, groups=KA_USER)
    key_account_credit_suspended = fields.Boolean(
        string="Credit Suspended",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        groups=KA_USER,
        help="A KA Manager suspended sales on credit (暂停记账服务): quotations of the customer show it.",
    )
    key_account_credit_log_ids = fields.One2many(
        "key.account.credit.log", "partner_id", string="Credit Decisions", groups=KA_USER
    )
    key_account_credit_watch_pass = fields.Integer(
        string="Credit Watch Pass",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Technical: the last pass of the credit watch that checked this account.",
    )
    key_account_policy_ids = fields.One2many(
        "key.account.policy", "partner_id", string="Preferential Policies", groups=KA_USER
    )
    key_account_active_policy_ids = fields.Many2many(
        "key.account.policy",
        string="Policies in Force",
        compute="_compute_key_account_active_policy_ids",
        groups=KA_USER,
    )
    key_account_policy_count = fields.Integer(
        string="Policies", compute="_compute_key_account_active_policy_ids", groups=KA_USER
    )

    _KEY_ACCOUNT_CREDIT_FIELDS = (
        "key_account_credit_flag",
        "key_account_credit_flag_reason",
        "key_account_credit_flag_date",
        "key_account_credit_suspended",
        "key_account_credit_watch_pass",
    )

    @api.depends_context("allowed_company_ids")
    def _compute_key_account_receivables(self):
        figures = self._key_account_receivables()
        for partner in self:
            summary = figures.get(partner.id, {})
            partner.key_account_overdue_amount = summary.get("overdue", 0.0)
            partner.key_account_receivable_amount = summary.get("residual", 0.0)
            partner.key_account_overdue_days = summary.get("overdue_days", 0)

    def _key_account_receivables(self, date=None):
        """{partner id: receivable summary}: the group figure (集团客户: a headquarters with its
        branches, a branch on its own), one statement."""
        return self.env["key.account.metrics"]._receivable_summary(
            self.sudo().filtered("id").ids, date, consolidate=True
        )

    @api.depends_context("uid")
    @api.depends("key_account_policy_ids.state", "key_account_policy_ids.date_from", "key_account_policy_ids.date_to")
    def _compute_key_account_active_policy_ids(self):
        # as the current user: the record rules keep policies within the account team
        policies = self.env["key.account.policy"].search([("partner_id", "in", self.ids), ("is_active", "=", True)])
        counts = dict(
            self.env["key.account.policy"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.key_account_active_policy_ids = policies.filtered(lambda p: p.partner_id == partner)
            partner.key_account_policy_count = counts.get(partner, 0)

    def write(self, vals):
        if not self.env.su and vals.keys() & set(self._KEY_ACCOUNT_CREDIT_FIELDS):
            raise AccessError(
                self.env._(
                    "The credit warning is set by the credit watch, the suspension with its button (kept in the history)."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ credit watch
    @api.model
    def _cron_credit_watch(self, batch_size=500):
        """Credit watch (欠款监控预警): checks every key account once per pass, a batch per call;
        a pass starts when the last one is complete, so each run of the scheduled action (or
        "Run Manually") sees the invoices of the moment. Idempotent: an account is flagged
        once and its team gets one activity until the warning clears."""
        params = self.env["ir.config_parameter"].sudo()
        current = int(params.get_param(CREDIT_WATCH_PASS_PARAM, 0))
        Partner = self.sudo().with_context(active_test=False)
        domain = [
            "|",
            ("is_key_account", "=", True),
            ("key_account_credit_flag", "=", True),
            ("key_account_credit_watch_pass", "<", current),
        ]
        if not Partner.search_count(domain, limit=1):
            current += 1
            params.set_param(CREDIT_WATCH_PASS_PARAM, current)
            domain[-1] = ("key_account_credit_watch_pass", "<", current)
        partners = Partner.search(domain, limit=batch_size, order="id")
        partners._key_account_credit_check()
        partners.write({"key_account_credit_watch_pass": current})
        remaining = Partner.search_count(domain)
        # the scheduler commits after each call and calls again while some remain
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return True

    def action_check_credit(self):
        """Run the credit watch now on these key accounts, or on all of them when called
        without records (KA Managers; over RPC too)."""
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may run the credit watch."))
        partners = self or self.with_context(active_test=False).search(
            ["|", ("is_key_account", "=", True), ("key_account_credit_flag", "=", True)]
        )
        partners.check_access("read")
        partners._key_account_credit_check()
        return True

    def _key_account_credit_check(self):
        """Flag or clear these accounts from their receivables, company by company (days
        allowed by the company, credit limit of the account's archive in that company)."""
        partners = self.sudo()
        if not partners:
            return
        # the scheduled watch and a watch run by hand must not both schedule the activity: the
        # second waits here, then retries on the serialization failure and sees the first's work
        self.env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", partners.ids)
        )
        result = {partner.id: [] for partner in partners}
        for company in self.env["res.company"].sudo().search([]):
            scoped = partners.with_company(company).with_context(allowed_company_ids=company.ids)
            figures = scoped._key_account_receivables()
            limits = {
                archive.partner_id.id: archive.credit_limit
                for archive in self.env["key.account.archive"]
                .sudo()
                .search([("partner_id", "in", partners.ids), ("company_id", "=", company.id), ("credit_limit", ">", 0)])
            }
            allowed_days = company.key_account_credit_overdue_days
            for partner in partners.filtered("is_key_account"):
                summary = figures.get(partner.id)
                if not summary:
                    continue
                if summary["overdue"] > 0 and summary["overdue_days"] > allowed_days:
                    result[partner.id].append(
                        self.env._(
                            "%(amount)s overdue for %(days)s days (%(company)s allows %(allowed)s)",
                            amount=format_amount(self.env, summary["overdue"], company.currency_id),
                            days=summary["overdue_days"],
                            company=company.name,
                            allowed=allowed_days,
                        )
                    )
                limit = limits.get(partner.id)
                if limit and summary["residual"] > limit:
                    result[partner.id].append(
                        self.env._(
                            "receivables of %(amount)s over the credit limit of %(limit)s",
                            amount=format_amount(self.env, summary["residual"], company.currency_id),
                            limit=format_amount(self.env, limit, company.currency_id),
                        )
                    )
        open_activities = partners._credit_watch_activities()
        today = fields.Date.context_today(self)
        for partner in partners:
            reason = "; ".join(result[partner.id])
            activities = open_activities.get(partner.id, self.env["mail.activity"].sudo())
            if reason:
                vals = {"key_account_credit_flag_reason": reason}
                if not partner.key_account_credit_flag:
                    vals.update(key_account_credit_flag=True, key_account_credit_flag_date=today)
                if any(partner[field] != value for field, value in vals.items()):
                    partner.write(vals)
                if not activities:
                    partner._credit_warning_schedule(reason)
            elif partner.key_account_credit_flag:
                partner.write(
                    {
                        "key_account_credit_flag": False,
                        "key_account_credit_flag_reason": False,
                        "key_account_credit_flag_date": False,
                    }
                )
                activities.action_feedback(feedback=self.env._("Receivables back within terms."))

    def _credit_watch_activities(self):
        """{partner id: its open credit-watch activities}, on its warning rows (sudo)."""
        logs = (
            self.env["key.account.credit.log"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("action", "=", "warning")])
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "key.account.credit.log"),
                    ("res_id", "in", logs.ids),
                    ("activity_type_id", "=", self.env.ref("key_account_mgmt.mail_activity_type_credit_watch").id),
                ]
            )
        )
        partner_of = {log.id: log.partner_id.id for log in logs}
        result = defaultdict(lambda: self.env["mail.activity"].sudo())
        for activity in activities:
            result[partner_of[activity.res_id]] |= activity
        return result

    def _credit_warning_schedule(self, reason):
        """A warning row in the credit history with the account manager's activity (sudo)."""
        self.ensure_one()
        summary = self._key_account_receivables().get(self.id, {})
        log = (
            self.env["key.account.credit.log"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": self.id,
                    "action": "warning",
                    "reason": reason,
                    "user_id": self.env.uid,
                    "overdue_amount": summary.get("overdue", 0.0),
                    "receivable_amount": summary.get("residual", 0.0),
                }
            )
        )
        user = self.key_account_manager_id or self._key_account_managers()[:1]
        log.activity_schedule(
            "key_account_mgmt.mail_activity_type_credit_watch",
            summary=self.env._("Credit warning: %(partner)s", partner=self.display_name),
            note=reason,
            user_id=user.id or self.env.uid,
        )
        return log

    # ------------------------------------------------------------------ suspension
    def action_suspend_credit(self, reason):
        """暂停记账服务: the KA Manager suspends sales on credit, with the reason (history)."""
        return self._set_credit_suspension(True, reason)

    def action_restore_credit(self, reason):
        """The KA Manager restores sales on credit, with the reason (history)."""
        return self._set_credit_suspension(False, reason)

    def _set_credit_suspension(self, suspended, reason):
        if not (self.env.su or self.env.user.has_group(KA_MANAGER)):
            raise AccessError(self.env._("Only a Key Account Manager may suspend or restore credit."))
        reason = clean_text(self.env, reason, label(self.env, "key.account.credit.log", "reason"))
        if not reason:
            raise ValidationError(self.env._("Give the reason of the credit decision."))
        self.check_access("write")
        partners = self.sudo().filtered(lambda p: p.key_account_credit_suspended != suspended)
        if not partners:
            raise ValidationError(
                self.env._("Credit is already suspended.") if suspended else self.env._("Credit is not suspended.")
            )
        figures = partners._key_account_receivables()
        self.env["key.account.credit.log"].sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    "partner_id": partner.id,
                    "action": "suspend" if suspended else "restore",
                    "reason": reason,
                    "user_id": self.env.uid,
                    "overdue_amount": figures.get(partner.id, {}).get("overdue", 0.0),
                    "receivable_amount": figures.get(partner.id, {}).get("residual", 0.0),
                }
                for partner in partners
            ]
        )
        partners.write({"key_account_credit_suspended": suspended})
        return True

    def action_open_credit_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Decision"),
            "res_model": "key.account.credit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_action": "restore" if self[:1].key_account_credit_suspended else "suspend",
            },
        }

    def action_open_receivable_report(self):
        """出货回款: invoiced, paid and overdue by month of this account (with its branches)."""
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_receivable_report_action")
        action["domain"] = ["|", ("partner_id", "=", self.id), ("account_id", "=", self.id)]
        action["context"] = {"search_default_group_month": 1}
        return action

    def action_open_policies(self):
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_policy_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
