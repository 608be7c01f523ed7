from odoo import models

from ..tools import post_for


class KeyAccountUpwardReportMixin(models.AbstractModel):
    """Upward reporting (抄报, seed 000 信息沟通制度 三.3): what a branch salesperson reports —
    news of a key account, a proposed candidate — goes to their own sales head (the leader of
    their sales team, crm.team) and to the KA department (the KA Managers of the company),
    each notified once, in their language."""

    _name = "key.account.upward.report.mixin"
    _description = "Key Account Upward Reporting"

    def _upward_reporter(self):
        """The salesperson who reported the record."""
        return self.user_id

    def _upward_leader(self):
        """The leader of the reporter's sales team, when it is someone else."""
        self.ensure_one()
        reporter = self._upward_reporter().sudo()
        leader = reporter.sale_team_id.user_id
        return (leader - reporter).with_env(self.env)

    def _upward_audience(self):
        """The reporter's sales head and the company's KA Managers, the reporter left out."""
        self.ensure_one()
        managers = self.env["res.partner"].with_company(self.company_id)._key_account_managers()
        return (self._upward_leader() | managers.with_env(self.env)) - self._upward_reporter()

    def _notify_upward(self, body):
        """Post ``body(record in a language)`` to the audience, one message per language, then
        make them followers: subscribed first, they would get the messages of the other
        languages too."""
        for record in self.sudo():
            audience = record._upward_audience()
            post_for(record, audience, body, subtype_xmlid="mail.mt_comment")
            record.message_subscribe(partner_ids=audience.partner_id.ids)
