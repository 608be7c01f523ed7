from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_amount

from ..tools import clean_text, in_lang_of, label

CREDIT_WATCH_PASS_PARAM = "key_account_mgmt.credit_watch_pass"


class KeyAccountCredit(models.AbstractModel):
    """Credit of key accounts (seed 003 第十四条: 信用档案和欠款监控预警机制; seed 002
    客户资信等级评估表): the credit watch flagging accounts whose receivables are overdue longer
    than the company allows or over the credit limit of their archive, and the credit
    suspension decided by a KA Manager (暂停记账服务). The flags are fields of the partner; the
    decisions and warnings rows of key.account.credit.log."""

    _name = "key.account.credit"
    _description = "Key Account Credit"

    # ------------------------------------------------------------------ credit watch
    @api.model
    def _cron_credit_watch(self, batch_size=500):
        """Credit watch (欠款监控预警): checks every key account once per pass, a batch per call;
        a pass starts when the last one is complete, so each run of the scheduled action (or
        "Run Manually") sees the invoices of the moment. Idempotent: an account is flagged
        once and its team gets one activity until the warning clears."""
        params = self.env["ir.config_parameter"].sudo()
        current = int(params.get_param(CREDIT_WATCH_PASS_PARAM, 0))
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
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
        self._check(partners)
        partners.write({"key_account_credit_watch_pass": current})
        remaining = Partner.search_count(domain)
        # the scheduler commits after each call and calls again while some remain
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        return True

    @api.model
    def _watch_now(self, partners):
        """Run the credit watch now on these key accounts, or on all of them when given none
        (KA Managers)."""
        partners._key_account_check_manager(self.env._("Only a Key Account Manager may run the credit watch."))
        partners = partners or partners.with_context(active_test=False).search(
            ["|", ("is_key_account", "=", True), ("key_account_credit_flag", "=", True)]
        )
        partners.check_access("read")
        self._check(partners)
        return True

    @api.model
    def _check(self, partners):
        """Flag or clear these accounts from their receivables, company by company (days
        allowed by the company, credit limit of the account's archive in that company)."""
        partners = partners.sudo()
        if not partners:
            return
        # the scheduled watch and a watch run by hand must not both schedule the activity: the
        # second waits here, then retries on the serialization failure and sees the first's work
        self.env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", partners.ids)
        )
        # the findings are stored as facts and rendered when read, in the reader's language
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
            currency = company.currency_id.id
            for partner in partners.filtered("is_key_account"):
                summary = figures.get(partner.id)
                if not summary:
                    continue
                if summary["overdue"] > 0 and summary["overdue_days"] > allowed_days:
                    result[partner.id].append(
                        {
                            "kind": "overdue",
                            "amount": summary["overdue"],
                            "currency_id": currency,
                            "days": summary["overdue_days"],
                            "company_id": company.id,
                            "allowed": allowed_days,
                        }
                    )
                limit = limits.get(partner.id)
                if limit and summary["residual"] > limit:
                    result[partner.id].append(
                        {"kind": "limit", "amount": summary["residual"], "limit": limit, "currency_id": currency}
                    )
        open_activities = self._open_warning_activities(partners)
        today = fields.Date.context_today(self)
        for partner in partners:
            facts = result[partner.id]
            activities = open_activities.get(partner.id, self.env["mail.activity"].sudo())
            if facts:
                vals = {"key_account_credit_flag_facts": facts}
                if not partner.key_account_credit_flag:
                    vals.update(key_account_credit_flag=True, key_account_credit_flag_date=today)
                if any(partner[field] != value for field, value in vals.items()):
                    partner.write(vals)
                if not activities:
                    self._schedule_warning(partner, facts)
            elif partner.key_account_credit_flag:
                partner.write(
                    {
                        "key_account_credit_flag": False,
                        "key_account_credit_flag_facts": False,
                        "key_account_credit_flag_date": False,
                    }
                )
                for activity in activities:
                    activity = in_lang_of(activity, activity.user_id)
                    activity.action_feedback(feedback=activity.env._("Receivables back within terms."))

    @api.model
    def _warning_text(self, facts):
        """The findings of the credit watch (``facts`` as stored) in the language of the
        environment; a text stored before 18.0.1.8.0 as it was written."""
        texts = []
        for fact in facts or ():
            kind = fact.get("kind")
            if kind == "overdue":
                currency = self.env["res.currency"].browse(fact["currency_id"])
                texts.append(
                    self.env._(
                        "%(amount)s overdue for %(days)s days (%(company)s allows %(allowed)s)",
                        amount=format_amount(self.env, fact["amount"], currency),
                        days=fact["days"],
                        company=self.env["res.company"].sudo().browse(fact["company_id"]).exists().name or "",
                        allowed=fact["allowed"],
                    )
                )
            elif kind == "limit":
                currency = self.env["res.currency"].browse(fact["currency_id"])
                texts.append(
                    self.env._(
                        "receivables of %(amount)s over the credit limit of %(limit)s",
                        amount=format_amount(self.env, fact["amount"], currency),
                        limit=format_amount(self.env, fact["limit"], currency),
                    )
                )
            elif fact.get("text"):
                texts.append(fact["text"])
        return "; ".join(texts)

    @api.model
    def _open_warning_activities(self, partners):
        """{partner id: its open credit-watch activities}, on its warning rows (sudo)."""
        logs = (
            self.env["key.account.credit.log"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("action", "=", "warning")])
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

    @api.model
    def _schedule_warning(self, partner, facts):
        """A warning row in the credit history with the account manager's activity, in the
        manager's language (sudo)."""
        partner.ensure_one()
        summary = partner._key_account_receivables().get(partner.id, {})
        log = (
            self.env["key.account.credit.log"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": partner.id,
                    "action": "warning",
                    "warning_facts": facts,
                    "user_id": self.env.uid,
                    "overdue_amount": summary.get("overdue", 0.0),
                    "receivable_amount": summary.get("residual", 0.0),
                }
            )
        )
        user = partner.key_account_manager_id or partner._key_account_managers()[:1] or self.env.user
        local = in_lang_of(log, user)
        local.activity_schedule(
            "key_account_mgmt.mail_activity_type_credit_watch",
            summary=local.env._("Credit warning: %(partner)s", partner=partner.display_name),
            note=local.env["key.account.credit"]._warning_text(facts),
            user_id=user.id,
        )
        return log

    # ------------------------------------------------------------------ suspension
    @api.model
    def _set_suspension(self, partners, suspended, reason):
        """Suspend (暂停记账服务) or restore sales on credit of these accounts, with the reason
        kept in the credit history (KA Managers)."""
        partners._key_account_check_manager(self.env._("Only a Key Account Manager may suspend or restore credit."))
        reason = clean_text(self.env, reason, label(self.env, "key.account.credit.log", "reason"))
        if not reason:
            raise ValidationError(self.env._("Give the reason of the credit decision."))
        partners.check_access("write")
        partners = partners.sudo().filtered(lambda p: p.key_account_credit_suspended != suspended)
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
                    "reason_text": reason,
                    "user_id": self.env.uid,
                    "overdue_amount": figures.get(partner.id, {}).get("overdue", 0.0),
                    "receivable_amount": figures.get(partner.id, {}).get("residual", 0.0),
                }
                for partner in partners
            ]
        )
        partners.write({"key_account_credit_suspended": suspended})
        return True
