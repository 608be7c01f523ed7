from odoo import api, fields, models

KA_USER = "key_account_mgmt.group_ka_user"

# seed 002 业务管理-客户合作状态分类管理办法, best first: the order defines up- and downgrades
COOPERATION_STATES = [
    ("good", "Good cooperation"),
    ("maintained", "Maintained"),
    ("problem", "Problem customer"),
    ("no_cooperation", "No cooperation"),
    ("refused", "Refused cooperation"),
]
COOPERATION_RANK = {state: rank for rank, (state, _label) in enumerate(COOPERATION_STATES)}
# colour index of Odoo's palette per state: green, blue, yellow, white (none), black (dark)
COOPERATION_COLOR = {"good": 10, "maintained": 4, "problem": 3, "no_cooperation": 0, "refused": 11}
ESCALATING_STATES = ("no_cooperation", "refused")


class KeyAccountCooperationMixin(models.AbstractModel):
    """The cooperation state of a key account, its monthly confirmation and escalation; the
    changes themselves go through ``key.account.state.log``."""

    _name = "key.account.cooperation.mixin"
    _description = "Key Account Cooperation State"

    cooperation_state = fields.Selection(
        COOPERATION_STATES,
        tracking=True,
        copy=False,
        index=True,
        groups="base.group_user",
        help="Good (green): contract won, pleasant cooperation — maintain actively.\n"
        "Maintained (blue): good contact, no running contract — keep close contact.\n"
        "Problem (yellow): problems, a competitor got in, the customer wavers — communicate "
        "actively.\n"
        "No cooperation (white): none in three years — plan development.\n"
        "Refused (black): mutual blacklist.",
    )
    cooperation_color = fields.Integer(
        string="Cooperation Colour", compute="_compute_cooperation_color", groups="base.group_user"
    )
    cooperation_work_plan = fields.Char(string="Work Plan", compute="_compute_cooperation_color", groups=KA_USER)
    cooperation_state_date = fields.Datetime(
        string="State Confirmed On",
        copy=False,
        readonly=True,
        groups=KA_USER,
        help="Last change or monthly confirmation of the cooperation state.",
    )
    cooperation_state_unconfirmed = fields.Boolean(
        string="State Not Confirmed",
        copy=False,
        readonly=True,
        index=True,
        groups=KA_USER,
        help="The state was not changed or confirmed this month by the deadline.",
    )
    cooperation_reminder_date = fields.Date(
        string="State Reminder Sent On",
        copy=False,
        readonly=True,
        groups=KA_USER,
    )
    key_account_escalated = fields.Boolean(
        string="Escalated",
        copy=False,
        tracking=True,
        index=True,
        groups=KA_USER,
        help="A downgrade calls for a special meeting (专题会议) of the KA Manager.",
    )
    state_log_ids = fields.One2many("key.account.state.log", "partner_id", string="State History", groups=KA_USER)

    @api.depends("cooperation_state")
    @api.depends_context("lang")
    def _compute_cooperation_color(self):
        plans = {
            "good": self.env._("Maintain actively"),
            "maintained": self.env._("Keep close contact"),
            "problem": self.env._("Communicate actively"),
            "no_cooperation": self.env._("Plan development"),
            "refused": "",
        }
        for partner in self:
            partner.cooperation_color = COOPERATION_COLOR.get(partner.cooperation_state, 0)
            partner.cooperation_work_plan = plans.get(partner.cooperation_state, "")

    def action_set_cooperation_state(self, state, reason, remedy_plan=False):
        """Change the cooperation state of these key accounts, or confirm it when unchanged
        (the monthly duty): ``key.account.state.log._change_state``. Public RPC API (SPEC §11)."""
        self.env["key.account.state.log"]._change_state(self, state, reason, remedy_plan)
        return True

    def action_close_escalation(self, conclusion):
        """Close the escalation of these accounts with the special meeting's conclusion
        (``key.account.state.log._close_escalations``). Public RPC API."""
        return self.env["key.account.state.log"]._close_escalations(self, conclusion)

    def action_open_cooperation_state_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Set Cooperation State"),
            "res_model": "key.account.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids, "default_state": self[:1].cooperation_state or "good"},
        }

    def action_open_close_escalation_wizard(self):
        action = self.action_open_cooperation_state_wizard()
        action["name"] = self.env._("Close Escalation")
        action["context"] = {"default_partner_ids": self.ids, "default_mode": "close_escalation"}
        return action
