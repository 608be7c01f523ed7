from odoo import api, fields, models

from ..tools import ensure_one

CARE_KINDS = [
    ("training", "Customer Training"),
    ("exchange", "Exchange Event"),
    ("presentation", "Product Presentation"),
    ("fellowship", "Fellowship"),
]


class EventEvent(models.Model):
    """An event of Odoo's event app used as a key-account care activity (issue #20; seeds 000
    四.2, 五.1 客户培训, 参考 四.4 交流活动; 001 §3.3.3 二.4 产品介绍会/推广会; 002 联谊): its kind,
    the key accounts invited (one ``key.account.care.participation`` per account, made from the
    registrations of their contacts) and its cost, planned and actual, shared by those accounts.

    The event itself is an invitation, not confidential; what concerns one account (its share of
    the cost, its feedback) lives on the participation, confidential like the account."""

    _inherit = "event.event"

    key_account_care_kind = fields.Selection(
        CARE_KINDS,
        string="Care Activity",
        index=True,
        tracking=True,
        help="A key-account care activity of this kind; empty for any other event.",
    )
    key_account_currency_id = fields.Many2one(
        "res.currency", string="Cost Currency", related="company_id.currency_id", readonly=True
    )
    key_account_cost_planned = fields.Monetary(
        string="Planned Cost",
        currency_field="key_account_currency_id",
        tracking=True,
        help="Charged to the service budget of the key accounts invited, in equal shares.",
    )
    key_account_cost_actual = fields.Monetary(
        string="Actual Cost",
        currency_field="key_account_currency_id",
        tracking=True,
        help="Charged to the service budget of the key accounts invited, in equal shares.",
    )
    key_account_participation_ids = fields.One2many(
        "key.account.care.participation",
        "event_id",
        string="Key Accounts Invited",
        groups="key_account_mgmt.group_ka_user",
    )
    key_account_account_count = fields.Integer(
        string="Key Accounts", compute="_compute_key_account_account_count", compute_sudo=True
    )

    @api.depends("key_account_participation_ids")
    def _compute_key_account_account_count(self):
        counts = dict(
            self.env["key.account.care.participation"]
            .sudo()
            ._read_group([("event_id", "in", self.ids)], ["event_id"], ["__count"])
        )
        for event in self:
            event.key_account_account_count = counts.get(event, 0)

    def write(self, vals):
        result = super().write(vals)
        if "key_account_care_kind" in vals:
            self._key_account_sync_participations()
        return result

    def action_invite_key_accounts(self):
        """The invitation wizard: key accounts by tier, category or cooperation state, and their
        contacts by buying role."""
        ensure_one(self)
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite Key Accounts"),
            "res_model": "key.account.care.invite.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    def action_open_care_participations(self):
        """The key accounts invited: attendance, share of the cost, feedback (the user's own)."""
        ensure_one(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("key_account_mgmt.key_account_care_participation_action")
        action["domain"] = [("event_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _key_account_sync_participations(self):
        """One participation per key account with a registration at these care activities
        (sudo: called after the registrations' own checks); a participation left without
        registration and without feedback goes."""
        Participation = self.env["key.account.care.participation"].sudo()
        Registration = self.env["event.registration"].sudo()
        care = self.sudo().filtered("key_account_care_kind")
        wanted = {
            (event.id, account.id)
            for event, account in Registration._read_group(
                [("event_id", "in", care.ids), ("key_account_id", "!=", False)], ["event_id", "key_account_id"]
            )
        }
        existing = Participation.search([("event_id", "in", self.ids)])
        have = {(p.event_id.id, p.partner_id.id) for p in existing}
        Participation.create(
            [{"event_id": event_id, "partner_id": account_id} for event_id, account_id in sorted(wanted - have)]
        )
        existing.filtered(
            lambda p: (p.event_id.id, p.partner_id.id) not in wanted and not p.feedback and not p.rating
        ).unlink()
