from odoo import fields, models
from odoo.exceptions import AccessError

KA_USER = "key_account_mgmt.group_ka_user"
KA_MANAGER = "key_account_mgmt.group_ka_manager"


class DigestDigest(models.Model):
    """The policy check's digest to the KA Managers (seed 003 第十五条) is Odoo's periodic digest:
    each recipient's figures are computed as that user (record rules on) in their language."""

    _inherit = "digest.digest"

    kpi_key_account_policy_deviation = fields.Boolean(string="Key Account Price Deviations")
    kpi_key_account_policy_deviation_value = fields.Integer(compute="_compute_kpi_key_account_policy_deviation_value")
    kpi_key_account_policy_gap = fields.Boolean(string="Key Account Prices below the Policies")
    kpi_key_account_policy_gap_value = fields.Monetary(compute="_compute_kpi_key_account_policy_gap_value")
    key_account_managers_subscribed = fields.Boolean(
        string="Send to the KA Managers",
        help="Every KA Manager of the digest's company receives it, except those who unsubscribed.",
    )
    key_account_unsubscribed_user_ids = fields.Many2many(
        "res.users",
        "digest_digest_key_account_unsubscribed_rel",
        string="Unsubscribed KA Managers",
        readonly=True,
    )

    def _compute_kpi_key_account_policy_deviation_value(self):
        counts = self._key_account_deviation_figures("__count")
        for digest in self:
            digest.kpi_key_account_policy_deviation_value = counts.get(digest.company_id or self.env.company, 0)

    def _compute_kpi_key_account_policy_gap_value(self):
        gaps = self._key_account_deviation_figures("amount_gap:sum", [("amount_gap", "<", 0)])
        for digest in self:
            digest.kpi_key_account_policy_gap_value = -gaps.get(digest.company_id or self.env.company, 0.0)

    def _key_account_deviation_figures(self, aggregate, domain=()):
        """Deviations of the digest's period invoiced in its companies, as the reader may see them."""
        if not self.env.user.has_group(KA_USER):
            raise AccessError(self.env._("Only the key-account groups see the policy check."))
        start, end, companies = self._get_kpi_compute_parameters()
        return dict(
            self.env["key.account.policy.deviation"]._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("invoice_date", ">", fields.Date.to_date(start)),
                    ("invoice_date", "<=", fields.Date.to_date(end)),
                    *domain,
                ],
                groupby=["company_id"],
                aggregates=[aggregate],
            )
        )

    def _compute_kpis_actions(self, company, user):
        actions = super()._compute_kpis_actions(company, user)
        action = "key_account_mgmt.key_account_policy_deviation_action"
        actions["kpi_key_account_policy_deviation"] = action
        actions["kpi_key_account_policy_gap"] = action
        return actions

    def _action_send(self, update_periodicity=True):
        self.filtered("key_account_managers_subscribed")._subscribe_key_account_managers()
        return super()._action_send(update_periodicity=update_periodicity)

    def _subscribe_key_account_managers(self):
        managers = self.env.ref(KA_MANAGER).sudo().users.filtered(lambda user: user.active and not user.share)
        for digest in self:
            company = digest.company_id
            wanted = managers.filtered(lambda user, company=company: not company or company in user.company_ids)
            digest.sudo().user_ids |= wanted - digest.key_account_unsubscribed_user_ids

    def _action_subscribe_users(self, users):
        self.sudo().key_account_unsubscribed_user_ids -= users
        return super()._action_subscribe_users(users)

    def _action_unsubscribe_users(self, users):
        self.sudo().key_account_unsubscribed_user_ids |= users
        return super()._action_unsubscribe_users(users)
